// <tacit/names.hpp> — the names <tacit/alloc.hpp> and the Tacit plugin share.
//
// The plugin finds each with_alloc / without_alloc block by the type of the
// variable the header's macros declare, lowers [[tacit::without(alloc)]] and
// [[tacit::uses(alloc)]] by inserting a variable of a class the header
// defines, and rewrites the angle-bracket blocks by the macros' names. Those
// names are written here once: the header checks its classes against them
// (it does not compile if they drift), and the plugin reads them from here.
// Plain preprocessor definitions, so the plugin (built against LLVM, not
// against the runtime) can include this file alone.
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef TACIT_NAMES_HPP
#define TACIT_NAMES_HPP

#define TACIT_NAME_NAMESPACE tacit
#define TACIT_NAME_DETAIL detail
// `with_alloc(R)` declares one of these; so does the angle form.
#define TACIT_NAME_ALLOC_SCOPE alloc_scope
// `without_alloc`, and the top of a lowered [[tacit::without(alloc)]] body.
#define TACIT_NAME_HEAP_SCOPE heap_scope
// The top of a lowered [[tacit::uses(alloc)]] body (checked mode's entry check).
#define TACIT_NAME_USES_CHECK uses_check
// The top of a lowered [[tacit::without(name)]] body for a user context
// (context_cleared<name>), and of a [[tacit::uses(name)]] one
// (uses_context_check<name>): class templates of the context.
#define TACIT_NAME_CONTEXT_CLEARED context_cleared
#define TACIT_NAME_USES_CONTEXT_CHECK uses_context_check
// The start of a lowered coroutine body, and the guard in front of an
// await_suspend that may throw (the coroutine lowering).
#define TACIT_NAME_CORO_CONTEXT coro_context
#define TACIT_NAME_SUSPEND_GUARD suspend_guard
// The variables the lowerings insert.
#define TACIT_NAME_HEAP_VARIABLE __tacit_without_alloc
#define TACIT_NAME_USES_VARIABLE __tacit_uses_alloc
#define TACIT_NAME_CORO_VARIABLE __tacit_coro
// A user context's: the prefix, then the context's name
// (__tacit_without_logger, __tacit_uses_logger).
#define TACIT_NAME_WITHOUT_VARIABLE_PREFIX __tacit_without_
#define TACIT_NAME_USES_VARIABLE_PREFIX __tacit_uses_
// The block macros (spelled as identifiers by the angle-block rewriter).
#define TACIT_NAME_WITH_ALLOC with_alloc
#define TACIT_NAME_WITHOUT_ALLOC without_alloc

#define TACIT_NAME_STR_(x) #x
#define TACIT_NAME_STR(x) TACIT_NAME_STR_(x)

#endif
