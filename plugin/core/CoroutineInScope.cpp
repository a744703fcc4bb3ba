//===- CoroutineInScope.cpp - No suspension inside a scope block ----------===//
//
// FILE: plugin/core/CoroutineInScope.cpp
// DESCRIPTION: The check tacit-coroutine-in-scope. A with_alloc (or
//   without_alloc) block pushes a frame on the thread's context stack and
//   pops it when the block ends. A co_await, co_yield or co_return inside
//   the block suspends the coroutine with the frame still pushed: the
//   context leaks into whoever resumes next on this thread, and the frame is
//   popped on whichever thread resumes the coroutine. An error, at the
//   keyword.
//   docs/diagnostics.md#coroutineinscope, test/plugin/CoroutineInScope.cpp
//
//===----------------------------------------------------------------------===//
#include "Check.h"

#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace tacit {
namespace {

class CoroutineInScope : public Check {
public:
  explicit CoroutineInScope(CheckContext &C)
      : Check(CheckId::CoroutineInScope, C) {
    ErrID = Diag.error(
        "'%0' inside a %1 block: the coroutine would suspend with the "
        "block's allocator context still active, and the context would "
        "leak into whatever resumes on this thread; end the %1 block "
        "before '%0'");
    ScopeID = Diag.note("%0 block opened here");
  }

  void onStmt(Stmt *S, const Where &W) override {
    if (!W.innermost())
      return;
    if (auto *E = dyn_cast<CoawaitExpr>(S)) {
      if (!E->isImplicit())
        report(E->getKeywordLoc(), "co_await", W);
    } else if (auto *E = dyn_cast<DependentCoawaitExpr>(S)) {
      report(E->getKeywordLoc(), "co_await", W);
    } else if (auto *E = dyn_cast<CoyieldExpr>(S)) {
      report(E->getKeywordLoc(), "co_yield", W);
    } else if (auto *R = dyn_cast<CoreturnStmt>(S)) {
      if (!R->isImplicit())
        report(R->getKeywordLoc(), "co_return", W);
    }
  }

private:
  void report(SourceLocation Loc, const char *Keyword, const Where &W) {
    const Scope *S = W.innermost();
    SourceLocation At = Diag.claim(Loc);
    if (At.isInvalid())
      return;
    Diag.report(At, ErrID) << Keyword << spelling(S->Kind);
    Diag.report(userLocation(*S, SM), ScopeID) << spelling(S->Kind);
  }

  unsigned ErrID, ScopeID;
};

} // namespace

std::unique_ptr<Check> makeCoroutineInScope(CheckContext &C) {
  return std::make_unique<CoroutineInScope>(C);
}

} // namespace tacit
