//===- PointerLosesCapability.cpp - Conversions that drop a requirement ---===//
//
// FILE: plugin/core/PointerLosesCapability.cpp
// DESCRIPTION: The check tacit-pointer-loses-capability. A
//   [[tacit::uses(alloc)]] function (or lambda) turned into a plain function
//   pointer, member function pointer or std::function can be called
//   anywhere: the requirement is not part of the pointer's type, so calls
//   through it are not checked. A warning at the conversion.
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
#include "Check.h"

using namespace clang;

namespace tacit {
namespace {

class PointerLosesCapability : public Check {
public:
  explicit PointerLosesCapability(CheckContext &C)
      : Check(CheckId::PointerLosesCapability, C) {
    WarnID = Diag.warning(
        "converting %select{%1|a [[tacit::uses(alloc)]] lambda}0 to %2 loses "
        "its [[tacit::uses(alloc)]] requirement: calls through %2 are not "
        "checked for an allocator context");
    DeclaredID = Diag.note("%0 is declared [[tacit::uses(alloc)]] here");
  }

  void onStmt(Stmt *S, const Where &) override {
    if (auto *E = dyn_cast<CallExpr>(S)) {
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
    for (unsigned I = 0; I < E->getNumArgs(); ++I) {
      const Expr *Arg = E->getArg(I);
      QualType To = Arg->getType();
      if (Target && I < Target->getNumParams())
        To = Target->getParamDecl(I)->getType();
      checkFunctionRef(Arg->IgnoreImpCasts(), To, Arg->getExprLoc());
    }
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
    if (auto R = Caps.requiresAlloc(FD))
      report(Loc, 0, FD, To, *R);
  }

  void checkClosure(const CXXRecordDecl *Closure, QualType To,
                    SourceLocation Loc) {
    const CXXMethodDecl *Op = Closure->getLambdaCallOperator();
    if (!Op)
      return;
    if (auto R = Caps.requiresAlloc(Op))
      report(Loc, 1, Op, To, *R);
  }

  void report(SourceLocation Loc, int IsLambda, const FunctionDecl *FD,
              QualType To, const Requirement &R) {
    SourceLocation At = Diag.claim(Loc);
    if (At.isInvalid())
      return;
    Diag.report(At, WarnID) << IsLambda << FD << To;
    Diag.report(R.Attr->getLocation(), DeclaredID) << R.Source;
  }

  unsigned WarnID, DeclaredID;
  llvm::DenseSet<const Expr *> Callees;
};

} // namespace

std::unique_ptr<Check> makePointerLosesCapability(CheckContext &C) {
  return std::make_unique<PointerLosesCapability>(C);
}

} // namespace tacit
