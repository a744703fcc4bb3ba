//===- Consumer.h - Run Tacit's checks and lowering on a translation unit -===//
//
// FILE: plugin/core/Consumer.h
// DESCRIPTION: The ASTConsumer both front ends use. The plugin runs it ahead
//   of CodeGen (AddBeforeMainAction) and lowers [[tacit::without(alloc)]]
//   bodies with Sema as each definition arrives (HandleTopLevelDecl /
//   HandleInlineFunctionDefinition: non-inline functions are emitted during
//   HandleTopLevelDecl, so later is too late), then sweeps the rest (lambdas,
//   late instantiations) and runs the checks at the end of the translation
//   unit. tacit-lower runs the same checks and asks for the lowering as
//   source edits instead (see WithoutAllocLowering.h).
//
//===----------------------------------------------------------------------===//
#ifndef TACIT_PLUGIN_CORE_CONSUMER_H
#define TACIT_PLUGIN_CORE_CONSUMER_H

#include "Capabilities.h"
#include "Options.h"
#include "WithoutAllocLowering.h"

#include "clang/Sema/SemaConsumer.h"

#include <memory>

namespace tacit {

class Consumer : public clang::SemaConsumer {
public:
  // LowerInAST: rewrite without(alloc) bodies in the AST (the plugin). Off
  // for tacit-lower, which prints the lowering instead.
  Consumer(Options Opts, bool LowerInAST);

  void InitializeSema(clang::Sema &S) override;
  void ForgetSema() override;
  bool HandleTopLevelDecl(clang::DeclGroupRef DG) override;
  void HandleInlineFunctionDefinition(clang::FunctionDecl *FD) override;
  void HandleTranslationUnit(clang::ASTContext &Ctx) override;

  Capabilities &capabilities() { return Caps; }

private:
  void lowerIn(clang::Decl *D);

  Options Opts;
  bool LowerInAST;
  clang::Sema *S = nullptr;
  Capabilities Caps;
  std::unique_ptr<WithoutAllocLowering> Lowering;
};

// Every static check, in a fixed order (the tool and the plugin agree).
void runChecks(clang::ASTContext &Ctx, Capabilities &Caps, const Options &Opts);

} // namespace tacit

#endif
