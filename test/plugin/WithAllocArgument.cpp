// FILE: test/plugin/WithAllocArgument.cpp
// DESCRIPTION: with_alloc's argument must be an lvalue or a pointer of a
//   type derived from std::pmr::memory_resource. Anything else is one clear
//   error from the header (an unavailable alloc_scope constructor), not a
//   template backtrace; with the plugin loaded nothing is added to it.
// REQUIRES: plugin
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin %include -Xclang -verify %s
// RUN: %clangxx -std=c++20 -fsyntax-only %include -Xclang -verify %s
#include <tacit/alloc.hpp>
#include <memory_resource>

struct not_a_resource {};
tacit::arena make_arena();

void bad(std::pmr::polymorphic_allocator<int> alloc) {
  with_alloc(42) {} // expected-error {{'alloc_scope' is unavailable: with_alloc needs an lvalue or a pointer of a type derived from std::pmr::memory_resource}}
  not_a_resource n;
  with_alloc(n) {} // expected-error {{'alloc_scope' is unavailable: with_alloc needs an lvalue}}
  with_alloc(alloc) {} // expected-error {{'alloc_scope' is unavailable: with_alloc needs an lvalue}}
  with_alloc(std::pmr::monotonic_buffer_resource()) {} // expected-error {{'alloc_scope' is unavailable: with_alloc needs an lvalue}}
  // expected-note@* 4 {{'alloc_scope' has been explicitly marked unavailable here}}
}

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
