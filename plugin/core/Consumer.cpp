//===- Consumer.cpp - Run Tacit's checks and lowering ---------------------===//
//
// FILE: plugin/core/Consumer.cpp
// DESCRIPTION: See Consumer.h.
//
//===----------------------------------------------------------------------===//
#include "Consumer.h"
#include "CoroutineInScope.h"
#include "EscapeCheck.h"
#include "MissingCapability.h"
#include "OverrideMismatch.h"
#include "PointerLosesCapability.h"
#include "Scopes.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Sema/Sema.h"

using namespace clang;

namespace tacit {

namespace {
// -fplugin-arg-tacit-dump-scopes: a remark at each scope block.
class ScopeDumper : public RecursiveASTVisitor<ScopeDumper> {
public:
  explicit ScopeDumper(DiagnosticsEngine &D) : Diags(D) {
    RemarkID = D.getCustomDiagID(DiagnosticsEngine::Remark, "%0 scope");
  }
  bool VisitIfStmt(IfStmt *If) {
    if (auto S = asScope(*If))
      Diags.Report(userLocation(*S, Diags.getSourceManager()), RemarkID)
          << spelling(S->Kind);
    return true;
  }

private:
  DiagnosticsEngine &Diags;
  unsigned RemarkID;
};
} // namespace

void runChecks(ASTContext &Ctx, Capabilities &Caps, const Options &Opts) {
  checkRedeclarationClash(Ctx);
  checkMissingCapability(Ctx, Caps, Opts);
  checkOverrideMismatch(Ctx, Caps, Opts);
  checkPointerLosesCapability(Ctx, Caps, Opts);
  checkCoroutineInScope(Ctx, Caps, Opts);
  if (Opts.EscapeCheck)
    checkEscapes(Ctx, Caps, Opts);
  if (Opts.DumpScopes)
    ScopeDumper(Ctx.getDiagnostics()).TraverseDecl(Ctx.getTranslationUnitDecl());
}

Consumer::Consumer(Options O, bool LowerInAST)
    : Opts(O), LowerInAST(LowerInAST) {}

void Consumer::InitializeSema(Sema &Sema) {
  S = &Sema;
  if (LowerInAST)
    Lowering = std::make_unique<WithoutAllocLowering>(Sema, Caps, Opts);
}

void Consumer::ForgetSema() {
  Lowering.reset();
  S = nullptr;
}

void Consumer::lowerIn(Decl *D) {
  if (!Lowering || !D)
    return;
  if (auto *FD = dyn_cast<FunctionDecl>(D)) {
    Lowering->lower(FD);
    return;
  }
  if (auto *FTD = dyn_cast<FunctionTemplateDecl>(D)) {
    for (FunctionDecl *Spec : FTD->specializations())
      Lowering->lower(Spec);
    return;
  }
  if (isa<NamespaceDecl, LinkageSpecDecl, CXXRecordDecl, ExportDecl>(D)) {
    if (auto *RD = dyn_cast<CXXRecordDecl>(D); RD && RD->isDependentContext())
      return;
    for (Decl *Child : cast<DeclContext>(D)->decls())
      lowerIn(Child);
  }
}

bool Consumer::HandleTopLevelDecl(DeclGroupRef DG) {
  for (Decl *D : DG)
    lowerIn(D);
  return true;
}

void Consumer::HandleInlineFunctionDefinition(FunctionDecl *FD) {
  lowerIn(FD);
}

void Consumer::HandleTranslationUnit(ASTContext &Ctx) {
  // Lambdas and anything else CodeGen emits at the end of the TU.
  if (Lowering)
    Lowering->lowerRemaining(Ctx);
  runChecks(Ctx, Caps, Opts);
}

} // namespace tacit
