//===- Consumer.h - Run Tacit's checks and lowering on a translation unit -===//
//
// FILE: plugin/core/Consumer.h
// DESCRIPTION: The ASTConsumer both front ends use. The plugin runs it ahead
//   of CodeGen (AddBeforeMainAction) and lowers the capability attributes
//   with Sema as each definition arrives (HandleTopLevelDecl /
//   HandleInlineFunctionDefinition: non-inline functions are emitted during
//   HandleTopLevelDecl, so later is too late), then sweeps the rest (lambdas,
//   late instantiations) and, at the end of the translation unit, walks it
//   once for every enabled check (Check.h). tacit-lower runs the same checks
//   and validation and asks for the lowering as source edits instead
//   (WithoutAllocLowering.h). The coroutine lowering (CoroutineLowering.h)
//   runs in the AST in both: tacit-lower prints what it did as comments.
//
//===----------------------------------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef TACIT_PLUGIN_CORE_CONSUMER_H
#define TACIT_PLUGIN_CORE_CONSUMER_H

#include "Capabilities.h"
#include "Check.h"
#include "CoroutineLowering.h"
#include "Options.h"
#include "WithoutAllocLowering.h"

#include "clang/Sema/SemaConsumer.h"

#include <memory>

namespace tacit {

class Consumer : public clang::SemaConsumer {
public:
  // LowerInAST: rewrite the bodies in the AST (the plugin). Off for
  // tacit-lower, which prints the lowering instead.
  Consumer(Options Opts, bool LowerInAST);
  ~Consumer() override;

  void Initialize(clang::ASTContext &Ctx) override;
  void InitializeSema(clang::Sema &S) override;
  void ForgetSema() override;
  bool HandleTopLevelDecl(clang::DeclGroupRef DG) override;
  void HandleInlineFunctionDefinition(clang::FunctionDecl *FD) override;
  void HandleTranslationUnit(clang::ASTContext &Ctx) override;
  // Records the lambdas Sema marks used (CoroutineLowering.h).
  clang::ASTMutationListener *GetASTMutationListener() override;

  Capabilities &capabilities() { return Caps; }
  LoweringValidator &validator() { return *Validator; }
  const Options &options() const { return Opts; }

private:
  void lowerIn(clang::Decl *D);
  void lowerFunction(clang::FunctionDecl *FD);

  Options Opts;
  bool LowerInAST;
  Capabilities Caps;
  std::unique_ptr<CheckContext> Context;
  std::unique_ptr<LoweringValidator> Validator;
  std::unique_ptr<WithoutAllocLowering> Lowering;
  // In the AST for tacit-lower too: it prints what the plugin did.
  std::unique_ptr<CoroutineLowering> Coroutines;
  UsedCoroutines Used;
};

} // namespace tacit

#endif
