// The simplest use: a with_alloc block whose body is only a new-expression.
// `with_alloc(a) { p = new node{...}; }` must allocate on `a` at every
// optimisation level.
//
// Fails today (at -O2): alloc_scope / push() in <tacit/alloc.hpp> fill the
// frame with plain stores and publish it in tls_context, but LLVM treats a
// new-expression's operator new call (a `builtin` _Znwm/_Znam) as malloc-like:
// BasicAA assumes it reads no IR-visible memory, so dead-store elimination
// deletes the stores that fill the frame (resource, fast_arena, prev, ...) —
// nothing else reads them before the frame's lifetime ends. operator new
// then reads an uninitialised frame: here the block silently comes from the
// global heap (stack garbage decides; it could as well crash). A compiler
// barrier in push()/pop() (asm volatile("" : : "r"(&f) : "memory")) or an
// out-of-line open for every scope would keep the frame.
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
