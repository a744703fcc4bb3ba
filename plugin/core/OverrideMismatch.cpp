//===- OverrideMismatch.cpp - Overrides may not add a requirement ---------===//
//
// FILE: plugin/core/OverrideMismatch.cpp
// DESCRIPTION: The check tacit-override-mismatch. A virtual call through a
//   base is checked against the base's declaration. An override declared
//   [[tacit::uses(alloc)]] whose base is not would be reached through the
//   base with no context: an error, a note at the base, and a fix-it note
//   adding the attribute to the base. With several bases (`struct D : A, B`)
//   each overridden method is checked: one that lacks the requirement is the
//   mismatch, whatever the others say.
//   docs/diagnostics.md#overridemismatch, test/plugin/OverrideMismatch.cpp
//
//===----------------------------------------------------------------------===//
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
  }

  void onDecl(Decl *D, const Where &) override {
    auto *MD = dyn_cast<CXXMethodDecl>(D);
    if (!MD)
      return;
    const AnnotateAttr *Own = nullptr;
    for (const FunctionDecl *R : MD->redecls())
      if ((Own = ownAnnotation(*R, UsesAnnotation)))
        break;
    if (!Own)
      return;
    for (const CXXMethodDecl *Base : MD->overridden_methods()) {
      if (Caps.requiresAlloc(Base))
        continue;
      // One report per attribute and base: a class template's
      // instantiations are one finding.
      SourceLocation At = SM.getFileLoc(Own->getLocation());
      if (SM.isInSystemHeader(At) ||
          !Pairs.insert({At.getRawEncoding(), Base->getCanonicalDecl()})
               .second)
        continue;
      Diag.report(At, ErrID) << MD << Base << Base->getParent()
                             << Own->getRange();
      auto Note = Diag.report(Base->getLocation(), BaseID);
      if (auto Fix = addUsesToFunction(*Base, SM))
        Note << *Fix;
    }
  }

private:
  unsigned ErrID, BaseID;
  llvm::DenseSet<std::pair<unsigned, const Decl *>> Pairs;
};

} // namespace

std::unique_ptr<Check> makeOverrideMismatch(CheckContext &C) {
  return std::make_unique<OverrideMismatch>(C);
}

} // namespace tacit
