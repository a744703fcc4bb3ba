//===- OverrideMismatch.h - Overrides may not add a requirement -----------===//
//
// FILE: plugin/core/OverrideMismatch.h
// DESCRIPTION: A virtual call through a base is checked against the base's
//   declaration. An override declared [[tacit::uses(alloc)]] whose base is
//   not would be reached through the base with no context: an error, a note
//   at the base, and a fix-it note adding the attribute to the base.
//   docs/diagnostics.md#overridemismatch, test/plugin/OverrideMismatch.cpp
//
//===----------------------------------------------------------------------===//
#ifndef TACIT_PLUGIN_CORE_OVERRIDEMISMATCH_H
#define TACIT_PLUGIN_CORE_OVERRIDEMISMATCH_H

#include "Capabilities.h"
#include "Options.h"

#include "clang/AST/ASTContext.h"

namespace tacit {

void checkOverrideMismatch(clang::ASTContext &Ctx, Capabilities &Caps,
                           const Options &Opts);

} // namespace tacit

#endif
