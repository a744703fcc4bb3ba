//===- OverrideMismatch.cpp - Overrides may not add a requirement ---------===//
//
// FILE: plugin/core/OverrideMismatch.cpp
// DESCRIPTION: The check tacit-override-mismatch. A virtual call through a
//   base is checked against the base's declaration. An override declared
//   [[tacit::uses(alloc)]] whose base is not would be reached through the
//   base with no context: an error, a note at the base, and a fix-it note
//   adding the attribute to the base. With several bases (`struct D : A, B`)
//   each overridden method is checked: an override that requires alloc —
//   declared, or inherited from A::f — while B::f does not is a mismatch
//   (a call through B& would reach it unchecked).
//
//   [[tacit::without(alloc)]] on a virtual is not inherited silently: an
//   override of one must say [[tacit::without(alloc)]] too (an error with a
//   fix-it), so that reading the override tells where its body runs.
//   docs/diagnostics.md#overridemismatch, test/plugin/OverrideMismatch.cpp
//
//===----------------------------------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "Check.h"
#include "FixIts.h"

#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"

using namespace clang;

namespace tacit {
namespace {

class OverrideMismatch : public Check {
public:
  explicit OverrideMismatch(CheckContext &C)
      : Check(CheckId::OverrideMismatch, C) {
    ErrID = Diag.error("%0 is declared [[tacit::uses(alloc)]] but overrides "
                       "%1, which is not: a call through %2 would reach it "
                       "without an allocator context");
    BaseID = Diag.note("overridden declaration is here; add "
                       "[[tacit::uses(alloc)]] to it, or remove the "
                       "attribute from the override");
    InheritedErrID = Diag.error(
        "%0 requires an allocator context (it overrides %1, declared "
        "[[tacit::uses(alloc)]]) but also overrides %2, which does not: a "
        "call through %3 would reach it without an allocator context");
    WithoutErrID = Diag.error(
        "%0 overrides %1, declared [[tacit::without(alloc)]], but does not "
        "say so: a caller of %1 expects the body to run on the global heap; "
        "add [[tacit::without(alloc)]] to %0");
    WithoutBaseID = Diag.note("%0 is declared [[tacit::without(alloc)]] here");
    // The same for a user context (TACIT_CONTEXT).
    CtxErrID = Diag.error("%0 is declared [[tacit::uses(%3)]] but overrides "
                          "%1, which is not: a call through %2 would reach it "
                          "without the '%3' context");
    CtxBaseID = Diag.note("overridden declaration is here; add "
                          "[[tacit::uses(%0)]] to it, or remove '%0' from "
                          "the override");
  }

  // An override declaring a user context its base does not require.
  void checkContexts(const CXXMethodDecl &MD) {
    for (const FunctionDecl *R : MD.redecls())
      for (const auto *A : R->specific_attrs<AnnotateAttr>()) {
        Capability C;
        bool Uses;
        if (!annotatedCapability(*A, C, Uses) || !Uses || !C)
          continue;
        std::string Name = capabilityName(C);
        for (const CXXMethodDecl *Base : MD.overridden_methods()) {
          if (Caps.needs(Base, C))
            continue;
          SourceLocation At = claim(A->getLocation(), *Base);
          if (At.isInvalid())
            continue;
          Diag.report(At, CtxErrID)
              << &MD << Base << Base->getParent() << Name << A->getRange();
          auto Note = Diag.report(Base->getLocation(), CtxBaseID) << Name;
          if (auto Fix = addUsesToFunction(*Base, SM, Name))
            Note << *Fix;
        }
      }
  }

  void onDecl(Decl *D, const Where &) override {
    auto *MD = dyn_cast<CXXMethodDecl>(D);
    if (!MD)
      return;
    checkWithout(*MD);
    checkContexts(*MD);
    const AnnotateAttr *Own = nullptr;
    for (const FunctionDecl *R : MD->redecls())
      if ((Own = ownAnnotation(*R, UsesAnnotation)))
        break;
    if (!Own) {
      checkInherited(*MD);
      return;
    }
    for (const CXXMethodDecl *Base : MD->overridden_methods()) {
      if (Caps.requiresAlloc(Base))
        continue;
      SourceLocation At = claim(Own->getLocation(), *Base);
      if (At.isInvalid())
        continue;
      Diag.report(At, ErrID) << MD << Base << Base->getParent()
                             << Own->getRange();
      auto Note = Diag.report(Base->getLocation(), BaseID);
      if (auto Fix = addUsesToFunction(*Base, SM))
        Note << *Fix;
    }
  }

private:
  // Where to report about an override against Base: once per place and
  // base (a class template's instantiations are one finding), never in a
  // system header; invalid when not to report.
  SourceLocation claim(SourceLocation L, const CXXMethodDecl &Base) {
    SourceLocation At = SM.getFileLoc(L);
    if (SM.isInSystemHeader(At) ||
        !Pairs.insert({At.getRawEncoding(), Base.getCanonicalDecl()}).second)
      return SourceLocation();
    return At;
  }

  // D::f inherits A::f's requirement; B::f, also overridden, lacks it.
  void checkInherited(const CXXMethodDecl &MD) {
    if (MD.size_overridden_methods() < 2)
      return;
    const CXXMethodDecl *Needs = nullptr;
    for (const CXXMethodDecl *Base : MD.overridden_methods())
      if (Caps.requiresAlloc(Base))
        Needs = Base;
    if (!Needs)
      return;
    for (const CXXMethodDecl *Base : MD.overridden_methods()) {
      if (Caps.requiresAlloc(Base))
        continue;
      SourceLocation At = claim(MD.getLocation(), *Base);
      if (At.isInvalid())
        continue;
      Diag.report(At, InheritedErrID)
          << &MD << Needs << Base << Base->getParent();
      auto Note = Diag.report(Base->getLocation(), BaseID);
      if (auto Fix = addUsesToFunction(*Base, SM))
        Note << *Fix;
    }
  }

  void checkWithout(const CXXMethodDecl &MD) {
    if (declaredAnnotation(MD, WithoutAnnotation) || MD.isImplicit())
      return;
    for (const CXXMethodDecl *Base : MD.overridden_methods()) {
      const AnnotateAttr *A = declaredAnnotation(*Base, WithoutAnnotation);
      if (!A)
        continue;
      SourceLocation At = claim(MD.getLocation(), *Base);
      if (At.isInvalid())
        continue;
      {
        auto B = Diag.report(At, WithoutErrID) << &MD << Base;
        const FunctionDecl *First = MD.getFirstDecl();
        if (const FunctionDecl *P = First->getTemplateInstantiationPattern())
          First = P->getFirstDecl();
        SourceLocation Begin = SM.getFileLoc(First->getBeginLoc());
        if (Begin.isValid() && !SM.isInSystemHeader(Begin))
          B << FixItHint::CreateInsertion(Begin, "[[tacit::without(alloc)]] ");
      }
      Diag.report(A->getLocation(), WithoutBaseID) << Base;
    }
  }

  unsigned CtxErrID, CtxBaseID;
  unsigned ErrID, BaseID, InheritedErrID, WithoutErrID, WithoutBaseID;
  llvm::DenseSet<std::pair<unsigned, const Decl *>> Pairs;
};

} // namespace

std::unique_ptr<Check> makeOverrideMismatch(CheckContext &C) {
  return std::make_unique<OverrideMismatch>(C);
}

} // namespace tacit
