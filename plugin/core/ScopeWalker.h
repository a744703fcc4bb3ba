//===- ScopeWalker.h - Walk function bodies knowing the allocator context -===//
//
// FILE: plugin/core/ScopeWalker.h
// DESCRIPTION: A RecursiveASTVisitor base for the checks that care where a
//   statement sits: in which function (a lambda body counts as a function of
//   its own), inside which with_alloc / without_alloc blocks, and so whether
//   it is in an allocator context. Skips declarations in system headers (the
//   standard library is ambient code: it inherits its caller's context) and
//   visits template instantiations (a call's callee is known there).
//
//   Context rules (docs/diagnostics.md, MissingCapability):
//     inside with_alloc                          -> in context
//     inside without_alloc (even within with_alloc) -> not in context
//     otherwise: the function's body is a context iff the function requires
//       alloc and is not [[tacit::without(alloc)]]
//
//===----------------------------------------------------------------------===//
#ifndef TACIT_PLUGIN_CORE_SCOPEWALKER_H
#define TACIT_PLUGIN_CORE_SCOPEWALKER_H

#include "Capabilities.h"
#include "Scopes.h"

#include "clang/AST/ASTContext.h"
#include "UserCode.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

namespace tacit {

template <class Derived>
class ScopeWalker : public clang::RecursiveASTVisitor<Derived> {
  using Base = clang::RecursiveASTVisitor<Derived>;

public:
  ScopeWalker(clang::ASTContext &Ctx, Capabilities &Caps)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), Caps(Caps) {}

  bool shouldVisitTemplateInstantiations() const { return true; }

  void run() { this->TraverseDecl(Ctx.getTranslationUnitDecl()); }

  bool TraverseDecl(clang::Decl *D) {
    if (!D)
      return true;
    if (tacit::inSystemHeader(D, SM))
      return true;
    // A default member initializer runs in each constructor: it is walked
    // from there (TraverseConstructorInitializer), in that constructor's
    // context.
    if (llvm::isa<clang::FieldDecl>(D))
      return true;
    auto *FD = llvm::dyn_cast<clang::FunctionDecl>(D);
    if (!FD || !FD->doesThisDeclarationHaveABody())
      return Base::TraverseDecl(D);
    Frame Saved = std::move(Cur);
    Cur = Frame{FD, nullptr, Caps.bodyHasContext(FD), false, {}};
    bool R = Base::TraverseDecl(D);
    Cur = std::move(Saved);
    return R;
  }

  bool TraverseIfStmt(clang::IfStmt *S) {
    std::optional<Scope> Sc = asScope(*S);
    if (!Sc)
      return Base::TraverseIfStmt(S);
    // The resource expression runs before the scope opens.
    if (!this->TraverseStmt(S->getInit()))
      return false;
    Cur.Scopes.push_back(*Sc);
    bool R = this->TraverseStmt(S->getElse());
    Cur.Scopes.pop_back();
    return R;
  }

  // Every member and base initializer runs in the constructor, written or
  // not (RecursiveASTVisitor skips the implicit ones by default).
  bool TraverseConstructorInitializer(clang::CXXCtorInitializer *I) {
    clang::Expr *Init = I->getInit();
    if (auto *DI = llvm::dyn_cast_or_null<clang::CXXDefaultInitExpr>(Init))
      Init = DI->getExpr();
    return this->TraverseStmt(Init);
  }

  // Unevaluated operands call nothing.
  bool TraverseUnaryExprOrTypeTraitExpr(clang::UnaryExprOrTypeTraitExpr *) {
    return true;
  }
  bool TraverseCXXNoexceptExpr(clang::CXXNoexceptExpr *) { return true; }
  bool TraverseDecltypeTypeLoc(clang::DecltypeTypeLoc) { return true; }
  bool TraverseRequiresExpr(clang::RequiresExpr *) { return true; }

  bool TraverseLambdaExpr(clang::LambdaExpr *L) {
    if (!this->getDerived().WalkUpFromLambdaExpr(L))
      return false;
    for (clang::Expr *Init : L->capture_inits())
      if (Init && !this->TraverseStmt(Init))
        return false;
    clang::CXXMethodDecl *Op = L->getCallOperator();
    Frame Saved = std::move(Cur);
    Cur = Frame{Op, L, Caps.bodyHasContext(Op), Saved.inWithAlloc(), {}};
    bool R = this->TraverseStmt(L->getBody());
    Cur = std::move(Saved);
    return R;
  }

protected:
  struct Frame {
    const clang::FunctionDecl *Function = nullptr; // null at namespace scope
    const clang::LambdaExpr *Lambda = nullptr;     // when Function is one
    bool BodyHasContext = false;
    bool LambdaWrittenInWithAlloc = false;
    llvm::SmallVector<Scope, 4> Scopes;            // innermost last

    const Scope *innermost() const {
      return Scopes.empty() ? nullptr : &Scopes.back();
    }
    bool inWithAlloc() const {
      return !Scopes.empty() && Scopes.back().Kind == ScopeKind::WithAlloc;
    }
    bool inAllocContext() const {
      if (!Scopes.empty())
        return Scopes.back().Kind == ScopeKind::WithAlloc;
      return BodyHasContext;
    }
  };

  // Where a diagnostic about E goes: the user's file, never a macro body.
  clang::SourceLocation userLoc(clang::SourceLocation L) const {
    return SM.getFileLoc(L);
  }
  bool inSystemHeader(clang::SourceLocation L) const {
    return L.isInvalid() || SM.isInSystemHeader(SM.getFileLoc(L));
  }

  clang::ASTContext &Ctx;
  clang::SourceManager &SM;
  Capabilities &Caps;
  Frame Cur;
};

} // namespace tacit

#endif
