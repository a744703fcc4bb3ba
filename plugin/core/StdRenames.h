//===- StdRenames.h - std::move and the functions like it -----------------===//
//
// FILE: plugin/core/StdRenames.h
// DESCRIPTION: The std functions a check sees through, in one list.
//   std::move(x), std::forward<T>(x), std::move_if_noexcept(x),
//   std::as_const(x) and std::forward_like<T>(x) give back x itself, with
//   another type or value category: EscapeCheck follows the object through
//   them, PointerLosesCapability the function. std::addressof(x) gives &x:
//   the same function to PointerLosesCapability, but a pointer to x, not x,
//   to EscapeCheck (which reads `&x` itself where it follows a pointer).
//
//===----------------------------------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef TACIT_PLUGIN_CORE_STDRENAMES_H
#define TACIT_PLUGIN_CORE_STDRENAMES_H

#include "clang/AST/Decl.h"
#include "llvm/ADT/STLExtras.h"

namespace tacit {

// std::move, std::forward, std::move_if_noexcept, std::as_const,
// std::forward_like: the call is its argument, renamed.
inline bool isStdRename(const clang::FunctionDecl &F) {
  const clang::IdentifierInfo *II = F.getIdentifier();
  return F.isInStdNamespace() && II &&
         llvm::is_contained({"move", "forward", "move_if_noexcept",
                             "as_const", "forward_like"},
                            II->getName());
}

// std::addressof: the call is `&` of its argument.
inline bool isStdAddressOf(const clang::FunctionDecl &F) {
  const clang::IdentifierInfo *II = F.getIdentifier();
  return F.isInStdNamespace() && II && II->getName() == "addressof";
}

} // namespace tacit

#endif // TACIT_PLUGIN_CORE_STDRENAMES_H
