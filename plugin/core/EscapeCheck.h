//===- EscapeCheck.h - Scope memory that outlives its with_alloc block ----===//
//
// FILE: plugin/core/EscapeCheck.h
// DESCRIPTION: Warns where, inside a with_alloc block, memory from the
//   block's allocator is given to something that outlives the block:
//     - an allocating object (std container, string, smart pointer,
//       std::function, std::any, or a class holding one) declared outside
//       the block — a local, a parameter, a global, a static, a member — is
//       grown, assigned, inserted or emplaced into;
//     - a raw pointer from `new` is stored to a global, static or member;
//     - an allocating value is returned from inside the block.
//   The runtime keeps such memory valid (SPEC §4), but it pins the block's
//   arena. The fix: declare the object inside the block, or do the update in
//   a without_alloc { ... } block. Off with -fplugin-arg-tacit-no-escape-check.
//   docs/diagnostics.md#escapecheck, test/plugin/EscapeCheck.cpp
//
//===----------------------------------------------------------------------===//
#ifndef TACIT_PLUGIN_CORE_ESCAPECHECK_H
#define TACIT_PLUGIN_CORE_ESCAPECHECK_H

#include "Capabilities.h"
#include "Options.h"

#include "clang/AST/ASTContext.h"

namespace tacit {

void checkEscapes(clang::ASTContext &Ctx, Capabilities &Caps,
                  const Options &Opts);

} // namespace tacit

#endif
