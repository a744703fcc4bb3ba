//===- TacitLower.cpp - Print the lowered source of a file ----------------===//
//
// FILE: tools/tacit-lower/TacitLower.cpp
// DESCRIPTION: A LibTooling tool that runs Tacit's checks (the plugin's core,
//   plugin/core) on a file and prints the file as the plugin lowers it: each
//   [[tacit::without(alloc)]] body opens a ::tacit::detail::heap_scope first
//   thing, and the tacit attributes become comments. The output compiles
//   with <tacit/alloc.hpp>, with or without the plugin. Diagnostics go to
//   stderr; with errors, nothing is printed and the exit status is 1.
// USAGE:
//   tacit-lower file.cpp [-p build-dir]        (reads compile_commands.json)
//   tacit-lower file.cpp -- -std=c++20 -Iruntime/include
//
//===----------------------------------------------------------------------===//
#include "AngleBlocks.h"
#include "Capabilities.h"
#include "Consumer.h"
#include "WithoutAllocLowering.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Rewrite/Core/Rewriter.h"
#include "clang/Sema/ParsedAttr.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CommonOptionsParser.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;

static clang::ParsedAttrInfoRegistry::Add<tacit::UsesAttrInfo>
    RegisterUses("tacit_uses", "[[tacit::uses(alloc)]]");
static clang::ParsedAttrInfoRegistry::Add<tacit::WithoutAttrInfo>
    RegisterWithout("tacit_without", "[[tacit::without(alloc)]]");

static llvm::cl::OptionCategory Category("tacit-lower options");
static llvm::cl::list<std::string> PluginArgs(
    "arg",
    llvm::cl::desc("A plugin switch, as -fplugin-arg-tacit-<switch> takes it "
                   "(--arg=help lists them; e.g. --arg=no-escape-check)"),
    llvm::cl::value_desc("switch"), llvm::cl::cat(Category));

namespace {

// Collects the source edits of the lowering in the main file.
class SourceLowering : public RecursiveASTVisitor<SourceLowering> {
public:
  SourceLowering(Rewriter &R, tacit::Consumer &C)
      : R(R), SM(R.getSourceMgr()), C(C) {}

  bool VisitFunctionDecl(FunctionDecl *FD) {
    lower(*FD);
    neutralise(*FD);
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr *L) {
    lower(*L->getCallOperator());
    neutralise(*L->getCallOperator());
    return true;
  }

private:
  // The same insertions as the plugin's, for the functions the same
  // validation accepted.
  void lower(const FunctionDecl &FD) {
    for (const tacit::LoweringSite &Site : tacit::loweringSites(
             FD, C.capabilities(), C.validator(), C.options())) {
      if (!Site.LBrace.isFileID() || !SM.isInMainFile(Site.LBrace) ||
          !Done.insert(Site.LBrace.getRawEncoding()).second)
        continue;
      R.InsertTextAfterToken(Site.LBrace, tacit::loweringText(Site));
    }
  }
  // `[[tacit::without(alloc)]]` -> `[[/*tacit::without(alloc)*/]]`: the
  // lowering is in the body now, and a compiler without the plugin must not
  // see an unknown attribute. Spellings through the header's macros vanish
  // by themselves.
  void neutralise(const Decl &D) {
    for (const Decl *Rd : D.redecls())
      for (const auto *A : Rd->specific_attrs<AnnotateAttr>()) {
        if (A->getAnnotation() != tacit::UsesAnnotation &&
            A->getAnnotation() != tacit::WithoutAnnotation)
          continue;
        SourceRange Range = A->getRange();
        if (!Range.getBegin().isFileID() || !SM.isInMainFile(Range.getBegin()) ||
            !Done.insert(Range.getBegin().getRawEncoding()).second)
          continue;
        std::string Text = Lexer::getSourceText(
                               CharSourceRange::getTokenRange(Range), SM,
                               R.getLangOpts())
                               .str();
        R.ReplaceText(CharSourceRange::getTokenRange(Range),
                      "/*" + Text + "*/");
      }
  }

  Rewriter &R;
  SourceManager &SM;
  tacit::Consumer &C;
  llvm::DenseSet<unsigned> Done;
};

class LowerConsumer : public tacit::Consumer {
public:
  explicit LowerConsumer(tacit::Options O)
      : Consumer(O, /*LowerInAST=*/false) {}

  void HandleTranslationUnit(ASTContext &Ctx) override {
    Consumer::HandleTranslationUnit(Ctx); // the checks
    if (Ctx.getDiagnostics().hasErrorOccurred())
      return;
    Rewriter R(Ctx.getSourceManager(), Ctx.getLangOpts());
    SourceLowering(R, *this).TraverseDecl(Ctx.getTranslationUnitDecl());
    FileID Main = Ctx.getSourceManager().getMainFileID();
    if (const RewriteBuffer *B = R.getRewriteBufferFor(Main))
      B->write(llvm::outs());
    else
      llvm::outs() << Ctx.getSourceManager().getBufferData(Main);
    llvm::outs().flush();
  }
};

class LowerAction : public ASTFrontendAction {
protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 StringRef) override {
    tacit::Options O;
    for (const std::string &A : PluginArgs) {
      std::string Error;
      if (!O.parse(A, Error, llvm::outs())) {
        DiagnosticsEngine &D = CI.getDiagnostics();
        D.Report(D.getCustomDiagID(DiagnosticsEngine::Error,
                                   "tacit-lower: %0 (--arg=help lists them)"))
            << Error;
        return nullptr;
      }
    }
    tacit::setCurrentOptions(O);
    if (O.enabled(tacit::CheckId::AngleBlocks))
      tacit::installAngleBlocks(CI); // prints angle blocks with braces
    return std::make_unique<LowerConsumer>(O);
  }
};

} // namespace

int main(int argc, const char **argv) {
  auto Parser = tooling::CommonOptionsParser::create(
      argc, argv, Category, llvm::cl::OneOrMore,
      "Prints a file as the Tacit plugin lowers it.\n");
  if (!Parser) {
    llvm::errs() << Parser.takeError();
    return 1;
  }
  tooling::ClangTool Tool(Parser->getCompilations(),
                          Parser->getSourcePathList());
  Tool.appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
      "-resource-dir=" TACIT_CLANG_RESOURCE_DIR,
      tooling::ArgumentInsertPosition::END));
  return Tool.run(tooling::newFrontendActionFactory<LowerAction>().get());
}
