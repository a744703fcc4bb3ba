// FILE: test/plugin/CoroutineTask.cpp
// DESCRIPTION: The allocator context follows lazy tasks: a parent starts a
//   child by symmetric transfer (await_suspend returns the child's handle)
//   and the child's final suspend transfers back; the innermost task is
//   resumed directly by an event loop (handle.resume(), no caller on the
//   stack), which runs in a scope of its own (D) — each task still runs in
//   its creation context, its own blocks on top. A child created inside the
//   parent's with_alloc(B) block runs in B>A. A lambda coroutine and a
//   function template coroutine are lowered too. Run at -O0 and -O2.
// REQUIRES: plugin
// RUN: %tacitxx -std=c++20 -fplugin-arg-tacit-werror -O0 %s -o %t.O0 && %t.O0 | FileCheck %s
// RUN: %tacitxx -std=c++20 -fplugin-arg-tacit-werror -O2 %s -o %t.O2 && %t.O2 | FileCheck %s
#include "Inputs/coroutines.hpp"

named_arena &A = make_arena("A"), &B = make_arena("B"), &C = make_arena("C"),
            &D = make_arena("D"), &L = make_arena("L");
loop lp;

task<int> leaf(int x) {
  step("    leaf: start");
  co_await lp.schedule(); // resumed by lp.run(), directly
  step("    leaf: resumed by the loop");
  with_alloc(L) {
    co_await lp.schedule();
    step("    leaf: in L, resumed by the loop");
  }
  co_return x;
}

template <class T> task<T> twice(T x) {
  step("    twice<int>: start");
  T v = co_await leaf(x);
  step("    twice<int>: after leaf");
  co_return v * 2;
}

task<int> mid() {
  step("  mid: start");
  int v;
  with_alloc(B) {
    step("  mid: in B");
    v = co_await leaf(1); // created in B>A
    step("  mid: in B after leaf");
  }
  auto lam = [](int y) -> task<int> {
    step("    lambda: start");
    co_await lp.schedule();
    step("    lambda: resumed by the loop");
    co_return y + 1;
  };
  v += co_await lam(v);
  step("  mid: after lambda");
  v += co_await twice(v);
  step("  mid: after twice");
  co_return v + 1;
}

task<int> outer() {
  step("outer: start");
  int v = co_await mid();
  step("outer: after mid");
  co_return v;
}

int main() {
  with_alloc(A) {
    task<int> t = outer(); // created in A
    with_alloc(C) {
      step("main: start in C");
      t.start(); // runs until the leaf suspends on the loop
      step("main: t suspended");
    }
    with_alloc(D) {
      step("main: loop in D");
      lp.run();
      step("main: loop done");
    }
    std::printf("t = %d, done %d\n", t.get(), t.done());
  }
}
// CHECK: main: start in C ctx=C>A new=C
// CHECK-NEXT: outer: start ctx=A new=A
// CHECK-NEXT: mid: start ctx=A new=A
// CHECK-NEXT: mid: in B ctx=B>A new=B
// CHECK-NEXT: leaf: start ctx=B>A new=B
// CHECK-NEXT: main: t suspended ctx=C>A new=C
// CHECK-NEXT: main: loop in D ctx=D>A new=D
// CHECK-NEXT: loop: resuming a handle ctx=D>A new=D
// CHECK-NEXT: leaf: resumed by the loop ctx=B>A new=B
// CHECK-NEXT: loop: resuming a handle ctx=D>A new=D
// CHECK-NEXT: leaf: in L, resumed by the loop ctx=L>B>A new=L
// CHECK-NEXT: mid: in B after leaf ctx=B>A new=B
// CHECK-NEXT: lambda: start ctx=A new=A
// CHECK-NEXT: loop: resuming a handle ctx=D>A new=D
// CHECK-NEXT: lambda: resumed by the loop ctx=A new=A
// CHECK-NEXT: mid: after lambda ctx=A new=A
// CHECK-NEXT: twice<int>: start ctx=A new=A
// CHECK-NEXT: leaf: start ctx=A new=A
// CHECK-NEXT: loop: resuming a handle ctx=D>A new=D
// CHECK-NEXT: leaf: resumed by the loop ctx=A new=A
// CHECK-NEXT: loop: resuming a handle ctx=D>A new=D
// CHECK-NEXT: leaf: in L, resumed by the loop ctx=L>A new=L
// CHECK-NEXT: twice<int>: after leaf ctx=A new=A
// CHECK-NEXT: mid: after twice ctx=A new=A
// CHECK-NEXT: outer: after mid ctx=A new=A
// CHECK-NEXT: main: loop done ctx=D>A new=D
// CHECK-NEXT: t = 10, done 1
