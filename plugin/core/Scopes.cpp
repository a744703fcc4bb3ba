//===- Scopes.cpp - Recognise with_alloc / without_alloc blocks -----------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "Scopes.h"

#include "tacit/names.hpp"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/RecursiveASTVisitor.h"

using namespace clang;

namespace tacit {

std::optional<ScopeKind> scopeKindOf(const VarDecl &VD) {
  const auto *RD = VD.getType()->getAsCXXRecordDecl();
  if (!RD || !RD->getIdentifier())
    return std::nullopt;
  // tacit::detail::{alloc_scope, heap_scope} (<tacit/names.hpp>)
  const auto *Detail = dyn_cast<NamespaceDecl>(RD->getDeclContext());
  if (!Detail || !Detail->getIdentifier() ||
      Detail->getName() != TACIT_NAME_STR(TACIT_NAME_DETAIL))
    return std::nullopt;
  const auto *Top = dyn_cast<NamespaceDecl>(Detail->getDeclContext());
  if (!Top || !Top->getIdentifier() ||
      Top->getName() != TACIT_NAME_STR(TACIT_NAME_NAMESPACE) ||
      !Top->getDeclContext()->isTranslationUnit())
    return std::nullopt;
  if (RD->getName() == TACIT_NAME_STR(TACIT_NAME_ALLOC_SCOPE))
    return ScopeKind::WithAlloc;
  if (RD->getName() == TACIT_NAME_STR(TACIT_NAME_HEAP_SCOPE))
    return ScopeKind::WithoutAlloc;
  return std::nullopt;
}

// The one variable an `if`'s init-statement declares, where the scope
// macros put their scope object; null if there is none.
static const VarDecl *initVariable(const IfStmt &If) {
  const auto *Init = dyn_cast_or_null<DeclStmt>(If.getInit());
  if (!Init || !Init->isSingleDecl())
    return nullptr;
  return dyn_cast<VarDecl>(Init->getSingleDecl());
}

std::optional<Scope> asScope(const IfStmt &If) {
  const VarDecl *VD = initVariable(If);
  if (!VD)
    return std::nullopt;
  auto Kind = scopeKindOf(*VD);
  if (!Kind)
    return std::nullopt;
  return Scope{*Kind, &If, VD, If.getElse()};
}

std::optional<ContextScope> asContextScope(const IfStmt &If) {
  const VarDecl *VD = initVariable(If);
  if (!VD)
    return std::nullopt;
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      VD->getType()->getAsCXXRecordDecl());
  if (!Spec || !Spec->getIdentifier())
    return std::nullopt;
  bool Cleared;
  if (Spec->getName() == "context_scope")
    Cleared = false;
  else if (Spec->getName() == "context_cleared")
    Cleared = true;
  else
    return std::nullopt;
  const auto *NS = dyn_cast<NamespaceDecl>(Spec->getDeclContext());
  if (Cleared && NS && NS->getIdentifier() &&
      NS->getName() == TACIT_NAME_STR(TACIT_NAME_DETAIL))
    NS = dyn_cast<NamespaceDecl>(NS->getDeclContext());
  if (!NS || !NS->getIdentifier() ||
      NS->getName() != TACIT_NAME_STR(TACIT_NAME_NAMESPACE) ||
      !NS->getDeclContext()->isTranslationUnit())
    return std::nullopt;
  const TemplateArgumentList &Args = Spec->getTemplateArgs();
  if (Args.size() != 1 || Args[0].getKind() != TemplateArgument::Type)
    return std::nullopt;
  const CXXRecordDecl *C = Args[0].getAsType()->getAsCXXRecordDecl();
  if (!C)
    return std::nullopt;
  return ContextScope{C->getCanonicalDecl(), Cleared, &If, VD, If.getElse()};
}

namespace {
class ScopeCollector : public RecursiveASTVisitor<ScopeCollector> {
public:
  llvm::SmallVector<Scope, 4> Found;
  bool VisitIfStmt(IfStmt *If) {
    if (auto S = asScope(*If))
      Found.push_back(*S);
    return true;
  }
  // A lambda body is a function of its own; its scopes are found when the
  // lambda's call operator is visited.
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
};
} // namespace

llvm::SmallVector<Scope, 4> findScopes(const Stmt &Body) {
  ScopeCollector C;
  C.TraverseStmt(const_cast<Stmt *>(&Body));
  return std::move(C.Found);
}

SourceLocation userLocation(const Scope &S, const SourceManager &SM) {
  return SM.getExpansionLoc(S.Marker->getLocation());
}

const char *spelling(ScopeKind K) {
  return K == ScopeKind::WithAlloc ? TACIT_NAME_STR(TACIT_NAME_WITH_ALLOC)
                                   : TACIT_NAME_STR(TACIT_NAME_WITHOUT_ALLOC);
}

} // namespace tacit
