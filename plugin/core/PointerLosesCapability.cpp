//===- PointerLosesCapability.cpp - Conversions that drop a requirement ---===//
//
// FILE: plugin/core/PointerLosesCapability.cpp
// DESCRIPTION: The check tacit-pointer-loses-capability. A
//   [[tacit::uses(C)]] function (or lambda), for any capability C (alloc or
//   a user context), turned into a plain function pointer, member function
//   pointer or std::function can be called anywhere: the requirement is not
//   part of the pointer's type, so calls through it are not checked. A
//   warning at the conversion, naming the capability (alloc first when a
//   function needs several).
//   docs/diagnostics.md#pointerlosescapability,
//   test/plugin/PointerLosesCapability.cpp
//
//   Three shapes are recognised:
//   a function name decaying to a pointer (`fp = f`, `std::function<..> g =
//   f`, `std::thread t(f)`), `&f` / `&C::m`, and a closure of a
//   [[tacit::uses(alloc)]] lambda converted to a function pointer or passed
//   to a constructor of another class (std::function, ...).
//
//===----------------------------------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "Check.h"
#include "StdRenames.h"

using namespace clang;

namespace tacit {
namespace {

class PointerLosesCapability : public Check {
public:
  explicit PointerLosesCapability(CheckContext &C)
      : Check(CheckId::PointerLosesCapability, C) {
    // One message for every capability: %3 its name, %4 what is checked.
    WarnID = Diag.warning(
        "converting %select{%1|a [[tacit::uses(%3)]] lambda}0 to %2 loses "
        "its [[tacit::uses(%3)]] requirement: calls through %2 are not "
        "checked for %4");
    PassID = Diag.warning(
        "passing %select{%1|a [[tacit::uses(%3)]] lambda}0 to '%2' loses "
        "its [[tacit::uses(%3)]] requirement: the calls '%2' makes (in a "
        "system header) are not checked for %4");
    DeclaredID = Diag.note("%0 is declared [[tacit::uses(%1)]] here");
    GetterID = Diag.note("%0 calls tacit::get<%1>(), which needs the '%1' "
                         "context (its declaration gives no default)");
  }

  // `int (&r)(int) = parse;`: a reference to a function calls it unchecked,
  // like a pointer.
  void onDecl(Decl *D, const Where &) override {
    const auto *VD = dyn_cast<VarDecl>(D);
    if (!VD || !VD->getType()->isReferenceType() ||
        !VD->getType().getNonReferenceType()->isFunctionType() ||
        !VD->getInit())
      return;
    checkFunctionRef(VD->getInit()->IgnoreImpCasts(), VD->getType(),
                     VD->getInit()->getExprLoc());
  }

  void onStmt(Stmt *S, const Where &W) override {
    if (auto *E = dyn_cast<CallExpr>(S)) {
      Here = &W;
      VisitCallExpr(E);
      if (auto *M = dyn_cast<CXXMemberCallExpr>(E))
        VisitCXXMemberCallExpr(M);
    } else if (auto *E = dyn_cast<ImplicitCastExpr>(S))
      VisitImplicitCastExpr(E);
    else if (auto *E = dyn_cast<UnaryOperator>(S))
      VisitUnaryOperator(E);
    else if (auto *E = dyn_cast<CXXConstructExpr>(S))
      VisitCXXConstructExpr(E);
  }

private:

  void VisitCallExpr(CallExpr *E) {
    if (Expr *Callee = E->getCallee())
      Callees.insert(Callee->IgnoreParens());
    // A function passed by reference (`call(f)` into `F&&`) does not decay.
    const FunctionDecl *Target = E->getDirectCallee();
    // `fn = l` calls a member operator: argument 0 is the object.
    unsigned Shift =
        isa<CXXOperatorCallExpr>(E) && isa_and_nonnull<CXXMethodDecl>(Target);
    bool IntoStd = Target && SM.isInSystemHeader(SM.getFileLoc(
                                 Target->getLocation())) &&
                   !isCast(*Target);
    for (unsigned I = Shift; I < E->getNumArgs(); ++I) {
      const Expr *Arg = E->getArg(I);
      QualType To = Arg->getType();
      if (Target && I - Shift < Target->getNumParams())
        To = Target->getParamDecl(I - Shift)->getType();
      if (IntoStd) {
        // In a context, std code that calls the callable before it returns
        // (std::sort, std::for_each, std::invoke) runs in that context:
        // nothing is lost. What keeps it for later does lose it.
        passedToStd(Arg, *Target);
        continue;
      }
      checkFunctionRef(Arg->IgnoreImpCasts(), To, Arg->getExprLoc());
    }
  }

  // std code that keeps the callable to call it later, or elsewhere: a
  // member of a std class (std::function's operator= and assign), or a
  // function that returns a wrapper or starts a thread.
  static bool defers(const FunctionDecl &F) {
    if (isa<CXXMethodDecl>(F))
      return true;
    const IdentifierInfo *II = F.getIdentifier();
    return II && llvm::is_contained({"async", "ref", "cref", "bind",
                                     "bind_front", "bind_back", "mem_fn"},
                                    II->getName());
  }

  // std::move, std::forward and the like only rename their argument, and
  // std::addressof of a function is the function (StdRenames.h).
  static bool isCast(const FunctionDecl &F) {
    return isStdRename(F) || isStdAddressOf(F);
  }

  // A function or closure handed to std code (std::invoke, std::for_each,
  // std::async, std::ref, std::function's operator=, ...): std code is not
  // checked, so its calls are not either.
  void passedToStd(const Expr *Arg, const FunctionDecl &Target) {
    const Expr *E = Arg->IgnoreImpCasts()->IgnoreParens();
    if (const auto *U = dyn_cast<UnaryOperator>(E);
        U && U->getOpcode() == UO_AddrOf)
      E = U->getSubExpr()->IgnoreParens();
    if (const auto *MTE = dyn_cast<MaterializeTemporaryExpr>(E))
      E = MTE->getSubExpr()->IgnoreImplicit();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      if (DRE->isNonOdrUse() != NOUR_None)
        return;
      if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl())) {
        if (auto R = lostRequirement(FD, Target))
          reportPass(Arg->getExprLoc(), 0, FD, Target, *R);
        return;
      }
    }
    const CXXRecordDecl *RD =
        Arg->getType().getNonReferenceType()->getAsCXXRecordDecl();
    if (!RD || !RD->isLambda())
      return;
    if (const CXXMethodDecl *Op = RD->getLambdaCallOperator())
      if (auto R = lostRequirement(Op, Target))
        reportPass(Arg->getExprLoc(), 1, Op, Target, *R);
  }

  // A requirement of FD, alloc first, then each user context.
  struct Lost {
    Capability Cap;
    Requirement R;
  };
  std::optional<Lost> requirement(const FunctionDecl *FD) {
    if (auto R = Caps.requiresAlloc(FD))
      return Lost{AllocCapability, *R};
    for (Capability C : Caps.requiredContexts(FD))
      if (auto R = Caps.needs(FD, C))
        return Lost{C, *R};
    return std::nullopt;
  }

  // Whether the call being visited has capability C where it stands.
  bool inContext(Capability C) const {
    if (!Here)
      return false;
    if (!C)
      return Here->inAllocContext();
    if (const ContextScope *S = Here->innermostOf(C))
      return !S->Cleared;
    return Here->Function && Caps.bodyHas(Here->Function, C);
  }

  // The requirement FD loses when std code Target is handed it: in a
  // context, std code that calls the callable before it returns
  // (std::sort, std::for_each, std::invoke) runs in that context and
  // nothing is lost; what keeps it for later does lose it.
  std::optional<Lost> lostRequirement(const FunctionDecl *FD,
                                      const FunctionDecl &Target) {
    bool Defers = defers(Target);
    if (auto R = Caps.requiresAlloc(FD))
      if (Defers || !inContext(AllocCapability))
        return Lost{AllocCapability, *R};
    for (Capability C : Caps.requiredContexts(FD))
      if (Defers || !inContext(C))
        if (auto R = Caps.needs(FD, C))
          return Lost{C, *R};
    return std::nullopt;
  }

  void reportPass(SourceLocation Loc, int IsLambda, const FunctionDecl *FD,
                  const FunctionDecl &Target, const Lost &L) {
    SourceLocation At = Diag.claim(Loc);
    if (At.isInvalid())
      return;
    // `std::invoke`, not `invoke<(lambda at ...) &, int>`.
    const FunctionDecl *Named = &Target;
    if (const FunctionTemplateDecl *T = Target.getPrimaryTemplate())
      Named = T->getTemplatedDecl();
    Diag.report(At, PassID) << IsLambda << FD
                            << Named->getQualifiedNameAsString()
                            << capabilityName(L.Cap) << checkedFor(L.Cap);
    noteRequirement(L);
  }

  static std::string checkedFor(Capability C) {
    if (!C)
      return "an allocator context";
    return "the '" + capabilityName(C) + "' context";
  }

  void noteRequirement(const Lost &L) {
    if (L.R.Attr)
      Diag.report(L.R.Attr->getLocation(), DeclaredID)
          << L.R.Source << capabilityName(L.Cap);
    else // tacit::get<C> itself
      Diag.report(SM.getFileLoc(L.Cap->getLocation()), GetterID)
          << L.R.Source << capabilityName(L.Cap);
  }

  void VisitImplicitCastExpr(ImplicitCastExpr *E) {
    if (E->getCastKind() == CK_FunctionToPointerDecay && !Callees.count(E))
      checkFunctionRef(E->getSubExpr(), E->getType(), E->getExprLoc());
  }

  void VisitUnaryOperator(UnaryOperator *E) {
    if (E->getOpcode() == UO_AddrOf && !Callees.count(E)) // `(&f)(x)` calls
      checkFunctionRef(E->getSubExpr(), E->getType(), E->getOperatorLoc());
  }

  // A closure converted to a function pointer (implicitly, or `+[]{}`).
  void VisitCXXMemberCallExpr(CXXMemberCallExpr *E) {
    const auto *Conv = dyn_cast_or_null<CXXConversionDecl>(E->getMethodDecl());
    if (Conv && Conv->getParent()->isLambda())
      checkClosure(Conv->getParent(), E->getType(), E->getExprLoc());
  }

  // A closure handed to a constructor of another class: std::function,
  // std::thread, a user's callback wrapper.
  void VisitCXXConstructExpr(CXXConstructExpr *E) {
    const CXXRecordDecl *Built = E->getConstructor()->getParent();
    for (const Expr *Arg : E->arguments()) {
      checkFunctionRef(Arg->IgnoreImpCasts(), E->getType(), Arg->getExprLoc());
      const CXXRecordDecl *RD =
          Arg->getType().getNonReferenceType()->getAsCXXRecordDecl();
      if (RD && RD->isLambda() && RD != Built)
        checkClosure(RD, E->getType(), Arg->getExprLoc());
    }
  }

  void checkFunctionRef(const Expr *E, QualType To, SourceLocation Loc) {
    const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParens());
    if (!DRE || DRE->isNonOdrUse() != NOUR_None)
      return;
    const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl());
    if (!FD)
      return;
    if (auto R = requirement(FD))
      report(Loc, 0, FD, To, *R);
  }

  void checkClosure(const CXXRecordDecl *Closure, QualType To,
                    SourceLocation Loc) {
    const CXXMethodDecl *Op = Closure->getLambdaCallOperator();
    if (!Op)
      return;
    if (auto R = requirement(Op))
      report(Loc, 1, Op, To, *R);
  }

  void report(SourceLocation Loc, int IsLambda, const FunctionDecl *FD,
              QualType To, const Lost &L) {
    SourceLocation At = Diag.claim(Loc);
    if (At.isInvalid())
      return;
    Diag.report(At, WarnID) << IsLambda << FD << To << capabilityName(L.Cap)
                            << checkedFor(L.Cap);
    noteRequirement(L);
  }

  unsigned WarnID, PassID, DeclaredID, GetterID;
  const Where *Here = nullptr; // where the call being visited stands
  llvm::DenseSet<const Expr *> Callees;
};

} // namespace

std::unique_ptr<Check> makePointerLosesCapability(CheckContext &C) {
  return std::make_unique<PointerLosesCapability>(C);
}

} // namespace tacit
