//===- WithoutAllocLowering.cpp - Run without(alloc) bodies on the heap ---===//
//
// FILE: plugin/core/WithoutAllocLowering.cpp
// DESCRIPTION: See WithoutAllocLowering.h.
//
//===----------------------------------------------------------------------===//
#include "WithoutAllocLowering.h"
#include "UserCode.h"
#include "Options.h"

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

static constexpr const char *ScopeVariable = "__tacit_without_alloc";

std::optional<LoweringSite> loweringSite(const FunctionDecl &FD,
                                         Capabilities &Caps,
                                         const SourceManager &SM) {
  if (!FD.doesThisDeclarationHaveABody() || FD.isInvalidDecl() ||
      !Caps.runsOnHeap(&FD))
    return std::nullopt;
  const Stmt *Body = FD.getBody();
  if (!Body)
    return std::nullopt;
  LoweringSite Site;
  if (const auto *CS = dyn_cast<CompoundStmt>(Body))
    Site.LBrace = CS->getLBracLoc();
  else
    Site.LBrace = Body->getBeginLoc();
  PresumedLoc P = SM.getPresumedLoc(SM.getExpansionLoc(FD.getLocation()));
  if (P.isValid()) {
    Site.File = P.getFilename();
    Site.Line = P.getLine();
  } else {
    Site.File = "<unknown>";
  }
  return Site;
}

std::string loweringText(const LoweringSite &Site) {
  std::string Escaped;
  for (char C : Site.File) {
    if (C == '"' || C == '\\')
      Escaped += '\\';
    Escaped += C;
  }
  return " ::tacit::detail::heap_scope " + std::string(ScopeVariable) +
         "(\"" + Escaped + "\", " + std::to_string(Site.Line) + "u);";
}

WithoutAllocLowering::WithoutAllocLowering(Sema &S, Capabilities &Caps,
                                           const Options &Opts)
    : S(S), Caps(Caps) {
  DiagnosticsEngine &D = S.getDiagnostics();
  EarlyInitID = warningID(
      D, Opts,
      "the initializer of %0 runs before the body of [[tacit::without(alloc)]] "
      "constructor %1, so in the caller's allocator context, not on the "
      "global heap; initialize it in the body, or construct the object inside "
      "without_alloc { ... }");
  EarlyInitNoteID = noteID(D, "%0 is declared [[tacit::without(alloc)]] here");
  NoHeaderID = errorID(D, "[[tacit::without(alloc)]] needs <tacit/alloc.hpp>: "
                          "the function's body runs inside a "
                          "tacit::detail::heap_scope, which that header "
                          "declares; include it in this file");
  UnsupportedID = errorID(
      D, "[[tacit::without(alloc)]] cannot be applied to %select{a "
         "coroutine: its heap scope would stay open across suspensions; use "
         "without_alloc blocks between the suspension points|a constexpr "
         "function: its lowered body declares a non-literal variable; use a "
         "without_alloc block in a non-constexpr caller|a constructor or "
         "destructor with a function-try-block; put a without_alloc block "
         "inside the try block}0");
}

CXXRecordDecl *WithoutAllocLowering::heapScopeClass() {
  if (LookedUp)
    return HeapScope;
  LookedUp = true;
  ASTContext &Ctx = S.getASTContext();
  auto Child = [&](DeclContext *DC, StringRef Name) -> NamedDecl * {
    for (NamedDecl *ND : DC->lookup(&Ctx.Idents.get(Name)))
      return ND;
    return nullptr;
  };
  auto *Tacit =
      dyn_cast_or_null<NamespaceDecl>(Child(Ctx.getTranslationUnitDecl(), "tacit"));
  auto *Detail = Tacit ? dyn_cast_or_null<NamespaceDecl>(Child(Tacit, "detail"))
                       : nullptr;
  auto *RD = Detail ? dyn_cast_or_null<CXXRecordDecl>(Child(Detail, "heap_scope"))
                    : nullptr;
  if (RD && RD->hasDefinition())
    HeapScope = RD->getDefinition();
  return HeapScope;
}

bool WithoutAllocLowering::unsupported(FunctionDecl *FD) {
  int Why = -1;
  if (isa<CoroutineBodyStmt>(FD->getBody()))
    Why = 0;
  else if ((FD->isConstexprSpecified() || FD->isConsteval()) &&
           !isLambdaCallOperator(FD)) // a lambda is constexpr implicitly
    Why = 1;
  else if ((isa<CXXConstructorDecl>(FD) || isa<CXXDestructorDecl>(FD)) &&
           isa<CXXTryStmt>(FD->getBody()))
    Why = 2;
  if (Why < 0)
    return false;
  const AnnotateAttr *A = declaredAnnotation(*FD, WithoutAnnotation);
  S.getDiagnostics().Report(A ? A->getLocation() : FD->getLocation(),
                            UnsupportedID)
      << Why;
  return true;
}

void WithoutAllocLowering::warnEarlyInitializers(
    const CXXConstructorDecl &Ctor) {
  ASTContext &Ctx = S.getASTContext();
  for (const CXXCtorInitializer *I : Ctor.inits()) {
    const Expr *E = I->getInit();
    if (!E || I->isDelegatingInitializer())
      continue;
    if (const auto *DI = dyn_cast<CXXDefaultInitExpr>(E))
      E = DI->getExpr();
    if (!E || E->isValueDependent() ||
        E->isConstantInitializer(Ctx, /*ForRef=*/false))
      continue;  // nothing runs that could allocate
    const auto *CE = dyn_cast<CXXConstructExpr>(E->IgnoreImplicit());
    if (CE && CE->getConstructor()->isTrivial())
      continue;
    SourceLocation L = I->isWritten() ? I->getSourceLocation()
                                      : Ctor.getLocation();
    if (const FieldDecl *F = I->getAnyMember()) {
      if (!I->isWritten() && !isa<CXXDefaultInitExpr>(I->getInit()))
        continue;  // default construction, not written: trivial enough
      if (!I->isWritten())
        L = F->getLocation();
      S.getDiagnostics().Report(S.getSourceManager().getExpansionLoc(L),
                                EarlyInitID)
          << F << &Ctor;
    } else if (I->isBaseInitializer() && I->isWritten()) {
      S.getDiagnostics().Report(S.getSourceManager().getExpansionLoc(L),
                                EarlyInitID)
          << I->getBaseClass()->getAsCXXRecordDecl() << &Ctor;
    } else {
      continue;
    }
    if (const AnnotateAttr *A = declaredAnnotation(Ctor, WithoutAnnotation))
      S.getDiagnostics().Report(A->getLocation(), EarlyInitNoteID) << &Ctor;
  }
}

void WithoutAllocLowering::lower(FunctionDecl *FD) {
  if (!FD || FD->isDependentContext())
    return;
  ASTContext &Ctx = S.getASTContext();
  std::optional<LoweringSite> Site =
      loweringSite(*FD, Caps, Ctx.getSourceManager());
  if (!Site || !Done.insert(FD).second)
    return;
  if (unsupported(FD))
    return;
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD))
    warnEarlyInitializers(*Ctor);
  CXXRecordDecl *HS = heapScopeClass();
  if (!HS) {
    const AnnotateAttr *A = declaredAnnotation(*FD, WithoutAnnotation);
    S.getDiagnostics().Report(A ? A->getLocation() : FD->getLocation(),
                              NoHeaderID);
    return;
  }

  // An implicitly constexpr lambda stops being constexpr: its body now
  // declares a non-literal variable.
  if (FD->isConstexpr() && isLambdaCallOperator(FD))
    FD->setConstexprKind(ConstexprSpecKind::Unspecified);

  SourceLocation L = Site->LBrace;
  Stmt *Old = FD->getBody();
  Sema::ContextRAII InFunction(S, FD);
  EnterExpressionEvaluationContext Evaluated(
      S, Sema::ExpressionEvaluationContext::PotentiallyEvaluated);

  QualType T = Ctx.getRecordType(HS);
  auto *VD = VarDecl::Create(Ctx, FD, L, L, &Ctx.Idents.get(ScopeVariable), T,
                             Ctx.getTrivialTypeSourceInfo(T, L), SC_None);
  VD->setImplicit();
  FD->addDecl(VD);

  const std::string &File = Site->File;
  QualType StrTy = Ctx.getStringLiteralArrayType(Ctx.CharTy, File.size());
  Expr *FileArg = StringLiteral::Create(Ctx, File, StringLiteralKind::Ordinary,
                                        /*Pascal=*/false, StrTy, L);
  Expr *LineArg = IntegerLiteral::Create(
      Ctx, llvm::APInt(Ctx.getIntWidth(Ctx.UnsignedIntTy), Site->Line),
      Ctx.UnsignedIntTy, L);
  Expr *Args[] = {FileArg, LineArg};
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
