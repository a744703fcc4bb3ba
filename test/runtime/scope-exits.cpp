// However a with_alloc block is left — the end, break, continue, return,
// goto, an exception — the context is what it was before. Scopes nest, the
// innermost wins, and without_alloc restores the global heap inside them.
// RUN: %tacitxx -std=c++20 -O0 %support %s -o %t0 && %t0 | FileCheck %s
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdio>
#include <stdexcept>

tacit::arena outer, inner;

const char* name(std::pmr::memory_resource& r) {
  return &r == &outer ? "outer" : &r == &inner ? "inner"
       : &r == &tacit::global() ? "global" : "other";
}
#define SHOW(what) std::printf("%s: %s\n", what, name(tacit::current()))

int returns() {
  with_alloc(inner) { return 1; }
  return 0;
}

int main() {
  SHOW("start");
  // CHECK: start: global
  with_alloc(outer) {
    SHOW("in outer");
    // CHECK-NEXT: in outer: outer
    for (int i = 0; i < 3; ++i) {
      with_alloc(inner) {
        if (i == 0) continue;
        if (i == 1) break;
      }
    }
    SHOW("after break/continue");
    // CHECK-NEXT: after break/continue: outer
    returns();
    SHOW("after return");
    // CHECK-NEXT: after return: outer
    with_alloc(&inner) { goto out; }
  out:
    SHOW("after goto");
    // CHECK-NEXT: after goto: outer
    try {
      with_alloc(inner) { throw std::runtime_error("thrown " "with a message long enough to allocate"); }
    } catch (const std::exception& e) {
      SHOW("after exception");
    }
    // CHECK-NEXT: after exception: outer
    with_alloc(inner) {
      SHOW("nested");
      without_alloc { SHOW("without_alloc inside"); }
      SHOW("back in nested");
    }
    // CHECK-NEXT: nested: inner
    // CHECK-NEXT: without_alloc inside: global
    // CHECK-NEXT: back in nested: inner
    bool flag = true;
    if (flag) with_alloc(inner) SHOW("if-with_alloc"); else SHOW("else");
    // CHECK-NEXT: if-with_alloc: inner
    if (!flag) with_alloc(inner) SHOW("if-with_alloc"); else SHOW("else");
    // CHECK-NEXT: else: outer
  }
  SHOW("end");
  // CHECK-NEXT: end: global
}
