// FILE: test/plugin/WithoutAllocLowering-no-header.cpp
// DESCRIPTION: WithoutAllocLowering needs <tacit/alloc.hpp> (the heap_scope it
//   opens is declared there): without it, one clear error per function.
// REQUIRES: plugin
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin -Xclang -verify %s
#include <vector>

[[tacit::without(alloc)]] int f() { return 1; } // expected-error {{[[tacit::without(alloc)]] needs <tacit/alloc.hpp>: the function's body runs inside a tacit::detail::heap_scope, which that header declares; include it before this function}}
[[tacit::uses(alloc)]] int g(); // fine: nothing to lower
int main() { return f(); }
