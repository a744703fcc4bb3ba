// The simplest use: a with_alloc block whose body is only a new-expression.
// `with_alloc(a) { p = new node{...}; }` must allocate on `a` at every
// optimisation level.
//
// A regression test: this failed at -O2 until 927479e ("a compiler barrier in
// push()/pop()"). alloc_scope / push() in <tacit/alloc.hpp> filled the frame
// with plain stores and published it in tls_context, but LLVM treats a
// new-expression's operator new call (a `builtin` _Znwm/_Znam) as
// malloc-like: BasicAA assumes it reads no IR-visible memory, so dead-store
// elimination deleted the stores that filled the frame (resource,
// fast_arena, prev, ...). operator new then read an uninitialised frame: the
// block silently came from the global heap (stack garbage decided; it could
// as well have crashed). push() and pop() now end with
// asm volatile("" : : "r"(&f) : "memory"), which keeps the frame.
// RUN: %tacitxx -std=c++20 -O0 %support %s -o %t0 && %t0 | FileCheck %s
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t2 && %t2 | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdio>
#include <new>

#include "ledger.hpp"

struct node {
  int value;
  node* next;
};

int main() {
  tacit::arena a;
  node* p;
  with_alloc(a) { p = new node{7, nullptr}; }
  std::printf("new node on the arena: %s\n", tacit::owner_of(p) == &a ? "yes" : "no");
  // CHECK: new node on the arena: yes

  int* q;
  with_alloc(a) { q = new (std::nothrow) int[4]; }
  std::printf("nothrow new[] on the arena: %s\n", tacit::owner_of(q) == &a ? "yes" : "no");
  // CHECK: nothrow new[] on the arena: yes

  node* r;
  {
    tacit::arena inner;
    with_alloc(inner) { r = new node{1, p}; }
    std::printf("new node on a local arena: %s\n",
                tacit::owner_of(r) == &inner ? "yes" : "no");
  }
  // CHECK: new node on a local arena: yes
  delete r;
  delete[] q;
  delete p;
  std::printf("done\n");
  // CHECK: done
}
