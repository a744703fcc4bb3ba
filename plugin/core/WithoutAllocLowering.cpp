//===- WithoutAllocLowering.cpp - Run without(alloc) bodies on the heap ---===//
//
// FILE: plugin/core/WithoutAllocLowering.cpp
// DESCRIPTION: See WithoutAllocLowering.h. The check
//   tacit-without-alloc-lowering (LoweringValidator) lives here too: the
//   lowering and its validation must agree.
//
//===----------------------------------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "WithoutAllocLowering.h"
#include "UserCode.h"
#include "tacit/names.hpp"

#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/ASTLambda.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Sema/EnterExpressionEvaluationContext.h"
#include "clang/Sema/Sema.h"
#include "llvm/Support/Path.h"

using namespace clang;

namespace tacit {

// <tacit/names.hpp>: the header defines the classes under these names.
static constexpr const char *HeapVariable =
    TACIT_NAME_STR(TACIT_NAME_HEAP_VARIABLE);
static constexpr const char *EntryVariable =
    TACIT_NAME_STR(TACIT_NAME_USES_VARIABLE);
static constexpr const char *HeapClass = TACIT_NAME_STR(TACIT_NAME_HEAP_SCOPE);
static constexpr const char *EntryClass = TACIT_NAME_STR(TACIT_NAME_USES_CHECK);
static constexpr const char *ClearedTemplate =
    TACIT_NAME_STR(TACIT_NAME_CONTEXT_CLEARED);
static constexpr const char *EntryTemplate =
    TACIT_NAME_STR(TACIT_NAME_USES_CONTEXT_CHECK);
static constexpr const char *WithoutPrefix =
    TACIT_NAME_STR(TACIT_NAME_WITHOUT_VARIABLE_PREFIX);
static constexpr const char *UsesPrefix =
    TACIT_NAME_STR(TACIT_NAME_USES_VARIABLE_PREFIX);
static constexpr const char *Namespace = TACIT_NAME_STR(TACIT_NAME_NAMESPACE);
static constexpr const char *Detail = TACIT_NAME_STR(TACIT_NAME_DETAIL);

namespace {
// Why a without(alloc) definition cannot be lowered (UnsupportedID's %select).
enum class Unsupported { Coroutine, Constexpr, TryBlock, Naked };

SourceLocation bodyStart(const FunctionDecl &FD) {
  const Stmt *Body = FD.getBody();
  if (const auto *CS = dyn_cast_or_null<CompoundStmt>(Body))
    return CS->getLBracLoc();
  return Body ? Body->getBeginLoc() : SourceLocation();
}

void setFileAndLine(LoweringSite &Site, const FunctionDecl &FD,
                    const SourceManager &SM) {
  PresumedLoc P = SM.getPresumedLoc(SM.getExpansionLoc(FD.getLocation()));
  if (P.isValid()) {
    Site.File = P.getFilename();
    Site.Line = P.getLine();
  } else {
    Site.File = "<unknown>";
  }
}

std::string quoted(llvm::StringRef Text) {
  std::string Out = "\"";
  for (char C : Text) {
    if (C == '"' || C == '\\')
      Out += '\\';
    Out += C;
  }
  return Out + "\"";
}

// A body the entry check cannot sit in, or need not.
bool entryCheckFits(const FunctionDecl &FD) {
  return !FD.isConstexpr() && !FD.isConsteval() && !FD.isDefaulted() &&
         !FD.isImplicit() && !FD.hasAttr<NakedAttr>() &&
         !isa<CoroutineBodyStmt>(FD.getBody()) &&
         !((isa<CXXConstructorDecl>(FD) || isa<CXXDestructorDecl>(FD)) &&
           isa<CXXTryStmt>(FD.getBody()));
}
} // namespace

LoweringValidator::LoweringValidator(CheckContext &C)
    : Ctx(C.Ctx), Caps(C.Caps),
      Reports(C.Opts.enabled(CheckId::WithoutAllocLowering)),
      Diag(C.Ctx.getDiagnostics(), C.Opts, CheckId::WithoutAllocLowering) {
  EarlyInitID = Diag.warning(
      "the initializer of %0 runs before the body of [[tacit::without(alloc)]] "
      "%select{constructor %1, so in the caller's allocator context|defaulted "
      "constructor %1 (a defaulted function has no body to lower), so in the "
      "caller's allocator context}2, not on the global heap; initialize it in "
      "the body, or construct the object inside without_alloc { ... }");
  EarlyInitNoteID = Diag.note("%0 is declared [[tacit::without(alloc)]] here");
  NoHeaderID = Diag.error("[[tacit::without(alloc)]] needs <tacit/alloc.hpp>: "
                          "the function's body runs inside a "
                          "tacit::detail::heap_scope, which that header "
                          "declares; include it before this function");
  CtxUnsupportedID = Diag.error(
      "[[tacit::without(%1)]] cannot be applied to %select{a coroutine|a "
      "constexpr function: its lowered body declares a non-literal "
      "variable|a constructor or destructor with a function-try-block|a "
      "naked function: it has no stack frame to hold the scope}0; call a "
      "[[tacit::without(%1)]] function from it instead");
  UnsupportedID = Diag.error(
      "[[tacit::without(alloc)]] cannot be applied to %select{a "
      "coroutine; put a without_alloc block around its body instead (the "
      "block follows the coroutine across its suspensions)|a constexpr "
      "function: its lowered body declares a non-literal variable; use a "
      "without_alloc block in a non-constexpr caller|a constructor or "
      "destructor with a function-try-block; put a without_alloc block "
      "inside the try block|a naked function: it has no stack frame to hold "
      "the heap scope; call a [[tacit::without(alloc)]] function from it}0");
}

const NamedDecl *LoweringValidator::headerDecl(llvm::StringRef Name) {
  auto Child = [&](DeclContext *DC, StringRef N) -> NamedDecl * {
    for (NamedDecl *ND : DC->lookup(&Ctx.Idents.get(N)))
      return ND;
    return nullptr;
  };
  auto *Top = dyn_cast_or_null<NamespaceDecl>(
      Child(Ctx.getTranslationUnitDecl(), Namespace));
  auto *Inner =
      Top ? dyn_cast_or_null<NamespaceDecl>(Child(Top, Detail)) : nullptr;
  return Inner ? Child(Inner, Name) : nullptr;
}

const CXXRecordDecl *LoweringValidator::headerClass(llvm::StringRef Name) {
  // Only a success is remembered: a function defined before the
  // #include is refused, the ones after it are not.
  auto It = Found.find(Name);
  if (It != Found.end())
    return It->second;
  auto *RD = dyn_cast_or_null<CXXRecordDecl>(headerDecl(Name));
  if (!RD || !RD->hasDefinition())
    return nullptr;
  return Found[Name] = RD->getDefinition();
}

bool LoweringValidator::accepts(const FunctionDecl &FD) {
  const FunctionDecl *Key = &FD;
  auto It = Verdict.find(Key);
  if (It != Verdict.end())
    return It->second;
  bool OK = judge(FD);
  Verdict[Key] = OK;
  return OK;
}

const CXXRecordDecl *LoweringValidator::siteClass(Sema *S,
                                                 LoweringSite::Kind What,
                                                 Capability Cap) {
  bool Heap = What == LoweringSite::Heap;
  if (!Cap)
    return headerClass(Heap ? HeapClass : EntryClass);
  auto *T = const_cast<ClassTemplateDecl *>(dyn_cast_or_null<ClassTemplateDecl>(
      headerDecl(Heap ? ClearedTemplate : EntryTemplate)));
  if (!T)
    return nullptr;
  // The specialization for the context, once it exists (the validator
  // alone, as tacit-lower asks, only needs to know that the template does).
  QualType Arg = Ctx.getRecordType(Cap);
  void *Pos = nullptr;
  TemplateArgument Args[] = {TemplateArgument(Arg)};
  if (ClassTemplateSpecializationDecl *Spec =
          T->findSpecialization(Args, Pos))
    if (Spec->hasDefinition())
      return Spec->getDefinition();
  if (!S)
    return T->getTemplatedDecl();
  SourceLocation L = Cap->getLocation();
  TemplateArgumentListInfo List(L, L);
  List.addArgument(TemplateArgumentLoc(TemplateArgument(Arg),
                                       Ctx.getTrivialTypeSourceInfo(Arg, L)));
  Sema::SFINAETrap Trap(*S, /*AccessCheckingSFINAE=*/true);
  QualType Spec = S->CheckTemplateIdType(TemplateName(T), L, List);
  if (Spec.isNull() || Trap.hasErrorOccurred() ||
      S->RequireCompleteType(L, Spec, 0) || Trap.hasErrorOccurred())
    return nullptr;
  return Spec->getAsCXXRecordDecl();
}

bool LoweringValidator::judge(const FunctionDecl &FD) {
  llvm::SmallVector<Capability, 2> Without =
      declaredCapabilities(FD, /*Uses=*/false);
  Capability First = Without.empty() ? AllocCapability : Without.front();
  const AnnotateAttr *A =
      declaredCapabilityAnnotation(FD, /*Uses=*/false, First);
  SourceLocation At = A ? A->getLocation() : FD.getLocation();
  if (FD.isDefaulted())
    return false; // no body; a constructor's initializers: see below
  std::optional<Unsupported> Why;
  if (isa<CoroutineBodyStmt>(FD.getBody()))
    Why = Unsupported::Coroutine;
  else if ((FD.isConstexprSpecified() || FD.isConsteval()) &&
           !isLambdaCallOperator(&FD)) // a lambda is constexpr implicitly
    Why = Unsupported::Constexpr;
  else if (FD.hasAttr<NakedAttr>())
    Why = Unsupported::Naked;
  else if ((isa<CXXConstructorDecl>(FD) || isa<CXXDestructorDecl>(FD)) &&
           isa<CXXTryStmt>(FD.getBody()))
    Why = Unsupported::TryBlock;
  if (Why) {
    if (Reports && (At = Diag.claim(At)).isValid()) {
      if (!First)
        Diag.report(At, UnsupportedID) << unsigned(*Why);
      else
        Diag.report(At, CtxUnsupportedID)
            << unsigned(*Why) << capabilityName(First);
    }
    return false;
  }
  if (llvm::is_contained(Without, AllocCapability) &&
      !headerClass(HeapClass)) {
    if (Reports && (At = Diag.claim(At)).isValid())
      Diag.report(At, NoHeaderID);
    return false;
  }
  // (A user context is declared by <tacit/context.hpp>, which declares
  // context_cleared too.)
  return true;
}

bool LoweringValidator::acceptsInitializers(const CXXConstructorDecl &Ctor) {
  // This declaration's initializers: a definition's (a defaulted one's
  // once it is defined, at its first use).
  bool Defined = Ctor.isDefaulted() ? Ctor.getBody() != nullptr
                                    : Ctor.doesThisDeclarationHaveABody() &&
                                          Ctor.getBody() != nullptr;
  if (!Defined || !Caps.runsWithoutAny(&Ctor) || Ctor.isInvalidDecl() ||
      Ctor.isDependentContext())
    return false;
  if (Ctor.isDefaulted()) // no body, but initializers
    return !Ctor.isConsteval() &&
           (!Caps.runsOnHeap(&Ctor) || headerClass(HeapClass));
  return accepts(Ctor);
}

bool LoweringValidator::runsOnHeap(const CXXConstructorDecl &Ctor) const {
  return Caps.runsWithoutAny(&Ctor);
}

void LoweringValidator::warnEarlyInitializer(const CXXConstructorDecl &Ctor,
                                             const CXXCtorInitializer &I) {
  if (!Reports)
    return;
  SourceLocation L =
      I.isWritten() ? I.getSourceLocation() : Ctor.getLocation();
  const NamedDecl *What = nullptr;
  if (const FieldDecl *F = I.getAnyMember()) {
    if (!I.isWritten())
      L = F->getLocation();
    What = F;
  } else if (I.isBaseInitializer()) {
    What = I.getBaseClass()->getAsCXXRecordDecl();
  } else if (I.isDelegatingInitializer()) {
    What = Ctor.getTargetConstructor();
  }
  if (!What)
    return;
  SourceLocation At = Diag.claim(Ctx.getSourceManager().getExpansionLoc(L));
  if (At.isInvalid())
    return;
  Diag.report(At, EarlyInitID) << What << &Ctor << Ctor.isDefaulted();
  if (const AnnotateAttr *A = declaredAnnotation(Ctor, WithoutAnnotation))
    Diag.report(A->getLocation(), EarlyInitNoteID) << &Ctor;
}

namespace {
// mayRunCode's walk.
bool runsCode(const Stmt *S) {
  if (!S)
    return false;
  if (isa<CallExpr, CXXNewExpr, CXXDeleteExpr, CXXBindTemporaryExpr,
          CXXInheritedCtorInitExpr, CoroutineSuspendExpr>(S))
    return true; // a call, an allocation, a destructor
  if (const auto *CE = dyn_cast<CXXConstructExpr>(S))
    if (!CE->getConstructor()->isTrivial())
      return true;
  // Evaluated at compile time, or not at all.
  if (isa<ConstantExpr, UnaryExprOrTypeTraitExpr, CXXNoexceptExpr,
          RequiresExpr>(S))
    return false;
  if (const auto *DA = dyn_cast<CXXDefaultArgExpr>(S))
    return runsCode(DA->getExpr());
  if (const auto *DI = dyn_cast<CXXDefaultInitExpr>(S))
    return runsCode(DI->getExpr());
  if (const auto *OV = dyn_cast<OpaqueValueExpr>(S))
    return runsCode(OV->getSourceExpr());
  if (const auto *L = dyn_cast<LambdaExpr>(S)) {
    for (const Expr *Init : L->capture_inits())
      if (runsCode(Init))
        return true;
    return false; // the body runs when the lambda is called
  }
  for (const Stmt *Child : S->children())
    if (runsCode(Child))
      return true;
  return false;
}
} // namespace

bool mayRunCode(const Expr *E, const ASTContext &Ctx) {
  if (!E || E->isValueDependent())
    return false;
  const Expr *Inner = E;
  if (const auto *DI = dyn_cast<CXXDefaultInitExpr>(Inner))
    Inner = DI->getExpr();
  if (!Inner || Inner->isConstantInitializer(const_cast<ASTContext &>(Ctx),
                                             /*ForRef=*/false))
    return false;
  return runsCode(E);
}

// A delegating initializer is wrapped only when the constructor it calls is
// defined already and does not delegate: Sema looks for delegation cycles
// at the end of the translation unit through getTargetConstructor(), which
// cannot see through the comma, so a wrapped constructor must not be able
// to lie on a cycle.
static bool delegatesToKnownEnd(const Expr &Init) {
  const auto *CE = dyn_cast<CXXConstructExpr>(Init.IgnoreImplicit());
  const FunctionDecl *Def = nullptr;
  if (!CE || !CE->getConstructor() || !CE->getConstructor()->hasBody(Def))
    return false;
  const auto *Target = dyn_cast_or_null<CXXConstructorDecl>(Def);
  return Target && !Target->isDelegatingConstructor();
}

llvm::SmallVector<unsigned, 4>
initializersToLower(const CXXConstructorDecl &Ctor, LoweringValidator &V,
                    LoweringSite &Site) {
  llvm::SmallVector<unsigned, 4> Out;
  const ASTContext &Ctx = Ctor.getASTContext();
  if (!V.acceptsInitializers(Ctor)) {
    // A defaulted constructor in a file without <tacit/alloc.hpp> has no
    // body to carry the header error: its initializers say it.
    if (Ctor.isDefaulted() && Ctor.getBody() && !Ctor.isConsteval() &&
        Ctor.getTemplatedKind() != FunctionDecl::TK_FunctionTemplate &&
        !Ctor.isDependentContext() && V.runsOnHeap(Ctor) &&
        !V.headerClass(HeapClass))
      for (const CXXCtorInitializer *I : Ctor.inits())
        if (I->getInit() && mayRunCode(I->getInit(), Ctx))
          V.warnEarlyInitializer(Ctor, *I);
    return Out;
  }
  Site.What = LoweringSite::Heap;
  Site.Cleared = declaredCapabilities(Ctor, /*Uses=*/false);
  Site.Cap = Site.Cleared.front();
  setFileAndLine(Site, Ctor, Ctx.getSourceManager());
  unsigned Index = 0;
  for (const CXXCtorInitializer *I : Ctor.inits()) {
    const Expr *E = I->getInit();
    if (E && mayRunCode(E, Ctx)) {
      if (I->isDelegatingInitializer() && !delegatesToKnownEnd(*E)) {
        V.warnEarlyInitializer(Ctor, *I);
        ++Index;
        continue;
      }
      Out.push_back(Index);
    }
    ++Index;
  }
  return Out;
}

llvm::SmallVector<LoweringSite, 2>
loweringSites(const FunctionDecl &FD, Capabilities &Caps, LoweringValidator &V,
              const Options &Opts) {
  llvm::SmallVector<LoweringSite, 2> Sites;
  if (!FD.doesThisDeclarationHaveABody() || FD.isInvalidDecl() ||
      !FD.getBody() || FD.isDependentContext())
    return Sites;
  const SourceManager &SM = FD.getASTContext().getSourceManager();
  // A site at the top of FD's body.
  auto AddSite = [&](LoweringSite::Kind What, Capability C) -> LoweringSite & {
    LoweringSite Site;
    Site.What = What;
    Site.Cap = C;
    Site.LBrace = bodyStart(FD);
    setFileAndLine(Site, FD, SM);
    Sites.push_back(Site);
    return Sites.back();
  };
  // One site per capability, alloc first: without(C) clears C (for alloc:
  // the global heap), uses(C) checks C at entry in checked mode.
  if (Caps.runsWithoutAny(&FD)) {
    if (!V.accepts(FD))
      return Sites;
    for (Capability C : declaredCapabilities(FD, /*Uses=*/false))
      if (V.siteClass(nullptr, LoweringSite::Heap, C))
        AddSite(LoweringSite::Heap, C);
  }
  if (!Opts.EntryCheck || !entryCheckFits(FD))
    return Sites;
  for (Capability C : declaredCapabilities(FD, /*Uses=*/true)) {
    if (!V.siteClass(nullptr, LoweringSite::EntryCheck, C))
      continue;
    LoweringSite &Site = AddSite(LoweringSite::EntryCheck, C);
    if (isLambdaCallOperator(&FD))
      Site.Function = "lambda at " + Site.File + ":" +
                      std::to_string(Site.Line);
    else
      Site.Function = FD.getQualifiedNameAsString();
  }
  return Sites;
}

// The site's class as source text, and its variable's name.
static std::string siteClassText(LoweringSite::Kind What, Capability C) {
  bool Heap = What == LoweringSite::Heap;
  std::string Prefix = "::" + std::string(Namespace) + "::" + Detail + "::";
  if (!C)
    return Prefix + (Heap ? HeapClass : EntryClass);
  return Prefix + (Heap ? ClearedTemplate : EntryTemplate) + "<::" +
         C->getQualifiedNameAsString() + ">";
}
static std::string siteVariable(LoweringSite::Kind What, Capability C) {
  bool Heap = What == LoweringSite::Heap;
  if (!C)
    return Heap ? HeapVariable : EntryVariable;
  return (Heap ? WithoutPrefix : UsesPrefix) + capabilityName(C);
}

std::string loweringText(const LoweringSite &Site) {
  std::string Where = quoted(Site.File) + ", " + std::to_string(Site.Line) + "u";
  std::string Decl = " " + siteClassText(Site.What, Site.Cap) + " " +
                     siteVariable(Site.What, Site.Cap) + "(";
  if (Site.What == LoweringSite::Heap)
    return Decl + Where + ");";
  return Decl + quoted(Site.Function) + ", " + Where + ");";
}

std::string heapScopeText(const LoweringSite &Site) {
  std::string Out;
  llvm::SmallVector<Capability, 2> Caps = Site.Cleared;
  if (Caps.empty())
    Caps.push_back(Site.Cap);
  for (Capability C : Caps) {
    if (!Out.empty())
      Out += ", ";
    Out += siteClassText(LoweringSite::Heap, C) + "(" + quoted(Site.File) +
           ", " + std::to_string(Site.Line) + "u)";
  }
  return Out;
}

WithoutAllocLowering::WithoutAllocLowering(Sema &S, Capabilities &Caps,
                                           LoweringValidator &V,
                                           const Options &Opts)
    : S(S), Caps(Caps), Validator(V), Opts(Opts) {}

static Expr *stringArg(ASTContext &Ctx, llvm::StringRef Text,
                       SourceLocation L);

void WithoutAllocLowering::lower(FunctionDecl *FD) {
  if (!FD || FD->isDependentContext())
    return;
  auto *Ctor = dyn_cast<CXXConstructorDecl>(FD);
  // A defaulted constructor gets its initializers (and an empty body) when
  // it is defined, at its first use: until then there is nothing to lower.
  if (Ctor && Ctor->isDefaulted() && !Ctor->getBody())
    return;
  // A defaulted constructor is often constexpr (implicitly): lowered, it
  // cannot be evaluated at compile time any more, so it waits for the end
  // of the translation unit, when nothing is left to parse, and then stops
  // being constexpr (as a lowered lambda does).
  if (Ctor && Ctor->isDefaulted() && Ctor->isConstexpr() && !AtEnd)
    return;
  if (!Done.insert(FD).second)
    return;
  for (const LoweringSite &Site : loweringSites(*FD, Caps, Validator, Opts))
    insert(FD, Site);
  if (Ctor && lowerInitializers(Ctor) && Ctor->isDefaulted() &&
      Ctor->isConstexpr())
    Ctor->setConstexprKind(ConstexprSpecKind::Unspecified);
}

// The initializers of a [[tacit::without(alloc)]] constructor.
//
// Design: each initializer E that may run code becomes the full-expression
//     ExprWithCleanups( (heap_scope("f.cpp", 12u) , E) )
// a built-in comma (Sema::CreateBuiltinBinOp, so no user operator, can be
// picked) whose left operand is a heap_scope temporary
// (Sema::BuildCXXTypeConstructExpr: a CXXTemporaryObjectExpr bound to a
// temporary, so its destructor is a cleanup of the full-expression). The
// scope is pushed before E runs and popped when the initializer's
// full-expression ends -- normally, or by unwinding when E throws. The
// comma has E's type and value kind, so CodeGen still constructs a class
// member, a base or the delegated-to object in place (the comma's right
// operand is emitted into the same slot: no copy, no move; non-copyable,
// non-movable types, arrays, references and scalars all work). E's own
// cleanups join the new full-expression (destroyed before the scope is
// popped). The CXXCtorInitializer is replaced by an equal one holding the
// new expression (Ctor->init_begin()[i]: the list lives in the ASTContext).
// Covered: written member, base and delegating initializers, default
// member initializers (CXXDefaultInitExpr), implicit constructions of
// members and bases, and the implicit initializers of a defaulted
// constructor. Anything Sema refuses keeps its original initializer and
// gets the warning instead.
//
// Not chosen: a single scope for the whole list (a hidden first base or
// member changes the layout); re-running the member's initialization with
// an InitializationSequence (the comma keeps exactly the initialization
// Sema chose, overload resolution included).
bool WithoutAllocLowering::lowerInitializers(CXXConstructorDecl *Ctor) {
  LoweringSite Site;
  llvm::SmallVector<unsigned, 4> Which =
      initializersToLower(*Ctor, Validator, Site);
  if (Which.empty())
    return false;
  bool Lowered = false;
  ASTContext &Ctx = S.getASTContext();
  Sema::ContextRAII InFunction(S, Ctor);
  CXXCtorInitializer **List = Ctor->init_begin();
  for (unsigned Index : Which) {
    CXXCtorInitializer *I = List[Index];
    SourceLocation L = I->isWritten() ? I->getSourceLocation()
                                      : Ctor->getLocation();
    Expr *New = onHeap(I->getInit(), Site, L);
    if (!New) {
      Validator.warnEarlyInitializer(*Ctor, *I);
      continue;
    }
    CXXCtorInitializer *R;
    SourceLocation LP = I->getLParenLoc(), RP = I->getRParenLoc();
    if (IndirectFieldDecl *IF = I->getIndirectMember())
      R = new (Ctx)
          CXXCtorInitializer(Ctx, IF, I->getMemberLocation(), LP, New, RP);
    else if (FieldDecl *F = I->getMember())
      R = new (Ctx)
          CXXCtorInitializer(Ctx, F, I->getMemberLocation(), LP, New, RP);
    else if (I->isDelegatingInitializer())
      R = new (Ctx) CXXCtorInitializer(Ctx, I->getTypeSourceInfo(), LP, New,
                                       RP);
    else if (I->isBaseInitializer() && I->getTypeSourceInfo())
      R = new (Ctx) CXXCtorInitializer(Ctx, I->getTypeSourceInfo(),
                                       I->isBaseVirtual(), LP, New, RP,
                                       I->getEllipsisLoc());
    else {
      Validator.warnEarlyInitializer(*Ctor, *I);
      continue;
    }
    if (I->isWritten())
      R->setSourceOrder(I->getSourceOrder());
    List[Index] = R;
    Lowered = true;
  }
  return Lowered;
}

Expr *WithoutAllocLowering::onHeap(Expr *Init, const LoweringSite &Site,
                                   SourceLocation L) {
  if (!Init || Init->containsErrors())
    return nullptr;
  llvm::SmallVector<const CXXRecordDecl *, 2> Classes;
  for (Capability C : Site.Cleared) {
    const CXXRecordDecl *Class = Validator.siteClass(&S, LoweringSite::Heap, C);
    if (!Class)
      return nullptr;
    Classes.push_back(Class);
  }
  if (Classes.empty())
    return nullptr;
  ASTContext &Ctx = S.getASTContext();
  EnterExpressionEvaluationContext Evaluated(
      S, Sema::ExpressionEvaluationContext::PotentiallyEvaluated);
  // Whatever Sema would say about our own expression stays unsaid; an error
  // means: keep the original.
  Sema::SFINAETrap Trap(S, /*AccessCheckingSFINAE=*/true);
  auto Fail = [&]() -> Expr * {
    S.DiscardCleanupsInEvaluationContext();
    return nullptr;
  };

  // The temporaries, joined by built-in commas: (scope1, scope2).
  ExprResult Scope;
  for (const CXXRecordDecl *Class : Classes) {
    QualType T = Ctx.getRecordType(Class);
    Expr *Args[] = {
        stringArg(Ctx, Site.File, L),
        IntegerLiteral::Create(
            Ctx, llvm::APInt(Ctx.getIntWidth(Ctx.UnsignedIntTy), Site.Line),
            Ctx.UnsignedIntTy, L)};
    ExprResult One = S.BuildCXXTypeConstructExpr(
        Ctx.getTrivialTypeSourceInfo(T, L), L, Args, L,
        /*ListInitialization=*/false);
    if (One.isInvalid() || Trap.hasErrorOccurred())
      return Fail();
    if (Scope.isUnset() || !Scope.get()) {
      Scope = One;
      continue;
    }
    Scope = S.CreateBuiltinBinOp(L, BO_Comma, Scope.get(), One.get());
    if (Scope.isInvalid() || Trap.hasErrorOccurred())
      return Fail();
  }

  auto *Cleanups = dyn_cast<ExprWithCleanups>(Init);
  Expr *Operand = Cleanups ? Cleanups->getSubExpr() : Init;
  Expr *E;
  if (Operand->getType()->isArrayType() || isa<InitListExpr>(Operand)) {
    // Sema's comma decays an array operand and refuses a braced list on its
    // right (the grammar has none there); the member needs the array (an
    // InitListExpr, or a CXXConstructExpr of array type) or the list: build
    // the built-in comma as Sema does for any other operand.
    ExprResult Discarded = S.IgnoredValueConversions(Scope.get());
    if (Discarded.isInvalid() || Trap.hasErrorOccurred())
      return Fail();
    E = BinaryOperator::Create(Ctx, Discarded.get(), Operand, BO_Comma,
                               Operand->getType(), Operand->getValueKind(),
                               Operand->getObjectKind(), L,
                               FPOptionsOverride());
  } else {
    ExprResult Comma =
        S.CreateBuiltinBinOp(L, BO_Comma, Scope.get(), Operand);
    if (Comma.isInvalid() || Trap.hasErrorOccurred())
      return Fail();
    E = Comma.get();
  }
  if (!Ctx.hasSameType(E->getType(), Operand->getType()) ||
      E->getValueKind() != Operand->getValueKind() ||
      E->getObjectKind() != Operand->getObjectKind())
    return Fail();
  llvm::SmallVector<ExprWithCleanups::CleanupObject, 2> Objects;
  if (Cleanups)
    Objects.append(Cleanups->getObjects().begin(),
                   Cleanups->getObjects().end());
  S.DiscardCleanupsInEvaluationContext();
  return ExprWithCleanups::Create(Ctx, E, /*CleanupsHaveSideEffects=*/true,
                                  Objects);
}

static Expr *stringArg(ASTContext &Ctx, llvm::StringRef Text, SourceLocation L) {
  QualType T = Ctx.getStringLiteralArrayType(Ctx.CharTy, Text.size());
  return StringLiteral::Create(Ctx, Text, StringLiteralKind::Ordinary,
                               /*Pascal=*/false, T, L);
}

void WithoutAllocLowering::insert(FunctionDecl *FD, const LoweringSite &Site) {
  ASTContext &Ctx = S.getASTContext();
  bool Heap = Site.What == LoweringSite::Heap;
  const CXXRecordDecl *Class = Validator.siteClass(&S, Site.What, Site.Cap);
  if (!Class)
    return;

  // An implicitly constexpr lambda stops being constexpr: its body now
  // declares a non-literal variable.
  if (FD->isConstexpr() && isLambdaCallOperator(FD))
    FD->setConstexprKind(ConstexprSpecKind::Unspecified);

  SourceLocation L = Site.LBrace;
  Stmt *Old = FD->getBody();
  Sema::ContextRAII InFunction(S, FD);
  EnterExpressionEvaluationContext Evaluated(
      S, Sema::ExpressionEvaluationContext::PotentiallyEvaluated);

  QualType T = Ctx.getRecordType(Class);
  auto *VD = VarDecl::Create(
      Ctx, FD, L, L, &Ctx.Idents.get(siteVariable(Site.What, Site.Cap)), T,
      Ctx.getTrivialTypeSourceInfo(T, L), SC_None);
  VD->setImplicit();
  FD->addDecl(VD);

  llvm::SmallVector<Expr *, 3> Args;
  if (!Heap)
    Args.push_back(stringArg(Ctx, Site.Function, L));
  Args.push_back(stringArg(Ctx, Site.File, L));
  Args.push_back(IntegerLiteral::Create(
      Ctx, llvm::APInt(Ctx.getIntWidth(Ctx.UnsignedIntTy), Site.Line),
      Ctx.UnsignedIntTy, L));
  ExprResult Init = S.ActOnParenListExpr(L, L, Args);
  if (Init.isInvalid())
    return;
  S.AddInitializerToDecl(VD, Init.get(), /*DirectInit=*/true);
  if (VD->isInvalidDecl())
    return;
  S.FinalizeDeclaration(VD);

  auto *DS = new (Ctx) DeclStmt(DeclGroupRef(VD), L, L);
  SourceLocation R = Old->getEndLoc();
  FD->setBody(CompoundStmt::Create(Ctx, {DS, Old}, FPOptionsOverride(), L, R));
}

// The check's traversal part: every without(alloc) definition is judged,
// whether a lowering asks (the plugin, as definitions arrive) or not.
namespace {
class WithoutAllocLoweringCheck : public Check {
public:
  WithoutAllocLoweringCheck(CheckContext &C)
      : Check(CheckId::WithoutAllocLowering, C), V(*C.Validator) {}
  void onDecl(Decl *D, const Where &) override {
    auto *FD = dyn_cast<FunctionDecl>(D);
    if (FD && FD->doesThisDeclarationHaveABody() && FD->getBody() &&
        !FD->isDependentContext() && Caps.runsWithoutAny(FD))
      V.accepts(*FD);
  }
  void onStmt(Stmt *S, const Where &W) override {
    if (auto *L = dyn_cast<LambdaExpr>(S))
      onDecl(L->getCallOperator(), W);
  }

private:
  LoweringValidator &V;
};
} // namespace

std::unique_ptr<Check> makeWithoutAllocLowering(CheckContext &C) {
  if (!C.Validator)
    return nullptr;
  return std::make_unique<WithoutAllocLoweringCheck>(C);
}

namespace {
class RemainingDefinitions : public UserCodeVisitor<RemainingDefinitions> {
public:
  RemainingDefinitions(WithoutAllocLowering &L, const SourceManager &SM)
      : UserCodeVisitor(SM), Lowering(L) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool VisitFunctionDecl(FunctionDecl *FD) {
    Lowering.lower(FD);
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr *L) {
    CXXMethodDecl *Op = L->getCallOperator();
    if (FunctionTemplateDecl *Generic = Op->getDescribedFunctionTemplate())
      for (FunctionDecl *Spec : Generic->specializations())
        Lowering.lower(Spec);
    else
      Lowering.lower(Op);
    return true;
  }

private:
  WithoutAllocLowering &Lowering;
};
} // namespace

void WithoutAllocLowering::lowerRemaining(ASTContext &Ctx) {
  AtEnd = true;
  RemainingDefinitions(*this, Ctx.getSourceManager())
      .TraverseDecl(Ctx.getTranslationUnitDecl());
}

} // namespace tacit
