//===- TacitLower.cpp - Print the lowered source of a file ----------------===//
//
// FILE: tools/tacit-lower/TacitLower.cpp
// DESCRIPTION: A LibTooling tool that runs Tacit's checks (the plugin's core,
//   plugin/core) on a file and prints the file as the plugin lowers it: each
//   [[tacit::without(alloc)]] body opens a ::tacit::detail::heap_scope first
//   thing, a without(alloc) constructor's written initializers each run in
//   one (SourceLowering::lowerInitializers), and the tacit attributes become
//   comments. Each coroutine the plugin lowers (CoroutineLowering.h) is
//   shown as comments: what its body now starts and ends with, and at each
//   co_await / co_yield the hooks it got (CoroutineComments) — comments,
//   because the lowering cannot be spelled in source (the initial suspend,
//   the hooks inside a co_await), and a coro_context written as code without
//   its hooks would break the context stack. The output compiles
//   with <tacit/alloc.hpp>, with or without the plugin. Diagnostics go to
//   stderr; with errors, nothing is printed and the exit status is 1.
// USAGE:
//   tacit-lower file.cpp [-p build-dir]        (reads compile_commands.json)
//   tacit-lower file.cpp -- -std=c++20 -Iruntime/include
//
//===----------------------------------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "AngleBlocks.h"
#include "Capabilities.h"
#include "Consumer.h"
#include "CoroutineLowering.h"
#include "UserCode.h"
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

#include <map>

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
    // (Several sites, one per capability, share the body's `{`: their
    // text goes in together, once per body however often it is seen.)
    SourceLocation LBrace;
    std::string Text;
    for (const tacit::LoweringSite &Site : tacit::loweringSites(
             FD, C.capabilities(), C.validator(), C.options())) {
      if (!Site.LBrace.isFileID() || !SM.isInMainFile(Site.LBrace))
        continue;
      LBrace = Site.LBrace;
      Text += tacit::loweringText(Site);
    }
    if (!Text.empty() && Done.insert(LBrace.getRawEncoding()).second)
      R.InsertTextAfterToken(LBrace, Text);
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
        tacit::Capability Cap;
        bool Uses;
        if (!tacit::annotatedCapability(*A, Cap, Uses)) // alloc's or a context's
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

// The coroutine lowering, as comments in the main file. It reads the lowered
// AST (the lowering runs in tacit-lower too), so it shows what the plugin
// did: nothing for a coroutine it did not lower (a lambda never used is not
// lowered, nor emitted), a guard only where it put one. Template
// instantiations share their pattern's text: a suspension point is said to
// have a guard in some instantiations when it has one in some only.
//
//   task f() { /*tacit: ::tacit::detail::coro_context __tacit_coro; try {
//              co_await promise.initial_suspend() with await_ready() ||
//              __tacit_coro.suspending(); (__tacit_coro.initial_resumed(),
//              awaiter).await_resume();*/
//     co_await /*tacit: await_ready() || __tacit_coro.suspending();
//              (__tacit_coro.resumed(), awaiter).await_resume()*/ g();
//   /*tacit: promise.return_void(); } catch (...) { if
//   (!__tacit_coro.started()) throw; promise.unhandled_exception(); }*/}
//
// (each comment on one line: the output keeps the file's line numbers).
class CoroutineComments : public tacit::UserCodeVisitor<CoroutineComments> {
public:
  explicit CoroutineComments(Rewriter &R)
      : UserCodeVisitor(R.getSourceMgr()), R(R) {}

  bool shouldVisitTemplateInstantiations() const { return true; }
  bool VisitFunctionDecl(FunctionDecl *FD) {
    collect(FD);
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr *L) {
    CXXMethodDecl *Op = L->getCallOperator();
    collect(Op);
    if (FunctionTemplateDecl *Generic = Op->getDescribedFunctionTemplate())
      for (FunctionDecl *Spec : Generic->specializations())
        collect(Spec);
    return true;
  }

  void write() {
    for (auto &[Raw, Text] : Opening)
      R.InsertTextAfterToken(SourceLocation::getFromRawEncoding(Raw), Text);
    for (auto &[Raw, Text] : Closing)
      R.InsertTextBefore(SourceLocation::getFromRawEncoding(Raw), Text);
    for (auto &[Raw, Text] : ClosingAfter)
      R.InsertTextAfterToken(SourceLocation::getFromRawEncoding(Raw), Text);
    for (auto &[Raw, P] : Points)
      R.InsertTextAfterToken(SourceLocation::getFromRawEncoding(Raw),
                             " /*tacit:" + hooks(P, "resumed") + "*/");
  }

private:
  // What one suspension point got, over the instantiations that share it.
  struct Point {
    bool Ready = false, Resume = false;
    unsigned Seen = 0, Guards = 0;
    void add(const tacit::SuspensionHooks &H) {
      Ready |= H.Ready;
      Resume |= H.Resume;
      Guards += H.Guard;
      ++Seen;
    }
  };

  static std::string hooks(const Point &P, const char *Resume) {
    std::string Text;
    if (P.Ready)
      Text += " await_ready() || __tacit_coro.suspending();";
    if (P.Guards)
      Text += std::string(" (::tacit::detail::suspend_guard(), "
                          "await_suspend(h))") +
              (P.Guards == P.Seen ? ";" : " in some instantiations;");
    if (P.Resume)
      Text += std::string(" (__tacit_coro.") + Resume +
              "(), awaiter).await_resume();";
    if (!Text.empty())
      Text.pop_back(); // the last `;`
    return Text;
  }

  bool inMain(SourceLocation L) const {
    return L.isValid() && L.isFileID() && SM.isInMainFile(L);
  }

  void collect(FunctionDecl *FD) {
    auto *CB = dyn_cast_or_null<CoroutineBodyStmt>(
        FD->doesThisDeclarationHaveABody() ? FD->getBody() : nullptr);
    if (!CB)
      return;
    std::optional<tacit::LoweredCoroutine> P = tacit::loweredParts(*CB);
    if (!P)
      return;
    CompoundStmt *Body = P->Body;
    // A function-try-block's body is a compound Sema made, with no braces:
    // the comments go after `try` and after the last handler.
    bool Braces = Body->getLBracLoc().isValid();
    if (!Braces && Body->body_empty())
      return;
    SourceLocation Open = Braces ? Body->getLBracLoc()
                                 : Body->body_front()->getBeginLoc();
    SourceLocation Close = Braces ? Body->getRBracLoc()
                                  : Body->body_back()->getEndLoc();
    if (!inMain(Open) || !inMain(Close))
      return;
    if (!Opening.count(Open.getRawEncoding())) {
      Point Init;
      if (auto *E = dyn_cast_or_null<CoroutineSuspendExpr>(
              firstSuspend(P->InitialSuspend)))
        Init.add(tacit::hooksOf(*E));
      Opening[Open.getRawEncoding()] =
          std::string(" /*tacit: ::tacit::detail::coro_context "
                      "__tacit_coro;") +
          (P->Try ? " try {" : "") + " co_await promise.initial_suspend():" +
          hooks(Init, "initial_resumed") + ";*/";
      std::string End;
      if (P->OnFallthrough)
        End += " promise.return_void();";
      if (P->Try)
        End += " } catch (...) { if (!__tacit_coro.started()) throw; "
               "promise.unhandled_exception(); }";
      if (!End.empty())
        (Braces ? Closing : ClosingAfter)[Close.getRawEncoding()] =
            "/*tacit:" + End + "*/";
    }
    points(Body);
  }

  static Stmt *firstSuspend(Stmt *St) {
    if (!St || isa<CoroutineSuspendExpr>(St))
      return St;
    for (Stmt *Child : St->children())
      if (Stmt *E = firstSuspend(Child))
        return E;
    return nullptr;
  }

  // The co_await and co_yield written in this coroutine's own body.
  void points(Stmt *St) {
    if (!St || isa<BlockExpr>(St))
      return;
    if (auto *L = dyn_cast<LambdaExpr>(St)) {
      for (Expr *Init : L->capture_inits()) // [x = co_await f()] is ours
        points(Init);
      return; // its body is a coroutine of its own
    }
    if (auto *E = dyn_cast<CoroutineSuspendExpr>(St)) {
      points(E->getOperand());
      SourceLocation K = E->getKeywordLoc();
      bool Written = isa<CoyieldExpr>(E) ||
                     (isa<CoawaitExpr>(E) && !cast<CoawaitExpr>(E)->isImplicit());
      if (Written && inMain(K))
        Points[K.getRawEncoding()].add(tacit::hooksOf(*E));
      return;
    }
    for (Stmt *Child : St->children())
      points(Child);
  }

  Rewriter &R;
  std::map<unsigned, std::string> Opening, Closing, ClosingAfter;
  std::map<unsigned, Point> Points;
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
    CoroutineComments Coroutines(R);
    Coroutines.TraverseDecl(Ctx.getTranslationUnitDecl());
    Coroutines.write();
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
