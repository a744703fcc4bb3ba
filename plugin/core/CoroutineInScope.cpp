//===- CoroutineInScope.cpp - No suspension inside a scope block ----------===//
//
// FILE: plugin/core/CoroutineInScope.cpp
// DESCRIPTION: See CoroutineInScope.h.
//
//===----------------------------------------------------------------------===//
#include "CoroutineInScope.h"
#include "ScopeWalker.h"

#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/DenseSet.h"

using namespace clang;

namespace tacit {
namespace {

class CoroutineInScope : public ScopeWalker<CoroutineInScope> {
public:
  CoroutineInScope(ASTContext &Ctx, Capabilities &Caps)
      : ScopeWalker(Ctx, Caps) {
    DiagnosticsEngine &D = Ctx.getDiagnostics();
    ErrID = errorID(
        D, "'%0' inside a %1 block: the coroutine would suspend with the "
           "block's allocator context still active, and the context would "
           "leak into whatever resumes on this thread; end the %1 block "
           "before '%0'");
    ScopeID = noteID(D, "%0 block opened here");
  }

  bool VisitCoawaitExpr(CoawaitExpr *E) {
    if (!E->isImplicit())
      report(E->getKeywordLoc(), "co_await");
    return true;
  }
  bool VisitDependentCoawaitExpr(DependentCoawaitExpr *E) {
    report(E->getKeywordLoc(), "co_await");
    return true;
  }
  bool VisitCoyieldExpr(CoyieldExpr *E) {
    report(E->getKeywordLoc(), "co_yield");
    return true;
  }
  bool VisitCoreturnStmt(CoreturnStmt *S) {
    if (!S->isImplicit())
      report(S->getKeywordLoc(), "co_return");
    return true;
  }

private:
  void report(SourceLocation Loc, const char *Keyword) {
    const Scope *S = Cur.innermost();
    if (!S)
      return;
    SourceLocation At = userLoc(Loc);
    if (inSystemHeader(At) || !Reported.insert(At.getRawEncoding()).second)
      return;
    DiagnosticsEngine &D = Ctx.getDiagnostics();
    D.Report(At, ErrID) << Keyword << spelling(S->Kind);
    D.Report(userLocation(*S, D.getSourceManager()), ScopeID) << spelling(S->Kind);
  }

  unsigned ErrID, ScopeID;
  llvm::DenseSet<unsigned> Reported;
};

} // namespace

void checkCoroutineInScope(ASTContext &Ctx, Capabilities &Caps,
                           const Options &) {
  CoroutineInScope(Ctx, Caps).run();
}

} // namespace tacit
