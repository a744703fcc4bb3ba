//===- WithAllocArgument.cpp - with_alloc takes a named resource ----------===//
//
// FILE: plugin/core/WithAllocArgument.cpp
// DESCRIPTION: The check tacit-with-alloc-argument. `with_alloc(R)` needs an
//   lvalue of, or a pointer to, a type derived from std::pmr::memory_resource.
//   Anything else — a number, an allocator, a temporary resource (destroyed
//   before the block runs) — selects the scope object's catch-all
//   constructor. Without the plugin the header marks that constructor
//   `unavailable` (one error, but with the macro's expansion trace); with
//   the plugin it is declared only, and this check reports at the user's
//   argument, in the user's words, with no trace. (Turned off, the program
//   fails to link instead: the constructor has no definition.)
//   docs/diagnostics.md#withallocargument, test/plugin/WithAllocArgument.cpp
//
//===----------------------------------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "Check.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace tacit {
namespace {

// What was passed (ErrID's %select).
enum class Passed { Temporary, NotAResource };

class WithAllocArgument : public Check {
public:
  explicit WithAllocArgument(CheckContext &C)
      : Check(CheckId::WithAllocArgument, C) {
    ErrID = Diag.error(
        "with_alloc needs an lvalue or a pointer of a type derived from "
        "std::pmr::memory_resource; %select{this is a temporary %1, which "
        "would be destroyed before the block runs: declare it as a variable "
        "and pass that|%1 is not a memory resource (a tacit::arena, a "
        "std::pmr::monotonic_buffer_resource, ...)}0");
  }

  void onScope(const Scope &S, const Where &) override {
    if (S.Kind != ScopeKind::WithAlloc || !S.Marker->getInit())
      return;
    const auto *E =
        dyn_cast<CXXConstructExpr>(S.Marker->getInit()->IgnoreImplicit());
    if (!E || E->getNumArgs() == 0)
      return;
    // The catch-all constructor is the one template among them.
    const CXXConstructorDecl *Ctor = E->getConstructor();
    if (!Ctor->getPrimaryTemplate())
      return;
    // The macro wraps the argument in parentheses of its own: report at
    // what the user wrote inside them.
    const Expr *Arg = E->getArg(0)->IgnoreImplicit();
    if (const auto *MTE = dyn_cast<MaterializeTemporaryExpr>(Arg))
      Arg = MTE->getSubExpr();
    Arg = Arg->IgnoreParens()->IgnoreImplicit()->IgnoreParens();
    QualType T = Arg->getType();
    Passed What = Passed::NotAResource;
    if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl())
      if (derivesFromMemoryResource(*RD))
        What = Passed::Temporary;
    SourceLocation At = Diag.claim(Arg->getBeginLoc());
    if (At.isInvalid())
      return;
    Diag.report(At, ErrID) << unsigned(What) << T.getUnqualifiedType()
                           << SourceRange(SM.getFileLoc(Arg->getBeginLoc()),
                                          SM.getFileLoc(Arg->getEndLoc()));
  }

private:
  static bool derivesFromMemoryResource(const CXXRecordDecl &RD) {
    const CXXRecordDecl *Def = RD.getDefinition();
    if (!Def)
      return false;
    auto IsIt = [](const CXXRecordDecl *B) {
      return B->getIdentifier() && B->getName() == "memory_resource" &&
             B->getQualifiedNameAsString() == "std::pmr::memory_resource";
    };
    if (IsIt(Def))
      return true;
    return !Def->forallBases([&](const CXXRecordDecl *B) { return !IsIt(B); });
  }

  unsigned ErrID;
};

} // namespace

std::unique_ptr<Check> makeWithAllocArgument(CheckContext &C) {
  return std::make_unique<WithAllocArgument>(C);
}

} // namespace tacit
