// FILE: test/plugin/WithoutAllocLowering-before-header.cpp
// DESCRIPTION: A [[tacit::without(alloc)]] function defined before
//   <tacit/alloc.hpp> is included cannot be lowered (the heap scope is not
//   declared yet): one error for that function only, none for the functions
//   after the #include, which are lowered and run on the heap.
// REQUIRES: plugin
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin %include -Xclang -verify %s
[[tacit::without(alloc)]] int early() { return 1; } // expected-error {{[[tacit::without(alloc)]] needs <tacit/alloc.hpp>}}
#include <tacit/alloc.hpp>
[[tacit::without(alloc)]] int late() { return 2; }
[[tacit::without(alloc)]] int later() { return 3; }
int main() { return early() + late() + later(); }
