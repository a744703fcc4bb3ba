//===- FixIts.h - The edits Tacit's diagnostics suggest -------------------===//
//
// FILE: plugin/core/FixIts.h
// DESCRIPTION: Builds the fix-its several checks share: add
//   [[tacit::uses(alloc)]] to a function or a lambda, and wrap a statement
//   in with_alloc(tacit::current()) { ... }. Every edit is placed in the
//   user's file; where that is impossible (the spot is inside a macro or a
//   system header) no fix-it is offered.
//
//===----------------------------------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef TACIT_PLUGIN_CORE_FIXITS_H
#define TACIT_PLUGIN_CORE_FIXITS_H

#include "clang/AST/Decl.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/Diagnostic.h"

#include <optional>
#include <utility>

namespace tacit {

// `[[tacit::uses(alloc)]] ` (or another capability) before FD's first declaration (its template's,
// for an instantiation).
std::optional<clang::FixItHint>
addUsesToFunction(const clang::FunctionDecl &FD, const clang::SourceManager &SM,
                  llvm::StringRef Capability = "alloc");

// ` [[tacit::uses(alloc)]]` after the lambda's introducer `[...]`.
std::optional<clang::FixItHint>
addUsesToLambda(const clang::LambdaExpr &L, const clang::SourceManager &SM,
                const clang::LangOptions &LO,
                llvm::StringRef Capability = "alloc");

// `with_alloc(tacit::current()) { ` ... ` }` around S (and its `;`).
std::optional<std::pair<clang::FixItHint, clang::FixItHint>>
wrapInWithAlloc(const clang::Stmt &S, const clang::SourceManager &SM,
                const clang::LangOptions &LO);

} // namespace tacit

#endif
