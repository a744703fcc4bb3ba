// FILE: test/plugin/WithAllocArgument.cpp
// DESCRIPTION: with_alloc's argument must be an lvalue or a pointer of a
//   type derived from std::pmr::memory_resource. With the plugin, the check
//   tacit-with-alloc-argument (plugin/core/WithAllocArgument.cpp) reports
//   anything else at the user's argument, with no macro backtrace (PLUGIN).
//   Without the plugin, the header's unavailable constructor gives one error
//   (HEADER). With the check turned off the program does not link (LINK).
// REQUIRES: plugin
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin %include -Xclang -verify=plugin %s
// RUN: not %clangxx -std=c++20 -fsyntax-only %plugin %include %s 2>&1 | FileCheck %s --check-prefix=PLUGIN --implicit-check-not=note:
// RUN: %clangxx -std=c++20 -fsyntax-only %include -Xclang -verify=header %s
// RUN: not %clangxx -std=c++20 %plugin -fplugin-arg-tacit-no-with-alloc-argument %include -DONE_BAD %s %tacit_static -o %t 2>&1 | FileCheck %s --check-prefix=LINK
#include <tacit/alloc.hpp>
#include <memory_resource>

struct not_a_resource {};

void bad(std::pmr::polymorphic_allocator<int> alloc) {
  with_alloc(42) {} // plugin-error {{with_alloc needs an lvalue or a pointer of a type derived from std::pmr::memory_resource; 'int' is not a memory resource}} header-error {{'alloc_scope' is unavailable: with_alloc needs an lvalue or a pointer of a type derived from std::pmr::memory_resource}}
  // PLUGIN: WithAllocArgument.cpp:[[@LINE-1]]:14: error: with_alloc needs an lvalue or a pointer of a type derived from std::pmr::memory_resource; 'int' is not a memory resource (a tacit::arena, a std::pmr::monotonic_buffer_resource, ...) [tacit-with-alloc-argument]
#ifndef ONE_BAD
  not_a_resource n;
  with_alloc(n) {} // plugin-error {{'not_a_resource' is not a memory resource}} header-error {{'alloc_scope' is unavailable: with_alloc needs an lvalue}}
  // PLUGIN: WithAllocArgument.cpp:[[@LINE-1]]:14: error: {{.*}}'not_a_resource' is not a memory resource
  with_alloc(alloc) {} // plugin-error {{'std::pmr::polymorphic_allocator<int>' is not a memory resource}} header-error {{'alloc_scope' is unavailable: with_alloc needs an lvalue}}
  with_alloc(std::pmr::monotonic_buffer_resource()) {} // plugin-error {{this is a temporary 'std::pmr::monotonic_buffer_resource', which would be destroyed before the block runs: declare it as a variable and pass that}} header-error {{'alloc_scope' is unavailable: with_alloc needs an lvalue}}
  // PLUGIN: WithAllocArgument.cpp:[[@LINE-1]]:14: error: {{.*}}this is a temporary 'std::pmr::monotonic_buffer_resource'
  with_alloc(std::pmr::monotonic_buffer_resource{}) {} // plugin-error {{this is a temporary}} header-error {{'alloc_scope' is unavailable}}
  // header-note@* 4+ {{'alloc_scope' has been explicitly marked unavailable here}}
#endif
}
// LINK: undefined reference to {{.*}}alloc_scope

void good(tacit::arena &a, std::pmr::monotonic_buffer_resource *m,
          std::pmr::memory_resource &r) {
  with_alloc(a) {}
  with_alloc(&a) {}
  with_alloc(m) {}
  with_alloc(*m) {}
  with_alloc(r) {}
  with_alloc(tacit::global()) {}
  with_alloc(tacit::deny()) {}
}
int main() { std::pmr::polymorphic_allocator<int> x; bad(x); }
