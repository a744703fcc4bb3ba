//===- CoroutineInScope.cpp - Suspension inside a scope, unlowered --------===//
//
// FILE: plugin/core/CoroutineInScope.cpp
// DESCRIPTION: The check tacit-coroutine-in-scope. A with_alloc (or
//   without_alloc) block pushes a frame on the thread's context stack and
//   pops it when the block ends. The coroutine lowering (CoroutineLowering.h)
//   takes a coroutine's own open blocks off the thread at each suspension
//   and puts them back, relinked, wherever it resumes: then a co_await or
//   co_yield inside a block is fine. What is left for this check is the
//   coroutine the lowering does not take — switched off
//   (-fplugin-arg-tacit-no-coroutine-lowering), a <tacit/alloc.hpp> that
//   lacks the coroutine runtime, or a body Sema refused to lower: there,
//   suspending inside a block leaves the frame on the thread, the context
//   leaks into whatever runs next on it, and the block ends on whichever
//   thread resumes the coroutine (the runtime stops the program then). An
//   error, at the keyword, saying which of the three it is.
//
//   Not reported: co_return (the body's blocks end before the final
//   suspend, on the thread that runs it), a coroutine template's pattern
//   while the lowering is on (each instantiation is judged), a lambda
//   written inside a block (a function of its own).
//   docs/diagnostics.md#coroutineinscope, test/plugin/CoroutineInScope*.cpp
//
//===----------------------------------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "Check.h"
#include "CoroutineLowering.h"

#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace tacit {
namespace {

class CoroutineInScope : public Check {
public:
  explicit CoroutineInScope(CheckContext &C)
      : Check(CheckId::CoroutineInScope, C), Coroutines(C.Coroutines) {
    ErrID = Diag.error(
        "'%0' inside a %1 block of a coroutine that is not lowered (%select{"
        "-fplugin-arg-tacit-no-coroutine-lowering|<tacit/alloc.hpp> does not "
        "declare tacit::detail::coro_context and suspend_guard: a header "
        "older than the plugin|the plugin could not lower this coroutine}2): "
        "the coroutine would suspend with the block's allocator context "
        "still active, and the context would leak into whatever resumes on "
        "this thread; end the %1 block before '%0'");
    ScopeID = Diag.note("%0 block opened here");
    // The same for a with_context block (a user context, issue 18).
    CtxErrID = Diag.error(
        "'%0' inside a with_context(%1, ...) block of a coroutine that is not "
        "lowered (%select{-fplugin-arg-tacit-no-coroutine-lowering|"
        "<tacit/alloc.hpp> does not declare tacit::detail::coro_context and "
        "suspend_guard: a header older than the plugin|the plugin could not "
        "lower this coroutine}2): the coroutine would suspend with the "
        "block's '%1' context still in effect, and it would leak into "
        "whatever resumes on this thread; end the with_context block before "
        "'%0'");
    CtxScopeID = Diag.note("with_context(%0, ...) block opened here");
  }

  void onStmt(Stmt *S, const Where &W) override {
    if ((!W.innermost() && W.ContextScopes.empty()) || !W.Function)
      return;
    if (auto *E = dyn_cast<CoawaitExpr>(S)) {
      if (!E->isImplicit())
        report(E->getKeywordLoc(), "co_await", W);
    } else if (auto *E = dyn_cast<DependentCoawaitExpr>(S)) {
      report(E->getKeywordLoc(), "co_await", W);
    } else if (auto *E = dyn_cast<CoyieldExpr>(S)) {
      report(E->getKeywordLoc(), "co_yield", W);
    }
  }

private:
  // Why W's coroutine is not lowered, if it is not.
  std::optional<CoroutineRefusal> refusal(const Where &W) {
    if (!Coroutines)
      return CoroutineRefusal::Off;
    // A pattern is never lowered; its instantiations are, and are walked.
    if (W.Function->isDependentContext())
      return std::nullopt;
    return Coroutines->refusal(*W.Function);
  }

  void report(SourceLocation Loc, const char *Keyword, const Where &W) {
    std::optional<CoroutineRefusal> Why = refusal(W);
    if (!Why)
      return;
    const Scope *S = W.innermost();
    SourceLocation At = Diag.claim(Loc);
    if (At.isInvalid())
      return;
    if (S) {
      Diag.report(At, ErrID) << Keyword << spelling(S->Kind) << unsigned(*Why);
      Diag.report(userLocation(*S, SM), ScopeID) << spelling(S->Kind);
      return;
    }
    const ContextScope &CS = W.ContextScopes.back();
    std::string Name = capabilityName(CS.Context);
    Diag.report(At, CtxErrID) << Keyword << Name << unsigned(*Why);
    Diag.report(SM.getExpansionLoc(CS.Marker->getLocation()), CtxScopeID)
        << Name;
  }

  CoroutineLowering *Coroutines;
  unsigned ErrID, ScopeID, CtxErrID, CtxScopeID;
};

} // namespace

std::unique_ptr<Check> makeCoroutineInScope(CheckContext &C) {
  return std::make_unique<CoroutineInScope>(C);
}

} // namespace tacit
