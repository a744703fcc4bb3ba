// FILE: test/plugin/WithoutAllocLowering-no-header.cpp
// DESCRIPTION: WithoutAllocLowering needs <tacit/alloc.hpp> (the heap_scope it
//   opens is declared there): without it, one clear error per function; a
//   defaulted constructor (no body to lower) warns at its initializers.
// REQUIRES: plugin
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin -Xclang -verify %s
#include <vector>

[[tacit::without(alloc)]] int f() { return 1; } // expected-error {{[[tacit::without(alloc)]] needs <tacit/alloc.hpp>: the function's body runs inside a tacit::detail::heap_scope, which that header declares; include it before this function}}
[[tacit::uses(alloc)]] int g(); // fine: nothing to lower
struct Df {
  [[tacit::without(alloc)]] Df() = default; // expected-note {{'Df' is declared [[tacit::without(alloc)]] here}}
  std::vector<int> v = std::vector<int>(3); // expected-warning {{the initializer of 'v' runs before the body of [[tacit::without(alloc)]] defaulted constructor 'Df'}}
};
int main() { Df d; return f(); }
