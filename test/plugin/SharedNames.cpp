// FILE: test/plugin/SharedNames.cpp
// DESCRIPTION: The names the plugin and <tacit/alloc.hpp> share live in
//   <tacit/names.hpp>, which both include. The header checks its classes
//   against them (a drifted name does not compile: NAMES), and the plugin
//   finds blocks (dump-scopes: SCOPES) and inserts its lowerings (LOWER) by
//   them. (-fplugin-arg-tacit-no-entry-check, tacit-lower's --arg=, leaves
//   uses(alloc) bodies as written: NOENTRY.)
// REQUIRES: plugin, tacit-lower
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin -fplugin-arg-tacit-dump-scopes %include %s 2>&1 | FileCheck %s --check-prefix=SCOPES
// RUN: %tacit_lower %s -- -std=c++20 %include | FileCheck %s --check-prefix=LOWER
// RUN: %tacit_lower --arg=no-entry-check %s -- -std=c++20 %include | FileCheck %s --check-prefix=NOENTRY
// RUN: not %tacit_lower --arg=bogus %s -- -std=c++20 %include 2>&1 | FileCheck %s --check-prefix=BADARG
// (-DTACIT_NAMES_HPP stands in for a names.hpp whose alloc_scope drifted.)
// RUN: not %clangxx -std=c++20 -fsyntax-only -DTACIT_NAMES_HPP -DTACIT_NAME_ALLOC_SCOPE=scope_renamed -DTACIT_NAME_HEAP_SCOPE=heap_scope -DTACIT_NAME_USES_CHECK=uses_check %include %s 2>&1 | FileCheck %s --check-prefix=NAMES
#include <tacit/alloc.hpp>

// NAMES: error: no type named 'scope_renamed' in namespace 'tacit::detail'

void blocks(tacit::arena &a) {
  with_alloc(a) {}
  // SCOPES: SharedNames.cpp:[[@LINE-1]]:3: remark: with_alloc scope
  without_alloc {}
  // SCOPES: SharedNames.cpp:[[@LINE-1]]:3: remark: without_alloc scope
}

[[tacit::without(alloc)]] void on_heap() {}
// LOWER: void on_heap() { ::tacit::detail::heap_scope __tacit_without_alloc(
[[tacit::uses(alloc)]] void needs_context() {}
// LOWER: void needs_context() { ::tacit::detail::uses_check __tacit_uses_alloc("needs_context",
// NOENTRY: void needs_context() {}{{$}}
// BADARG: error: tacit-lower: unknown plugin argument 'bogus' (--arg=help lists them)
