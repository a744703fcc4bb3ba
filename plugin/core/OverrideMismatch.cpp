//===- OverrideMismatch.cpp - Overrides may not add a requirement ---------===//
//
// FILE: plugin/core/OverrideMismatch.cpp
// DESCRIPTION: See OverrideMismatch.h.
//
//===----------------------------------------------------------------------===//
#include "OverrideMismatch.h"
#include "UserCode.h"
#include "FixIts.h"

#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"

using namespace clang;

namespace tacit {
namespace {

class OverrideMismatch : public UserCodeVisitor<OverrideMismatch> {
public:
  OverrideMismatch(ASTContext &Ctx, Capabilities &Caps)
      : UserCodeVisitor(Ctx.getSourceManager()), Ctx(Ctx), Caps(Caps) {
    DiagnosticsEngine &D = Ctx.getDiagnostics();
    ErrID = errorID(D, "%0 is declared [[tacit::uses(alloc)]] but overrides "
                       "%1, which is not: a call through %2 would reach it "
                       "without an allocator context");
    BaseID = noteID(D, "overridden declaration is here; add "
                       "[[tacit::uses(alloc)]] to it, or remove the "
                       "attribute from the override");
  }
  bool shouldVisitTemplateInstantiations() const { return true; }

  bool VisitCXXMethodDecl(CXXMethodDecl *MD) {
    const AnnotateAttr *Own = nullptr;
    for (const FunctionDecl *R : MD->redecls())
      if ((Own = ownAnnotation(*R, UsesAnnotation)))
        break;
    if (!Own)
      return true;
    for (const CXXMethodDecl *Base : MD->overridden_methods()) {
      if (Caps.requiresAlloc(Base))
        continue;
      SourceLocation At = SM.getFileLoc(Own->getLocation());
      if (!Reported.insert(At.getRawEncoding()).second)
        continue;
      DiagnosticsEngine &D = Ctx.getDiagnostics();
      D.Report(At, ErrID) << MD << Base << Base->getParent()
                          << Own->getRange();
      auto Note = D.Report(Base->getLocation(), BaseID);
      if (auto Fix = addUsesToFunction(*Base, SM))
        Note << *Fix;
    }
    return true;
  }

private:
  ASTContext &Ctx;
  Capabilities &Caps;
  unsigned ErrID, BaseID;
  llvm::DenseSet<unsigned> Reported;
};

} // namespace

void checkOverrideMismatch(ASTContext &Ctx, Capabilities &Caps,
                           const Options &) {
  OverrideMismatch(Ctx, Caps).TraverseDecl(Ctx.getTranslationUnitDecl());
}

} // namespace tacit
