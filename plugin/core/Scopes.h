//===- Scopes.h - Recognise with_alloc / without_alloc blocks -------------===//
//
// FILE: plugin/core/Scopes.h
// DESCRIPTION: `with_alloc(R) { ... }` and `without_alloc { ... }` are macros
//   (Clang 19 plugins cannot add statement attributes). Each expands to an
//   if-statement whose init declares a variable of type
//   tacit::detail::alloc_scope or tacit::detail::heap_scope; that variable is
//   the marker the plugin finds each block by.
//
//===----------------------------------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef TACIT_PLUGIN_CORE_SCOPES_H
#define TACIT_PLUGIN_CORE_SCOPES_H

#include "clang/AST/Decl.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallVector.h"

namespace tacit {

enum class ScopeKind { WithAlloc, WithoutAlloc };

// One with_alloc / without_alloc block as the AST holds it.
struct Scope {
  ScopeKind Kind;
  const clang::IfStmt *If;        // the statement the macro expands to
  const clang::VarDecl *Marker;   // the scope variable in its init
  const clang::Stmt *Body;        // the user's block (the else branch)
};

// One with_context(name, value) block: its marker is a
// tacit::context_scope<name> variable. (A tacit::detail::context_cleared<name>
// marker, if the lowering of [[tacit::without(name)]] adds one, is a block
// with the context cleared.)
struct ContextScope {
  const clang::CXXRecordDecl *Context; // canonical declaration
  bool Cleared;
  const clang::IfStmt *If;
  const clang::VarDecl *Marker;
  const clang::Stmt *Body;
};
std::optional<ContextScope> asContextScope(const clang::IfStmt &If);

// The scope kind a variable marks, if it is a scope marker.
std::optional<ScopeKind> scopeKindOf(const clang::VarDecl &VD);

// The scope an if-statement is, if it is the expansion of a scope macro.
std::optional<Scope> asScope(const clang::IfStmt &If);

// Every scope block in a function body, outermost first.
llvm::SmallVector<Scope, 4> findScopes(const clang::Stmt &Body);

const char *spelling(ScopeKind K);

// Where the user wrote the block: the `with_alloc` / `without_alloc` token
// itself, outside the macro, so diagnostics there carry no expansion trace.
clang::SourceLocation userLocation(const Scope &S,
                                   const clang::SourceManager &SM);

} // namespace tacit

#endif
