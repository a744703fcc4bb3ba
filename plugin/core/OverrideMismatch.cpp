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
//
//   Every rule holds for every capability, with one pass per capability
//   involved (alloc, and each user context the override or a base names):
//   uses(logger) on an override whose base lacks it, a requirement of
//   logger inherited from A::f while B::f lacks it, without(logger) on a
//   base the override does not repeat.
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
    CtxInheritedErrID = Diag.error(
        "%0 requires the '%4' context (it overrides %1, declared "
        "[[tacit::uses(%4)]]) but also overrides %2, which does not: a call "
        "through %3 would reach it without the '%4' context");
    CtxWithoutErrID = Diag.error(
        "%0 overrides %1, declared [[tacit::without(%2)]], but does not say "
        "so: a caller of %1 expects the body to run with no '%2' context; "
        "add [[tacit::without(%2)]] to %0");
    CtxWithoutBaseID =
        Diag.note("%0 is declared [[tacit::without(%1)]] here");
  }

  // One pass per capability involved: alloc, and each user context MD or
  // one of its bases names (the same rules for every one).
  void onDecl(Decl *D, const Where &) override {
    auto *MD = dyn_cast<CXXMethodDecl>(D);
    if (!MD || MD->size_overridden_methods() == 0)
      return;
    llvm::SmallVector<Capability, 4> Involved{AllocCapability};
    auto Add = [&](Capability C) {
      if (C && !llvm::is_contained(Involved, C))
        Involved.push_back(C);
    };
    for (Capability C : declaredCapabilities(*MD, /*Uses=*/true))
      Add(C);
    for (const CXXMethodDecl *Base : MD->overridden_methods()) {
      for (Capability C : Caps.requiredContexts(Base))
        Add(C);
      for (Capability C : declaredCapabilities(*Base, /*Uses=*/false))
        Add(C);
    }
    for (Capability C : Involved) {
      checkWithout(*MD, C);
      if (!checkDeclared(*MD, C))
        checkInherited(*MD, C);
    }
  }

private:
  // MD says [[tacit::uses(C)]] and a base does not require C. False when
  // MD's own declarations do not say so.
  bool checkDeclared(const CXXMethodDecl &MD, Capability C) {
    const AnnotateAttr *Own = nullptr;
    for (const FunctionDecl *R : MD.redecls())
      if ((Own = ownCapabilityAnnotation(*R, /*Uses=*/true, C)))
        break;
    if (!Own)
      return false;
    std::string Name = capabilityName(C);
    for (const CXXMethodDecl *Base : MD.overridden_methods()) {
      if (Caps.needs(Base, C))
        continue;
      SourceLocation At = claim(Own->getLocation(), *Base, C);
      if (At.isInvalid())
        continue;
      if (!C)
        Diag.report(At, ErrID) << &MD << Base << Base->getParent()
                               << Own->getRange();
      else
        Diag.report(At, CtxErrID)
            << &MD << Base << Base->getParent() << Name << Own->getRange();
      auto Note = Diag.report(Base->getLocation(), C ? CtxBaseID : BaseID);
      if (C)
        Note << Name;
      if (auto Fix = addUsesToFunction(*Base, SM, Name))
        Note << *Fix;
    }
    return true;
  }

  // Where to report about an override against Base: once per place, base
  // and capability (a class template's instantiations are one finding),
  // never in a system header; invalid when not to report.
  SourceLocation claim(SourceLocation L, const CXXMethodDecl &Base,
                       Capability C = AllocCapability) {
    SourceLocation At = SM.getFileLoc(L);
    if (SM.isInSystemHeader(At) ||
        !Pairs.insert({{At.getRawEncoding(), Base.getCanonicalDecl()}, C})
             .second)
      return SourceLocation();
    return At;
  }

  // D::f inherits A::f's requirement of C; B::f, also overridden, lacks it.
  void checkInherited(const CXXMethodDecl &MD, Capability C) {
    if (MD.size_overridden_methods() < 2)
      return;
    const CXXMethodDecl *Needs = nullptr;
    for (const CXXMethodDecl *Base : MD.overridden_methods())
      if (Caps.needs(Base, C))
        Needs = Base;
    if (!Needs)
      return;
    std::string Name = capabilityName(C);
    for (const CXXMethodDecl *Base : MD.overridden_methods()) {
      if (Caps.needs(Base, C))
        continue;
      SourceLocation At = claim(MD.getLocation(), *Base, C);
      if (At.isInvalid())
        continue;
      if (!C)
        Diag.report(At, InheritedErrID)
            << &MD << Needs << Base << Base->getParent();
      else
        Diag.report(At, CtxInheritedErrID)
            << &MD << Needs << Base << Base->getParent() << Name;
      auto Note = Diag.report(Base->getLocation(), C ? CtxBaseID : BaseID);
      if (C)
        Note << Name;
      if (auto Fix = addUsesToFunction(*Base, SM, Name))
        Note << *Fix;
    }
  }

  // A base is [[tacit::without(C)]] and MD does not say so.
  void checkWithout(const CXXMethodDecl &MD, Capability C) {
    if (declaredCapabilityAnnotation(MD, /*Uses=*/false, C) || MD.isImplicit())
      return;
    std::string Name = capabilityName(C);
    for (const CXXMethodDecl *Base : MD.overridden_methods()) {
      const AnnotateAttr *A =
          declaredCapabilityAnnotation(*Base, /*Uses=*/false, C);
      if (!A)
        continue;
      SourceLocation At = claim(MD.getLocation(), *Base, C);
      if (At.isInvalid())
        continue;
      {
        auto B = Diag.report(At, C ? CtxWithoutErrID : WithoutErrID);
        B << &MD << Base;
        if (C)
          B << Name;
        const FunctionDecl *First = MD.getFirstDecl();
        if (const FunctionDecl *P = First->getTemplateInstantiationPattern())
          First = P->getFirstDecl();
        SourceLocation Begin = SM.getFileLoc(First->getBeginLoc());
        if (Begin.isValid() && !SM.isInSystemHeader(Begin))
          B << FixItHint::CreateInsertion(
              Begin, "[[tacit::without(" + Name + ")]] ");
      }
      if (C)
        Diag.report(A->getLocation(), CtxWithoutBaseID) << Base << Name;
      else
        Diag.report(A->getLocation(), WithoutBaseID) << Base;
    }
  }

  unsigned CtxErrID, CtxBaseID, CtxInheritedErrID, CtxWithoutErrID,
      CtxWithoutBaseID;
  unsigned ErrID, BaseID, InheritedErrID, WithoutErrID, WithoutBaseID;
  llvm::DenseSet<std::pair<std::pair<unsigned, const Decl *>, Capability>>
      Pairs;
};

} // namespace

std::unique_ptr<Check> makeOverrideMismatch(CheckContext &C) {
  return std::make_unique<OverrideMismatch>(C);
}

} // namespace tacit
