//===- PointerLosesCapability.h - Conversions that drop a requirement -----===//
//
// FILE: plugin/core/PointerLosesCapability.h
// DESCRIPTION: A [[tacit::uses(alloc)]] function (or lambda) turned into a
//   plain function pointer, member function pointer or std::function can be
//   called anywhere: the requirement is not part of the pointer's type, so
//   calls through it are not checked. A warning at the conversion.
//   docs/diagnostics.md#pointerlosescapability,
//   test/plugin/PointerLosesCapability.cpp
//
//===----------------------------------------------------------------------===//
#ifndef TACIT_PLUGIN_CORE_POINTERLOSESCAPABILITY_H
#define TACIT_PLUGIN_CORE_POINTERLOSESCAPABILITY_H

#include "Capabilities.h"
#include "Options.h"

#include "clang/AST/ASTContext.h"

namespace tacit {

void checkPointerLosesCapability(clang::ASTContext &Ctx, Capabilities &Caps,
                                 const Options &Opts);

} // namespace tacit

#endif
