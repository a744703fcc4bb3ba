//===- CoroutineInScope.h - No suspension inside a scope block ------------===//
//
// FILE: plugin/core/CoroutineInScope.h
// DESCRIPTION: A with_alloc (or without_alloc) block pushes a frame on the
//   thread's context stack and pops it when the block ends. A co_await,
//   co_yield or co_return inside the block suspends the coroutine with the
//   frame still pushed: the context leaks into whoever resumes next on this
//   thread, and the frame is popped on whichever thread resumes the
//   coroutine. An error, at the keyword.
//   docs/diagnostics.md#coroutineinscope, test/plugin/CoroutineInScope.cpp
//
//===----------------------------------------------------------------------===//
#ifndef TACIT_PLUGIN_CORE_COROUTINEINSCOPE_H
#define TACIT_PLUGIN_CORE_COROUTINEINSCOPE_H

#include "Capabilities.h"
#include "Options.h"

#include "clang/AST/ASTContext.h"

namespace tacit {

void checkCoroutineInScope(clang::ASTContext &Ctx, Capabilities &Caps,
                           const Options &Opts);

} // namespace tacit

#endif
