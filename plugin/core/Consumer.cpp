//===- Consumer.cpp - Run Tacit's checks and lowering ---------------------===//
//
// FILE: plugin/core/Consumer.cpp
// DESCRIPTION: See Consumer.h.
//
//===----------------------------------------------------------------------===//
#include "Consumer.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/Sema/Sema.h"

using namespace clang;

namespace tacit {

Consumer::Consumer(Options O, bool LowerInAST)
    : Opts(O), LowerInAST(LowerInAST) {}

Consumer::~Consumer() = default;

void Consumer::Initialize(ASTContext &Ctx) {
  Context = std::make_unique<CheckContext>(CheckContext{Ctx, Caps, Opts});
  Validator = std::make_unique<LoweringValidator>(*Context);
  Context->Validator = Validator.get();
}

void Consumer::InitializeSema(Sema &Sema) {
  if (LowerInAST)
    Lowering =
        std::make_unique<WithoutAllocLowering>(Sema, Caps, *Validator, Opts);
}

void Consumer::ForgetSema() { Lowering.reset(); }

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
  std::vector<std::unique_ptr<Check>> Checks = makeChecks(*Context);
  runChecks(*Context, Checks);
}

} // namespace tacit
