//===- Plugin.cpp - The tacit -fplugin module -----------------------------===//
//
// FILE: plugin/module/Plugin.cpp
// DESCRIPTION: Registers the "tacit" plugin action and parses its switches.
//   It runs before code generation (AddBeforeMainAction) so the lowering of
//   [[tacit::without(alloc)]] reaches CodeGen. The checks and the lowering
//   live in plugin/core (tacit::Consumer).
// USAGE:
//   clang++-19 -fplugin=build/lib/tacit-plugin.so [-fplugin-arg-tacit-<arg>]
//   -fplugin-arg-tacit-help lists the switches (plugin/core/Options.cpp) and
//   the checks (plugin/core/Checks.def), each of which no-<check> turns off.
//
//===----------------------------------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "AngleBlocks.h"
#include "Consumer.h"

#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;

namespace {

class TacitAction : public PluginASTAction {
  tacit::Options Opts;

protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 llvm::StringRef) override {
    if (Opts.enabled(tacit::CheckId::AngleBlocks))
      tacit::installAngleBlocks(CI); // with_alloc(r) < ... > (AngleBlocks.h)
    return std::make_unique<tacit::Consumer>(Opts, /*LowerInAST=*/true);
  }

  bool ParseArgs(const CompilerInstance &CI,
                 const std::vector<std::string> &Args) override {
    for (const std::string &A : Args) {
      std::string Error;
      if (!Opts.parse(A, Error, llvm::errs())) {
        DiagnosticsEngine &D = CI.getDiagnostics();
        D.Report(D.getCustomDiagID(DiagnosticsEngine::Error,
                                   "tacit: %0 (-fplugin-arg-tacit-help lists "
                                   "them)"))
            << Error;
        return false;
      }
    }
    // The attribute handlers run inside Sema, with no object of ours.
    tacit::setCurrentOptions(Opts);
    return true;
  }

  ActionType getActionType() override { return AddBeforeMainAction; }
};

} // namespace

static FrontendPluginRegistry::Add<TacitAction>
    RegisterTacit("tacit", "Tacit: scoped, implicit allocator contexts");
