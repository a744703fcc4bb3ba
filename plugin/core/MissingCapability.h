//===- MissingCapability.h - Calls that need an allocator context ---------===//
//
// FILE: plugin/core/MissingCapability.h
// DESCRIPTION: Every call to a function that requires an allocator context
//   ([[tacit::uses(alloc)]], see Capabilities.h) — plain, member, operator,
//   constructor (implicit ones and `new T(...)` included), template
//   instantiation, virtual call through a base — must sit lexically inside
//   with_alloc, or in a function whose body is a context. Otherwise: one
//   error per call site, a note at the requirement, and two fix-it notes (add
//   the attribute to the enclosing function; wrap the statement in
//   with_alloc(tacit::current())).
//   docs/diagnostics.md#missingcapability, test/plugin/MissingCapability.cpp
//
//===----------------------------------------------------------------------===//
#ifndef TACIT_PLUGIN_CORE_MISSINGCAPABILITY_H
#define TACIT_PLUGIN_CORE_MISSINGCAPABILITY_H

#include "Capabilities.h"
#include "Options.h"

#include "clang/AST/ASTContext.h"

namespace tacit {

void checkMissingCapability(clang::ASTContext &Ctx, Capabilities &Caps,
                            const Options &Opts);

} // namespace tacit

#endif
