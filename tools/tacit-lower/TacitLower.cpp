//===- TacitLower.cpp - Print the lowered source of a file ----------------===//
//
// FILE: tools/tacit-lower/TacitLower.cpp
// DESCRIPTION: A LibTooling tool that runs Tacit's checks (the plugin's core,
//   plugin/core) on a file and prints the file as the plugin lowers it: each
//   [[tacit::without(alloc)]] body opens a ::tacit::detail::heap_scope first
//   thing, a without(alloc) constructor's written initializers each run in
//   one (SourceLowering::lowerInitializers), and the tacit attributes become
//   comments. The output compiles
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
  SourceLowering(Rewriter &R, tacit::Consumer &C, ASTContext &Ctx)
      : R(R), SM(R.getSourceMgr()), C(C), Ctx(Ctx) {}

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
    if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(&FD))
      lowerInitializers(*Ctor);
  }

  // The initializers the plugin lowers (tacit::initializersToLower), as
  // text, where they are written in the main file:
  //   member:    m(args)  ->  m((HS, void(), decltype(this->m)(args)))
  //              m{args}  ->  m((HS, void(), decltype(this->m){args}))
  //     the prvalue initializes m directly (C++17 guaranteed elision), so
  //     non-copyable, non-movable members work;
  //   base, delegating, array:  each argument a of a ( ) list becomes
  //     (HS, void(), a) (their order is unspecified: every one opens a
  //     scope, so whichever runs first has it, and all stay open until the
  //     initializer ends); in a { } list, which runs left to right, only the
  //     first element that runs code (a base or delegated-to object cannot
  //     be elided from a prvalue, so the member form would need a move).
  // HS is ::tacit::detail::heap_scope("f.cpp", 12u); `void()` keeps any
  // user operator, out. What cannot be written so -- an implicit
  // initializer (a default member initializer, a member or base built
  // implicitly, a defaulted constructor's), an empty base list `B()`, a
  // braced argument -- is printed as written, with the initializer warning.
  void lowerInitializers(const CXXConstructorDecl &Ctor) {
    tacit::LoweringSite Site;
    for (unsigned Index :
         tacit::initializersToLower(Ctor, C.validator(), Site)) {
      const CXXCtorInitializer &I = *Ctor.init_begin()[Index];
      if (!wrapInitializer(I, Site))
        C.validator().warnEarlyInitializer(Ctor, I);
    }
  }
  bool inMain(SourceLocation L) const {
    return L.isValid() && L.isFileID() && SM.isInMainFile(L);
  }
  bool wrapInitializer(const CXXCtorInitializer &I,
                       const tacit::LoweringSite &Site) {
    SourceLocation LP = I.getLParenLoc(), RP = I.getRParenLoc();
    if (!I.isWritten() || !inMain(LP) || !inMain(RP))
      return false;
    std::string Open = "(" + tacit::heapScopeText(Site) + ", void(), ";
    if (Done.count(LP.getRawEncoding()))
      return true; // another instantiation of the same text
    const FieldDecl *F = I.getAnyMember();
    if (F && !F->getType()->isArrayType()) {
      Done.insert(LP.getRawEncoding());
      R.InsertTextBefore(LP, "(" + Open + "decltype(this->" +
                                 F->getName().str() + ")");
      R.InsertTextAfterToken(RP, "))");
      return true;
    }
    bool Braces = *SM.getCharacterData(LP) == '{';
    llvm::SmallVector<const Expr *, 4> Args = writtenArgs(I.getInit());
    llvm::SmallVector<const Expr *, 4> Wrap;
    for (const Expr *A : Args) {
      SourceLocation B = A->getBeginLoc(), E = A->getEndLoc();
      if (!inMain(B) || !inMain(E) || !SM.isBeforeInTranslationUnit(LP, B) ||
          !SM.isBeforeInTranslationUnit(E, RP) ||
          llvm::StringRef(".[{").contains(*SM.getCharacterData(B)))
        return false; // a braced or designated argument, a macro
      if (!Braces) {
        Wrap.push_back(A);
      } else if (tacit::mayRunCode(A, Ctx)) {
        Wrap.push_back(A);
        break;
      }
    }
    if (Braces && Wrap.empty() && !Args.empty() &&
        Args.front() == Args.front()->IgnoreImpCasts())
      Wrap.push_back(Args.front()); // no conversion: no narrowing to break
    if (Wrap.empty())
      return false;
    Done.insert(LP.getRawEncoding());
    for (const Expr *A : Wrap) {
      if (!Done.insert(A->getBeginLoc().getRawEncoding()).second)
        continue;
      R.InsertTextBefore(A->getBeginLoc(), Open);
      R.InsertTextAfterToken(A->getEndLoc(), ")");
    }
    return true;
  }
  // The arguments as written between an initializer's parentheses or
  // braces, as far as the expression tells them.
  static llvm::SmallVector<const Expr *, 4> writtenArgs(const Expr *Init) {
    llvm::SmallVector<const Expr *, 4> Out;
    if (!Init)
      return Out;
    Init = Init->IgnoreImplicit();
    if (const auto *CE = dyn_cast<CXXConstructExpr>(Init)) {
      for (const Expr *A : CE->arguments())
        if (!isa<CXXDefaultArgExpr>(A))
          Out.push_back(A);
    } else if (const auto *IL = dyn_cast<InitListExpr>(Init)) {
      if (const InitListExpr *Syn = IL->getSyntacticForm())
        IL = Syn;
      for (const Expr *A : IL->inits())
        Out.push_back(A);
    } else if (const auto *PL = dyn_cast<CXXParenListInitExpr>(Init)) {
      for (const Expr *A : PL->getUserSpecifiedInitExprs())
        Out.push_back(A);
    }
    return Out;
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
  ASTContext &Ctx;
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
    SourceLowering(R, *this, Ctx).TraverseDecl(Ctx.getTranslationUnitDecl());
    if (Ctx.getDiagnostics().hasErrorOccurred())
      return; // an initializer warning under werror
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
