//===- Attributes.cpp - Register [[tacit::uses]] / [[tacit::without]] -----===//
//
// FILE: plugin/module/Attributes.cpp
// DESCRIPTION: Registers the capability attributes (parsed and validated in
//   plugin/core/Capabilities.cpp) with Clang's plugin attribute registry.
//   Compiled into the module itself: a registration in an archive would be
//   dropped by the linker.
//
//===----------------------------------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "Capabilities.h"

#include "clang/Sema/ParsedAttr.h"

static clang::ParsedAttrInfoRegistry::Add<tacit::UsesAttrInfo>
    RegisterUses("tacit_uses", "[[tacit::uses(alloc)]]");
static clang::ParsedAttrInfoRegistry::Add<tacit::WithoutAttrInfo>
    RegisterWithout("tacit_without", "[[tacit::without(alloc)]]");
