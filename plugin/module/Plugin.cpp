//===- Plugin.cpp - The tacit -fplugin module -----------------------------===//
//
// FILE: plugin/module/Plugin.cpp
// DESCRIPTION: Registers the "tacit" plugin action. It runs before code
//   generation (AddBeforeMainAction) so the lowering can reach CodeGen.
// USAGE:
//   clang++-19 -fplugin=build/lib/tacit-plugin.so [-fplugin-arg-tacit-<arg>]
//   args: help           list the switches
//         dump-scopes    a remark at each with_alloc / without_alloc block
//
//===----------------------------------------------------------------------===//
#include "Scopes.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;

namespace {

struct Options {
  bool DumpScopes = false;
};

class ScopeDumper : public RecursiveASTVisitor<ScopeDumper> {
public:
  ScopeDumper(DiagnosticsEngine &D) : Diags(D) {
    RemarkID = D.getCustomDiagID(DiagnosticsEngine::Remark, "%0 scope");
  }
  bool VisitIfStmt(IfStmt *If) {
    if (auto S = tacit::asScope(*If))
      Diags.Report(S->Marker->getLocation(), RemarkID)
          << tacit::spelling(S->Kind);
    return true;
  }

private:
  DiagnosticsEngine &Diags;
  unsigned RemarkID;
};

class TacitConsumer : public ASTConsumer {
public:
  explicit TacitConsumer(Options O) : Opts(O) {}
  void HandleTranslationUnit(ASTContext &Ctx) override {
    if (Opts.DumpScopes)
      ScopeDumper(Ctx.getDiagnostics()).TraverseDecl(Ctx.getTranslationUnitDecl());
  }

private:
  Options Opts;
};

class TacitAction : public PluginASTAction {
  Options Opts;

protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &,
                                                 llvm::StringRef) override {
    return std::make_unique<TacitConsumer>(Opts);
  }

  bool ParseArgs(const CompilerInstance &CI,
                 const std::vector<std::string> &Args) override {
    for (const std::string &A : Args) {
      if (A == "dump-scopes") {
        Opts.DumpScopes = true;
      } else if (A == "help") {
        llvm::errs() << "tacit plugin switches (-fplugin-arg-tacit-<name>):\n"
                        "  help          print this list\n"
                        "  dump-scopes   a remark at each with_alloc / "
                        "without_alloc block\n";
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
