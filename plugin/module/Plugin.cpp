//===- Plugin.cpp - The tacit -fplugin module -----------------------------===//
//
// FILE: plugin/module/Plugin.cpp
// DESCRIPTION: Registers the "tacit" plugin action and parses its switches.
//   It runs before code generation (AddBeforeMainAction) so the lowering of
//   [[tacit::without(alloc)]] reaches CodeGen. The checks and the lowering
//   live in plugin/core (tacit::Consumer).
// USAGE:
//   clang++-19 -fplugin=build/lib/tacit-plugin.so [-fplugin-arg-tacit-<arg>]
//   args: help             list the switches
//         werror           Tacit's warnings become errors (Clang's -Werror
//                          and -Wno-... do not reach plugin diagnostics)
//         no-escape-check  no EscapeCheck warnings
//         dump-scopes      a remark at each with_alloc / without_alloc block
//
//===----------------------------------------------------------------------===//
#include "Consumer.h"

#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;

namespace {

constexpr const char *Help =
    "tacit plugin switches (-fplugin-arg-tacit-<name>):\n"
    "  help             print this list\n"
    "  werror           make Tacit's warnings errors (Clang's -Werror and\n"
    "                   -Wno-... do not apply to plugin diagnostics)\n"
    "  no-escape-check  do not warn about scope memory escaping a\n"
    "                   with_alloc block (EscapeCheck)\n"
    "  dump-scopes      a remark at each with_alloc / without_alloc block\n"
    "See docs/diagnostics.md for every diagnostic.\n";

class TacitAction : public PluginASTAction {
  tacit::Options Opts;

protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &,
                                                 llvm::StringRef) override {
    return std::make_unique<tacit::Consumer>(Opts, /*LowerInAST=*/true);
  }

  bool ParseArgs(const CompilerInstance &CI,
                 const std::vector<std::string> &Args) override {
    for (const std::string &A : Args) {
      if (A == "dump-scopes") {
        Opts.DumpScopes = true;
      } else if (A == "werror") {
        Opts.Werror = true;
      } else if (A == "no-escape-check") {
        Opts.EscapeCheck = false;
      } else if (A == "help") {
        llvm::errs() << Help;
      } else {
        DiagnosticsEngine &D = CI.getDiagnostics();
        D.Report(D.getCustomDiagID(DiagnosticsEngine::Error,
                                   "tacit: unknown plugin argument '%0' "
                                   "(-fplugin-arg-tacit-help lists them)"))
            << A;
        return false;
      }
    }
    return true;
  }

  ActionType getActionType() override { return AddBeforeMainAction; }
};

} // namespace

static FrontendPluginRegistry::Add<TacitAction>
    RegisterTacit("tacit", "Tacit: scoped, implicit allocator contexts");
