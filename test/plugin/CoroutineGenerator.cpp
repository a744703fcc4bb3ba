// FILE: test/plugin/CoroutineGenerator.cpp
// DESCRIPTION: The allocator context follows a generator (the coroutine
//   lowering, plugin/core/CoroutineLowering.cpp, and the runtime's
//   coro_context): created inside with_alloc(A) and consumed inside
//   with_alloc(C), its body runs in A; a co_yield inside its own
//   with_alloc(B) block suspends with B taken off the thread (the consumer
//   never sees it, and allocates in C) and resumes with B back. Each step
//   prints its context stack and where a fresh `new` lands (owner_of); the
//   arenas' counts agree. Run at -O0, -O2 and under -fno-exceptions (no
//   try/catch in the lowering).
// REQUIRES: plugin
// RUN: %tacitxx -std=c++20 -fplugin-arg-tacit-werror -O0 %s -o %t.O0 && %t.O0 | FileCheck %s
// RUN: %tacitxx -std=c++20 -fplugin-arg-tacit-werror -O2 %s -o %t.O2 && %t.O2 | FileCheck %s
// RUN: %tacitxx -std=c++20 -fplugin-arg-tacit-werror -O2 -fno-exceptions %s -o %t.noexc && %t.noexc | FileCheck %s
#include "Inputs/coroutines.hpp"

named_arena &A = make_arena("A"), &B = make_arena("B"), &C = make_arena("C");

generator<int> numbers() {
  step("  gen: first resume");
  co_yield 1;
  step("  gen: after yield 1");
  with_alloc(B) {
    step("  gen: in B");
    co_yield 2; // suspends with its own block open
    step("  gen: in B after yield 2");
  }
  step("  gen: after B");
  co_yield 3;
  step("  gen: last step");
}

int main() {
  step("main");
  // CHECK: main ctx=- new=heap
  with_alloc(A) {
    generator<int> g = numbers(); // created in A
    step("main: created in A");
    // CHECK-NEXT: main: created in A ctx=A new=A
    with_alloc(C) {
      while (g.next()) {
        std::printf("  consumer got %d\n", g.value());
        step("  consumer");
      }
    }
    // CHECK-NEXT:   gen: first resume ctx=A new=A
    // CHECK-NEXT:   consumer got 1
    // CHECK-NEXT:   consumer ctx=C>A new=C
    // CHECK-NEXT:   gen: after yield 1 ctx=A new=A
    // CHECK-NEXT:   gen: in B ctx=B>A new=B
    // CHECK-NEXT:   consumer got 2
    // CHECK-NEXT:   consumer ctx=C>A new=C
    // CHECK-NEXT:   gen: in B after yield 2 ctx=B>A new=B
    // CHECK-NEXT:   gen: after B ctx=A new=A
    // CHECK-NEXT:   consumer got 3
    // CHECK-NEXT:   consumer ctx=C>A new=C
    // CHECK-NEXT:   gen: last step ctx=A new=A
    step("main: back in A");
    // CHECK-NEXT: main: back in A ctx=A new=A
  }
  step("main: after A");
  // CHECK-NEXT: main: after A ctx=- new=heap
  std::printf("allocations: A %zu B %zu C %zu\n", A.allocations(),
              B.allocations(), C.allocations());
  // Each step allocates twice (its probe, its line). A: the generator's
  // frame and 6 steps (main's 2, the generator's 4); B: 2 steps; C: 3.
  // CHECK-NEXT: allocations: A 13 B 4 C 6
}
