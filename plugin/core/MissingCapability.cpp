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
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "Check.h"
#include "FixIts.h"

#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
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

// Which function requiring alloc a std template's instantiated body reaches,
// directly or through other instantiated std code: `std::make_unique<W>()`,
// `v.emplace_back(...)` and `std::vector<W>(3)` construct the user's W.
// Only instantiations are followed (a non-template std function cannot name
// the user's functions), only through direct calls (not through function
// pointers or std::function's type erasure: PointerLosesCapability warns
// where those are made), and the answer is remembered per function.
class StdReach {
public:
  explicit StdReach(Capabilities &Caps) : Caps(Caps) {}

  // The function requiring alloc that F's body reaches, or null.
  const FunctionDecl *find(const FunctionDecl *F) {
    if (!followed(F))
      return nullptr;
    return visit(F, 0);
  }
  // Where in F's body the path to it starts.
  SourceLocation callSite(const FunctionDecl *F) const {
    auto It = Memo.find(F->getCanonicalDecl());
    return It == Memo.end() ? F->getLocation() : It->second.Site;
  }

private:
  struct Answer {
    const FunctionDecl *Reached = nullptr;
    SourceLocation Site;
  };

  // A std function whose instantiated body is worth reading.
  static bool followed(const FunctionDecl *F) {
    if (!F)
      return false;
    const SourceManager &SM = F->getASTContext().getSourceManager();
    if (!SM.isInSystemHeader(SM.getFileLoc(F->getLocation())))
      return false;
    if (F->isTemplateInstantiation())
      return true;
    const auto *MD = dyn_cast<CXXMethodDecl>(F);
    return MD && isa<ClassTemplateSpecializationDecl>(MD->getParent());
  }

  class Callees : public RecursiveASTVisitor<Callees> {
  public:
    llvm::SmallVector<std::pair<const FunctionDecl *, SourceLocation>, 8> Found;
    bool shouldVisitImplicitCode() const { return true; }
    bool VisitCallExpr(CallExpr *E) {
      if (const FunctionDecl *FD = E->getDirectCallee())
        Found.push_back({FD, E->getExprLoc()});
      return true;
    }
    bool VisitCXXConstructExpr(CXXConstructExpr *E) {
      Found.push_back({E->getConstructor(), E->getLocation()});
      return true;
    }
    bool VisitCXXNewExpr(CXXNewExpr *E) {
      if (const FunctionDecl *FD = E->getOperatorNew())
        Found.push_back({FD, E->getBeginLoc()});
      return true;
    }
    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
    bool TraverseUnaryExprOrTypeTraitExpr(UnaryExprOrTypeTraitExpr *) {
      return true;
    }
    bool TraverseDecltypeTypeLoc(DecltypeTypeLoc) { return true; }
  };

  const FunctionDecl *visit(const FunctionDecl *F, unsigned Depth) {
    const FunctionDecl *Key = F->getCanonicalDecl();
    auto It = Memo.find(Key);
    if (It != Memo.end())
      return It->second.Reached;
    Memo[Key] = Answer{}; // a cycle ends here
    const FunctionDecl *Def = nullptr;
    if (Depth > 24 || !F->hasBody(Def) || !Def->getBody())
      return nullptr;
    Callees C;
    C.TraverseStmt(Def->getBody());
    if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Def))
      for (const CXXCtorInitializer *I : Ctor->inits())
        if (I->getInit())
          C.TraverseStmt(I->getInit());
    Answer A;
    for (auto [Callee, Site] : C.Found) {
      if (Caps.requiresAlloc(Callee)) {
        A = Answer{Callee, Site};
        break;
      }
      if (followed(Callee))
        if (const FunctionDecl *Deeper = visit(Callee, Depth + 1)) {
          A = Answer{Deeper, Site};
          break;
        }
    }
    Memo[Key] = A;
    return A.Reached;
  }

  Capabilities &Caps;
  llvm::DenseMap<const FunctionDecl *, Answer> Memo;
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
    ImplicitID = Diag.note("%select{the implicit constructor of %1|%1, "
                           "written by the compiler,}0 requires an allocator "
                           "context because it calls %2, declared "
                           "[[tacit::uses(alloc)]] here");
    AddAttrID = Diag.note("add [[tacit::uses(alloc)]] to %select{%1|the "
                          "lambda}0 to require the context from its callers");
    WrapID = Diag.note("or open an allocator context around the call");
    ViaID = Diag.note("through %select{a default argument|the default member "
                      "initializer|the implicit construction}0 of %1 here");
    StdID = Diag.note("%0 (in a system header) calls %1, which requires an "
                      "allocator context");

    // The same check for a context a user declared (TACIT_CONTEXT).
    CtxErrID = Diag.error(
        "%select{call to %1|construction of %1}0 requires the '%2' context; "
        "call it inside with_context(%2, ...) or from a function declared "
        "[[tacit::uses(%2)]]%select{|: this block runs with '%2' cleared|: a "
        "[[tacit::without(%2)]] function runs with no '%2' context|: a "
        "lambda's body is a function of its own and does not inherit the "
        "enclosing with_context}3");
    CtxDeclaredID = Diag.note("%0 is declared [[tacit::uses(%1)]] here");
    CtxInheritedID = Diag.note("%0 requires the '%2' context because it "
                               "overrides %1, declared [[tacit::uses(%2)]] "
                               "here");
    CtxImplicitID = Diag.note("%select{the implicit constructor of %1|%1, "
                              "written by the compiler,}0 requires the '%3' "
                              "context because it calls %2, declared "
                              "[[tacit::uses(%3)]] here");
    CtxGetterID = Diag.note("context '%0' is declared here with no default: "
                            "tacit::get<%0>() needs an open with_context(%0, "
                            "...) (tacit::find<%0>() is the unchecked read)");
    CtxAddAttrID = Diag.note("add [[tacit::uses(%2)]] to %select{%1|the "
                             "lambda}0 to require the context from its "
                             "callers");
    CtxWrapID = Diag.note("or provide it around the call: with_context(%0, "
                          "value) { ... }");
  }

  void onStmt(Stmt *S, const Where &W) override {
    // Nothing in this translation unit says [[tacit::uses(...)]] and nothing
    // reads a context with tacit::get: no call can need a context.
    if (!Needed) {
      Needed = usesAttributeSeen() || anyGetterInstantiated(Ctx) ? 1 : 2;
    }
    if (Needed != 1)
      return;
    if (auto *E = dyn_cast<CallExpr>(S)) {
      if (const FunctionDecl *FD = E->getDirectCallee())
        check(FD, E->getExprLoc(), E, /*IsConstruction=*/false, W);
    } else if (auto *E = dyn_cast<CXXConstructExpr>(S)) {
      check(E->getConstructor(), E->getLocation(), E, /*IsConstruction=*/true,
            W);
    } else if (auto *E = dyn_cast<CXXNewExpr>(S)) {
      // A class-specific operator new (or operator delete, below).
      if (const FunctionDecl *New = E->getOperatorNew())
        check(New, E->getBeginLoc(), E, /*IsConstruction=*/false, W);
    } else if (auto *E = dyn_cast<CXXDeleteExpr>(S)) {
      if (const FunctionDecl *Delete = E->getOperatorDelete())
        check(Delete, E->getBeginLoc(), E, /*IsConstruction=*/false, W);
    }
  }

private:
  void check(const FunctionDecl *Callee, SourceLocation Loc, const Expr *E,
             bool IsConstruction, const Where &W) {
    checkAlloc(Callee, Loc, E, IsConstruction, W);
    for (Capability C : Caps.requiredContexts(Callee))
      checkContext(C, Callee, Loc, E, IsConstruction, W);
  }

  // Whether the node W stands at has user context C.
  bool hasContext(Capability C, const Where &W) {
    if (const ContextScope *S = W.innermostOf(C))
      return !S->Cleared;
    if (!W.Function)
      return false;
    return W.Function->isConsteval() || Caps.bodyHas(W.Function, C);
  }

  void checkContext(Capability C, const FunctionDecl *Callee,
                    SourceLocation Loc, const Expr *E, bool IsConstruction,
                    const Where &W) {
    if (hasContext(C, W))
      return;
    std::optional<Requirement> R = Caps.needs(Callee, C);
    if (!R)
      return;
    if (Loc.isInvalid())
      Loc = E->getBeginLoc();
    SourceLocation At = W.ReportAt.isValid() ? W.ReportAt : Loc;
    At = SM.getFileLoc(At);
    if (At.isInvalid() || SM.isInSystemHeader(At) ||
        !CtxReported.insert({At.getRawEncoding(), {Callee, C}}).second)
      return;
    std::string Name = capabilityName(C);
    enum { Outside, InCleared, InWithout, InLambda } Why = Outside;
    if (const ContextScope *S = W.innermostOf(C); S && S->Cleared)
      Why = InCleared;
    else if (Caps.runsWithout(W.Function, C))
      Why = InWithout;
    else if (W.Lambda && llvm::is_contained(W.LambdaWrittenInContexts, C))
      Why = InLambda;
    const NamedDecl *Shown = Callee;
    if (IsConstruction)
      Shown = cast<CXXConstructorDecl>(Callee)->getParent();
    {
      auto B = Diag.report(At, CtxErrID)
               << IsConstruction << Shown << Name << unsigned(Why);
      if (W.ReportAt.isInvalid())
        B << E->getSourceRange();
    }
    switch (R->How) {
    case Requirement::Declared:
      Diag.report(R->Attr->getLocation(), CtxDeclaredID) << R->Source << Name;
      break;
    case Requirement::Inherited:
      Diag.report(R->Attr->getLocation(), CtxInheritedID)
          << Callee << R->Source << Name;
      break;
    case Requirement::ImplicitConstructor:
      if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Callee))
        Diag.report(R->Attr->getLocation(), CtxImplicitID)
            << 0 << Ctor->getParent() << R->Source << Name;
      else
        Diag.report(R->Attr->getLocation(), CtxImplicitID)
            << 1 << Callee << R->Source << Name;
      break;
    case Requirement::Getter:
      Diag.report(SM.getFileLoc(C->getLocation()), CtxGetterID) << Name;
      break;
    }
    if (Why != Outside && Why != InLambda)
      return;
    // Add the capability to the enclosing function (or lambda). A wrap in
    // with_context needs a value only the user knows: a note, no fix-it.
    if (W.Lambda) {
      if (auto Fix = addUsesToLambda(*W.Lambda, SM, Ctx.getLangOpts(), Name))
        Diag.report(Fix->RemoveRange.getBegin(), CtxAddAttrID)
            << 1 << "" << Name << *Fix;
    } else if (W.Function) {
      if (auto Fix = addUsesToFunction(*W.Function, SM, Name))
        Diag.report(Fix->RemoveRange.getBegin(), CtxAddAttrID)
            << 0 << W.Function << Name << *Fix;
    }
    Diag.report(At, CtxWrapID) << Name;
  }

  void checkAlloc(const FunctionDecl *Callee, SourceLocation Loc,
                  const Expr *E, bool IsConstruction, const Where &W) {
    if (W.inAllocContext())
      return;
    std::optional<Requirement> R = Caps.requiresAlloc(Callee);
    // A std template instantiated for the user's types calls their
    // functions on the user's behalf: the user's call is the one to check.
    const FunctionDecl *Reached = nullptr;
    if (!R) {
      Reached = Reach.find(Callee);
      if (!Reached)
        return;
      R = Caps.requiresAlloc(Reached);
      if (!R)
        return;
    }
    if (Loc.isInvalid())
      Loc = E->getBeginLoc();
    SourceLocation At = W.ReportAt.isValid() ? W.ReportAt : Loc;
    At = SM.getFileLoc(At);
    if (At.isInvalid() || SM.isInSystemHeader(At) ||
        !Reported.insert({At.getRawEncoding(), Callee}).second)
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
    {
      auto B = Diag.report(At, ErrID) << IsConstruction << Shown
                                      << unsigned(Why);
      if (W.ReportAt.isInvalid())
        B << E->getSourceRange();
    }
    if (W.ReportAt.isValid() && W.ReportVia) {
      // A default argument or member initializer: shown where it is
      // written; a member built implicitly: the member.
      const auto *Param = dyn_cast<ParmVarDecl>(W.ReportVia);
      const auto *Field = dyn_cast<FieldDecl>(W.ReportVia);
      if (Param)
        Diag.report(SM.getFileLoc(Loc), ViaID)
            << 0 << cast<NamedDecl>(Param->getDeclContext());
      else if (Field && Field->hasInClassInitializer())
        Diag.report(SM.getFileLoc(Loc), ViaID) << 1 << Field;
      else
        Diag.report(SM.getFileLoc(W.ReportVia->getLocation()), ViaID)
            << 2 << cast<NamedDecl>(W.ReportVia);
    }
    if (Reached)
      Diag.report(SM.getFileLoc(Reach.callSite(Callee)), StdID)
          << Callee << Reached;
    if (Reached)
      Callee = Reached;

    switch (R->How) {
    case Requirement::Declared:
      Diag.report(R->Attr->getLocation(), DeclaredID) << R->Source;
      break;
    case Requirement::Inherited:
      Diag.report(R->Attr->getLocation(), InheritedID) << Callee << R->Source;
      break;
    case Requirement::ImplicitConstructor:
      if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Callee))
        Diag.report(R->Attr->getLocation(), ImplicitID)
            << 0 << Ctor->getParent() << R->Source;
      else
        Diag.report(R->Attr->getLocation(), ImplicitID)
            << 1 << Callee << R->Source;
      break;
    case Requirement::Getter: // (user contexts only)
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

  unsigned ErrID, DeclaredID, InheritedID, ImplicitID, AddAttrID, WrapID,
      ViaID, StdID;
  unsigned CtxErrID, CtxDeclaredID, CtxInheritedID, CtxImplicitID,
      CtxGetterID, CtxAddAttrID, CtxWrapID;
  unsigned Needed = 0; // 1: some call may need a context; 2: none can
  llvm::DenseSet<std::pair<unsigned, std::pair<const FunctionDecl *,
                                               Capability>>>
      CtxReported;
  llvm::DenseSet<std::pair<unsigned, const FunctionDecl *>> Reported;
  StdReach Reach{Caps};
};

} // namespace

std::unique_ptr<Check> makeMissingCapability(CheckContext &C) {
  return std::make_unique<MissingCapability>(C);
}

} // namespace tacit
