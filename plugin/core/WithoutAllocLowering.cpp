//===- WithoutAllocLowering.cpp - Run without(alloc) bodies on the heap ---===//
//
// FILE: plugin/core/WithoutAllocLowering.cpp
// DESCRIPTION: See WithoutAllocLowering.h. The check
//   tacit-without-alloc-lowering (LoweringValidator) lives here too: the
//   lowering and its validation must agree.
//
//===----------------------------------------------------------------------===//
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
  UnsupportedID = Diag.error(
      "[[tacit::without(alloc)]] cannot be applied to %select{a "
      "coroutine: its heap scope would stay open across suspensions; use "
      "without_alloc blocks between the suspension points|a constexpr "
      "function: its lowered body declares a non-literal variable; use a "
      "without_alloc block in a non-constexpr caller|a constructor or "
      "destructor with a function-try-block; put a without_alloc block "
      "inside the try block|a naked function: it has no stack frame to hold "
      "the heap scope; call a [[tacit::without(alloc)]] function from it}0");
}

const CXXRecordDecl *LoweringValidator::headerClass(llvm::StringRef Name) {
  // Only a success is remembered: a function defined before the
  // #include is refused, the ones after it are not.
  auto It = Found.find(Name);
  if (It != Found.end())
    return It->second;
  auto Child = [&](DeclContext *DC, StringRef N) -> NamedDecl * {
    for (NamedDecl *ND : DC->lookup(&Ctx.Idents.get(N)))
      return ND;
    return nullptr;
  };
  auto *Top = dyn_cast_or_null<NamespaceDecl>(
      Child(Ctx.getTranslationUnitDecl(), Namespace));
  auto *Inner =
      Top ? dyn_cast_or_null<NamespaceDecl>(Child(Top, Detail)) : nullptr;
  auto *RD =
      Inner ? dyn_cast_or_null<CXXRecordDecl>(Child(Inner, Name)) : nullptr;
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

bool LoweringValidator::judge(const FunctionDecl &FD) {
  const AnnotateAttr *A = declaredAnnotation(FD, WithoutAnnotation);
  SourceLocation At = A ? A->getLocation() : FD.getLocation();
  if (FD.isDefaulted()) {
    if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(&FD))
      warnEarlyInitializers(*Ctor);
    return false;
  }
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
    if (Reports && (At = Diag.claim(At)).isValid())
      Diag.report(At, UnsupportedID) << unsigned(*Why);
    return false;
  }
  if (!headerClass(HeapClass)) {
    if (Reports && (At = Diag.claim(At)).isValid())
      Diag.report(At, NoHeaderID);
    return false;
  }
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(&FD))
    warnEarlyInitializers(*Ctor);
  return true;
}

void LoweringValidator::warnEarlyInitializers(const CXXConstructorDecl &Ctor) {
  if (!Reports)
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  for (const CXXCtorInitializer *I : Ctor.inits()) {
    const Expr *E = I->getInit();
    if (!E || I->isDelegatingInitializer())
      continue;
    if (const auto *DI = dyn_cast<CXXDefaultInitExpr>(E))
      E = DI->getExpr();
    if (!E || E->isValueDependent() ||
        E->isConstantInitializer(Ctx, /*ForRef=*/false))
      continue; // nothing runs that could allocate
    const auto *CE = dyn_cast<CXXConstructExpr>(E->IgnoreImplicit());
    if (CE && CE->getConstructor()->isTrivial())
      continue;
    SourceLocation L =
        I->isWritten() ? I->getSourceLocation() : Ctor.getLocation();
    const NamedDecl *What = nullptr;
    if (const FieldDecl *F = I->getAnyMember()) {
      if (!I->isWritten() && !isa<CXXDefaultInitExpr>(I->getInit()) &&
          !Ctor.isDefaulted())
        continue; // default construction, not written: trivial enough
      if (!I->isWritten())
        L = F->getLocation();
      What = F;
    } else if (I->isBaseInitializer() && (I->isWritten() || Ctor.isDefaulted())) {
      What = I->getBaseClass()->getAsCXXRecordDecl();
    } else {
      continue;
    }
    SourceLocation At = Diag.claim(SM.getExpansionLoc(L));
    if (At.isInvalid())
      continue;
    Diag.report(At, EarlyInitID) << What << &Ctor << Ctor.isDefaulted();
    if (const AnnotateAttr *A = declaredAnnotation(Ctor, WithoutAnnotation))
      Diag.report(A->getLocation(), EarlyInitNoteID) << &Ctor;
  }
}

llvm::SmallVector<LoweringSite, 2>
loweringSites(const FunctionDecl &FD, Capabilities &Caps, LoweringValidator &V,
              const Options &Opts) {
  llvm::SmallVector<LoweringSite, 2> Sites;
  if (!FD.doesThisDeclarationHaveABody() || FD.isInvalidDecl() ||
      !FD.getBody() || FD.isDependentContext())
    return Sites;
  const SourceManager &SM = FD.getASTContext().getSourceManager();
  if (Caps.runsOnHeap(&FD)) {
    if (!V.accepts(FD))
      return Sites;
    LoweringSite Site;
    Site.What = LoweringSite::Heap;
    Site.LBrace = bodyStart(FD);
    setFileAndLine(Site, FD, SM);
    Sites.push_back(Site);
  } else if (Opts.EntryCheck && declaredAnnotation(FD, UsesAnnotation) &&
             entryCheckFits(FD) && V.headerClass(EntryClass)) {
    LoweringSite Site;
    Site.What = LoweringSite::EntryCheck;
    Site.LBrace = bodyStart(FD);
    setFileAndLine(Site, FD, SM);
    if (isLambdaCallOperator(&FD))
      Site.Function = "lambda at " + Site.File + ":" +
                      std::to_string(Site.Line);
    else
      Site.Function = FD.getQualifiedNameAsString();
    Sites.push_back(Site);
  }
  return Sites;
}

std::string loweringText(const LoweringSite &Site) {
  std::string Where = quoted(Site.File) + ", " + std::to_string(Site.Line) + "u";
  if (Site.What == LoweringSite::Heap)
    return " ::" + std::string(Namespace) + "::" + Detail + "::" + HeapClass +
           " " + HeapVariable + "(" + Where + ");";
  return " ::" + std::string(Namespace) + "::" + Detail + "::" + EntryClass +
         " " + EntryVariable + "(" + quoted(Site.Function) + ", " + Where +
         ");";
}

WithoutAllocLowering::WithoutAllocLowering(Sema &S, Capabilities &Caps,
                                           LoweringValidator &V,
                                           const Options &Opts)
    : S(S), Caps(Caps), Validator(V), Opts(Opts) {}

void WithoutAllocLowering::lower(FunctionDecl *FD) {
  if (!FD || FD->isDependentContext() || !Done.insert(FD).second)
    return;
  for (const LoweringSite &Site : loweringSites(*FD, Caps, Validator, Opts))
    insert(FD, Site);
}

static Expr *stringArg(ASTContext &Ctx, llvm::StringRef Text, SourceLocation L) {
  QualType T = Ctx.getStringLiteralArrayType(Ctx.CharTy, Text.size());
  return StringLiteral::Create(Ctx, Text, StringLiteralKind::Ordinary,
                               /*Pascal=*/false, T, L);
}

void WithoutAllocLowering::insert(FunctionDecl *FD, const LoweringSite &Site) {
  ASTContext &Ctx = S.getASTContext();
  bool Heap = Site.What == LoweringSite::Heap;
  const CXXRecordDecl *Class =
      Validator.headerClass(Heap ? HeapClass : EntryClass);
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
      Ctx, FD, L, L, &Ctx.Idents.get(Heap ? HeapVariable : EntryVariable), T,
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
        !FD->isDependentContext() && Caps.runsOnHeap(FD))
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
  RemainingDefinitions(*this, Ctx.getSourceManager())
      .TraverseDecl(Ctx.getTranslationUnitDecl());
}

} // namespace tacit
