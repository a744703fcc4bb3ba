//===- MissingCapability.cpp - Calls that need an allocator context -------===//
//
// FILE: plugin/core/MissingCapability.cpp
// DESCRIPTION: The check tacit-missing-capability. Every call to a function
//   that requires an allocator context ([[tacit::uses(alloc)]], see
//   Capabilities.h) — plain, member, operator, constructor (implicit ones and
//   `new T(...)` included), template instantiation, virtual call through a
//   base — must sit lexically inside with_alloc, or in a function whose body
//   is a context. Otherwise: one error per call site, a note at the
//   requirement, and fix-it notes (add the attribute to the enclosing
//   function; wrap the statement in with_alloc(tacit::current())) where they
//   would mean what they say.
//   docs/diagnostics.md#missingcapability, test/plugin/MissingCapability.cpp
//
//===----------------------------------------------------------------------===//
#include "Check.h"
#include "FixIts.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace tacit {
namespace {

// Why the call site is not in a context (the %select in ErrID).
enum class NoContext {
  Outside,         // no with_alloc around, and the function is not uses(alloc)
  InWithoutAlloc,  // a without_alloc block
  InHeapFunction,  // a [[tacit::without(alloc)]] function
  InLambda,        // a lambda written inside with_alloc
  InStaticInit,    // a function-local static's initializer
};

class MissingCapability : public Check {
public:
  explicit MissingCapability(CheckContext &C)
      : Check(CheckId::MissingCapability, C) {
    ErrID = Diag.error(
        "%select{call to %1|construction of %1}0 requires an allocator "
        "context; call it inside with_alloc or from a function declared "
        "[[tacit::uses(alloc)]]%select{|: a without_alloc block runs on "
        "the global heap, not in an allocator context|: a "
        "[[tacit::without(alloc)]] function runs on the global heap, not "
        "in an allocator context|: a lambda's body is a function of its "
        "own and does not inherit the enclosing with_alloc|: a "
        "function-local static is initialized on the global heap, not in "
        "the enclosing allocator context}2");
    DeclaredID = Diag.note("%0 is declared [[tacit::uses(alloc)]] here");
    InheritedID = Diag.note("%0 requires an allocator context because it "
                            "overrides %1, declared [[tacit::uses(alloc)]] "
                            "here");
    ImplicitID = Diag.note("the implicit constructor of %0 requires an "
                           "allocator context because it calls %1, declared "
                           "[[tacit::uses(alloc)]] here");
    AddAttrID = Diag.note("add [[tacit::uses(alloc)]] to %select{%1|the "
                          "lambda}0 to require the context from its callers");
    WrapID = Diag.note("or open an allocator context around the call");
  }

  void onStmt(Stmt *S, const Where &W) override {
    if (auto *E = dyn_cast<CallExpr>(S)) {
      if (const FunctionDecl *FD = E->getDirectCallee())
        check(FD, E->getExprLoc(), E, /*IsConstruction=*/false, W);
    } else if (auto *E = dyn_cast<CXXConstructExpr>(S)) {
      check(E->getConstructor(), E->getLocation(), E, /*IsConstruction=*/true,
            W);
    }
  }

private:
  void check(const FunctionDecl *Callee, SourceLocation Loc, const Expr *E,
             bool IsConstruction, const Where &W) {
    std::optional<Requirement> R = Caps.requiresAlloc(Callee);
    if (!R || W.inAllocContext())
      return;
    if (Loc.isInvalid())
      Loc = E->getBeginLoc();
    SourceLocation At = Diag.claim(Loc);
    if (At.isInvalid())
      return;

    NoContext Why = NoContext::Outside;
    if (W.StaticInit)
      Why = NoContext::InStaticInit;
    else if (const Scope *S = W.innermost())
      Why = S->Kind == ScopeKind::WithoutAlloc ? NoContext::InWithoutAlloc
                                               : NoContext::Outside;
    else if (Caps.runsOnHeap(W.Function))
      Why = NoContext::InHeapFunction;
    else if (W.Lambda && W.LambdaWrittenInWithAlloc)
      Why = NoContext::InLambda;

    const NamedDecl *Shown = Callee;
    if (IsConstruction)
      Shown = cast<CXXConstructorDecl>(Callee)->getParent();
    Diag.report(At, ErrID) << IsConstruction << Shown << unsigned(Why)
                           << E->getSourceRange();

    switch (R->How) {
    case Requirement::Declared:
      Diag.report(R->Attr->getLocation(), DeclaredID) << R->Source;
      break;
    case Requirement::Inherited:
      Diag.report(R->Attr->getLocation(), InheritedID) << Callee << R->Source;
      break;
    case Requirement::ImplicitConstructor:
      Diag.report(R->Attr->getLocation(), ImplicitID)
          << cast<CXXConstructorDecl>(Callee)->getParent() << R->Source;
      break;
    }

    // Fix-its only where they mean what they say. Inside without_alloc, a
    // [[tacit::without(alloc)]] function or a static's initializer the
    // global heap is in context by design: tacit::current() is the heap
    // there, so wrapping the call in with_alloc(tacit::current()) would
    // silence the error and change nothing, and the attribute would not
    // help either. The fix there is the user's choice of a resource.
    if (Why == NoContext::Outside || Why == NoContext::InLambda) {
      suggestAttribute(W);
      suggestWrap(E);
    }
  }

  void suggestAttribute(const Where &W) {
    if (W.Lambda) {
      if (auto Fix = addUsesToLambda(*W.Lambda, SM, Ctx.getLangOpts()))
        Diag.report(Fix->RemoveRange.getBegin(), AddAttrID) << 1 << "" << *Fix;
      return;
    }
    if (!W.Function)
      return;
    if (auto Fix = addUsesToFunction(*W.Function, SM))
      Diag.report(Fix->RemoveRange.getBegin(), AddAttrID)
          << 0 << W.Function << *Fix;
  }

  void suggestWrap(const Expr *E) {
    const Stmt *S = enclosingStatement(E);
    if (!S || isa<DeclStmt>(S))
      return; // wrapping a declaration would end its variables' scope
    auto Fixes = wrapInWithAlloc(*S, SM, Ctx.getLangOpts());
    if (!Fixes)
      return;
    Diag.report(Fixes->first.RemoveRange.getBegin(), WrapID)
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
};

} // namespace

std::unique_ptr<Check> makeMissingCapability(CheckContext &C) {
  return std::make_unique<MissingCapability>(C);
}

} // namespace tacit
