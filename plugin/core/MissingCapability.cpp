//===- MissingCapability.cpp - Calls that need an allocator context -------===//
//
// FILE: plugin/core/MissingCapability.cpp
// DESCRIPTION: See MissingCapability.h.
//
//===----------------------------------------------------------------------===//
#include "MissingCapability.h"
#include "FixIts.h"
#include "ScopeWalker.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseSet.h"

using namespace clang;

namespace tacit {
namespace {

class MissingCapability : public ScopeWalker<MissingCapability> {
public:
  MissingCapability(ASTContext &Ctx, Capabilities &Caps, const Options &Opts)
      : ScopeWalker(Ctx, Caps) {
    DiagnosticsEngine &D = Ctx.getDiagnostics();
    ErrID = errorID(
        D, "%select{call to %1|construction of %1}0 requires an allocator "
           "context; call it inside with_alloc or from a function declared "
           "[[tacit::uses(alloc)]]%select{|: a without_alloc block runs on "
           "the global heap, not in an allocator context|: a "
           "[[tacit::without(alloc)]] function runs on the global heap, not "
           "in an allocator context|: a lambda's body is a function of its "
           "own and does not inherit the enclosing with_alloc}2");
    DeclaredID = noteID(D, "%0 is declared [[tacit::uses(alloc)]] here");
    InheritedID = noteID(D, "%0 requires an allocator context because it "
                            "overrides %1, declared [[tacit::uses(alloc)]] "
                            "here");
    ImplicitID = noteID(D, "the implicit constructor of %0 requires an "
                           "allocator context because it calls %1, declared "
                           "[[tacit::uses(alloc)]] here");
    AddAttrID = noteID(D, "add [[tacit::uses(alloc)]] to %select{%1|the "
                          "lambda}0 to require the context from its callers");
    WrapID = noteID(D, "or open an allocator context around the call");
  }

  bool VisitCallExpr(CallExpr *E) {
    if (const FunctionDecl *FD = E->getDirectCallee())
      check(FD, E->getExprLoc(), E, /*IsConstruction=*/false);
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *E) {
    check(E->getConstructor(), E->getLocation(), E, /*IsConstruction=*/true);
    return true;
  }

private:
  void check(const FunctionDecl *Callee, SourceLocation Loc, const Expr *E,
             bool IsConstruction) {
    std::optional<Requirement> R = Caps.requiresAlloc(Callee);
    if (!R || Cur.inAllocContext())
      return;
    if (Loc.isInvalid())
      Loc = E->getBeginLoc();
    SourceLocation At = userLoc(Loc);
    if (inSystemHeader(At) || !Reported.insert(At.getRawEncoding()).second)
      return;

    unsigned Why = 0;
    if (const Scope *S = Cur.innermost())
      Why = S->Kind == ScopeKind::WithoutAlloc ? 1 : 0;
    else if (Caps.runsOnHeap(Cur.Function))
      Why = 2;
    else if (Cur.Lambda && Cur.LambdaWrittenInWithAlloc)
      Why = 3;

    DiagnosticsEngine &D = Ctx.getDiagnostics();
    const NamedDecl *Shown = Callee;
    if (IsConstruction)
      Shown = cast<CXXConstructorDecl>(Callee)->getParent();
    D.Report(At, ErrID) << IsConstruction << Shown << Why
                        << E->getSourceRange();

    switch (R->How) {
    case Requirement::Declared:
      D.Report(R->Attr->getLocation(), DeclaredID) << R->Source;
      break;
    case Requirement::Inherited:
      D.Report(R->Attr->getLocation(), InheritedID) << Callee << R->Source;
      break;
    case Requirement::ImplicitConstructor:
      D.Report(R->Attr->getLocation(), ImplicitID)
          << cast<CXXConstructorDecl>(Callee)->getParent() << R->Source;
      break;
    }

    // Only where the attribute would help: not inside without_alloc (which
    // discards any context) and not in a without(alloc) function (which
    // cannot also be uses(alloc)).
    if (Why != 1 && Why != 2)
      suggestAttribute();
    suggestWrap(E);
  }

  void suggestAttribute() {
    DiagnosticsEngine &D = Ctx.getDiagnostics();
    if (Cur.Lambda) {
      if (auto Fix = addUsesToLambda(*Cur.Lambda, SM, Ctx.getLangOpts()))
        D.Report(Fix->RemoveRange.getBegin(), AddAttrID) << 1 << "" << *Fix;
      return;
    }
    if (!Cur.Function)
      return;
    if (auto Fix = addUsesToFunction(*Cur.Function, SM)) {
      const FunctionDecl *F = Cur.Function;
      D.Report(Fix->RemoveRange.getBegin(), AddAttrID) << 0 << F << *Fix;
    }
  }

  void suggestWrap(const Expr *E) {
    const Stmt *S = enclosingStatement(E);
    if (!S || isa<DeclStmt>(S))
      return; // wrapping a declaration would end its variables' scope
    auto Fixes = wrapInWithAlloc(*S, SM, Ctx.getLangOpts());
    if (!Fixes)
      return;
    Ctx.getDiagnostics().Report(Fixes->first.RemoveRange.getBegin(), WrapID)
        << Fixes->first << Fixes->second;
  }

  // The statement, directly in a { } block, that contains E.
  const Stmt *enclosingStatement(const Expr *E) {
    DynTypedNode N = DynTypedNode::create(*E);
    const Stmt *Child = E;
    for (;;) {
      auto Parents = Ctx.getParents(N);
      if (Parents.empty())
        return nullptr;
      N = Parents[0];
      if (N.get<CompoundStmt>())
        return Child;
      const Stmt *S = N.get<Stmt>();
      if (!S)
        return nullptr;
      Child = S;
    }
  }

  unsigned ErrID, DeclaredID, InheritedID, ImplicitID, AddAttrID, WrapID;
  llvm::DenseSet<unsigned> Reported;
};

} // namespace

void checkMissingCapability(ASTContext &Ctx, Capabilities &Caps,
                            const Options &Opts) {
  MissingCapability(Ctx, Caps, Opts).run();
}

} // namespace tacit
