//===- Consumer.cpp - Run Tacit's checks and lowering ---------------------===//
//
// FILE: plugin/core/Consumer.cpp
// DESCRIPTION: See Consumer.h.
//
//===----------------------------------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
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
  if (Opts.CoroutineLowering) {
    Coroutines = std::make_unique<CoroutineLowering>(Sema, *Validator, Opts);
    Context->Coroutines = Coroutines.get();
  }
}

void Consumer::ForgetSema() {
  Lowering.reset();
  if (Context)
    Context->Coroutines = nullptr;
  Coroutines.reset();
}

ASTMutationListener *Consumer::GetASTMutationListener() {
  // Asked once, when the front end builds the consumer (before Sema).
  return Opts.CoroutineLowering ? &Used : nullptr;
}

void Consumer::lowerFunction(FunctionDecl *FD) {
  if (Lowering)
    Lowering->lower(FD);
  if (Coroutines)
    Coroutines->lower(FD);
}

void Consumer::lowerIn(Decl *D) {
  if ((!Lowering && !Coroutines) || !D)
    return;
  if (auto *FD = dyn_cast<FunctionDecl>(D)) {
    lowerFunction(FD);
    return;
  }
  if (auto *FTD = dyn_cast<FunctionTemplateDecl>(D)) {
    for (FunctionDecl *Spec : FTD->specializations())
      lowerFunction(Spec);
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
  // The coroutine lambdas and local-class members used in it.
  if (Coroutines)
    Coroutines->lowerUsed(Used);
  std::vector<std::unique_ptr<Check>> Checks = makeChecks(*Context);
  runChecks(*Context, Checks);
}

} // namespace tacit
