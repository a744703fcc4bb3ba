// FILE: test/plugin/CoroutineExceptions.cpp
// DESCRIPTION: Exceptions and the allocator context that follows a
//   coroutine (CoroutineLowering.cpp, coro_context): thrown after a
//   suspension with the coroutine's own with_alloc(B) block open (the block
//   unwinds, unhandled_exception runs in the creation context, the resumer's
//   stack is intact); caught inside the body across suspensions; rethrown
//   into an awaiting parent; thrown by await_suspend (which runs in the
//   resumer's context; the suspend guard puts the coroutine's context back
//   before the exception re-enters it, so its later blocks do not leak onto
//   the resumer's stack); destroy() of a coroutine suspended inside its own
//   block; and the initial suspend's rules ([dcl.fct.def.coroutine]p5: an
//   exception before the initial await_resume reaches the caller, one from
//   it goes to unhandled_exception). Run at -O0, -O2 and under ASan.
// REQUIRES: plugin
// RUN: %tacitxx -std=c++20 -fplugin-arg-tacit-werror -O0 %s -o %t.O0 && %t.O0 | FileCheck %s
// RUN: %tacitxx -std=c++20 -fplugin-arg-tacit-werror -O2 %s -o %t.O2 && %t.O2 | FileCheck %s
// RUN: %if tacit-asan-cxx %{ %tacitxx_asan -std=c++20 -fplugin-arg-tacit-werror -O1 %s -o %t.asan && %t.asan | FileCheck %s %}
#include "Inputs/coroutines.hpp"

#include <stdexcept>

named_arena &A = make_arena("A"), &B = make_arena("B"), &C = make_arena("C"),
            &M = make_arena("M");
loop lp;

// 1. Thrown after a suspension, inside the coroutine's own block.
task<int> throws_late() {
  with_alloc(B) {
    co_await lp.schedule();
    step("  1: about to throw");
    throw std::runtime_error("late");
  }
  co_return 0;
}

// 2. Caught inside the body, across suspensions.
task<int> catches() {
  try {
    with_alloc(B) {
      co_await lp.schedule();
      step("  2: in B, throwing");
      throw 1;
    }
  } catch (int) {
    step("  2: caught");
  }
  co_await lp.schedule();
  step("  2: after the catch, resumed");
  co_return 2;
}

// 2b. Rethrown into the parent that awaits it (task::await_resume).
task<int> parent() {
  try {
    with_alloc(B) {
      co_await throws_late();
    }
  } catch (const std::exception &e) {
    step("  2b: parent caught the child's exception");
  }
  co_return 22;
}

// 3. await_suspend throws: the coroutine is resumed and the exception
// rethrown in it, without await_resume ([expr.await]).
struct throwing_suspend {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) {
    step("  3: await_suspend");
    throw std::logic_error("await_suspend");
  }
  void await_resume() const noexcept {}
};
task<int> suspend_throws() {
  try {
    with_alloc(B) {
      step("  3: in B before co_await");
      co_await throwing_suspend{};
      step("  3: not reached");
    }
  } catch (const std::logic_error &) {
    step("  3: caught in the coroutine");
  }
  with_alloc(B) {
    co_await lp.schedule();
    step("  3: a later suspension in B");
  }
  co_return 3;
}

// 4. destroy() of a coroutine suspended inside its own block.
task<int> suspended_forever() {
  with_alloc(B) {
    step("  4: in B, suspending forever");
    co_await std::suspend_always{};
    step("  4: not reached");
  }
  co_return 4;
}

// 5. The initial suspend.
struct init_throws_in_suspend {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) {
    throw std::runtime_error("initial await_suspend");
  }
  void await_resume() const noexcept {}
};
struct init_throws_in_resume {
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) noexcept {}
  void await_resume() { throw std::runtime_error("initial await_resume"); }
};
template <class Init> struct eager {
  struct promise_type {
    eager get_return_object() { return {}; }
    Init initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {
      try {
        throw;
      } catch (const std::exception &e) {
        std::printf("  5: unhandled_exception(%s)\n", e.what());
        step("  5: unhandled_exception");
      }
    }
  };
};
eager<init_throws_in_suspend> e1() {
  step("  5: e1 body (not reached)");
  co_return;
}
eager<init_throws_in_resume> e2() {
  step("  5: e2 body (not reached)");
  co_return;
}

int main() {
  with_alloc(A) {
    task<int> t1 = throws_late(), t2 = catches(), t2b = parent(),
              t3 = suspend_throws();
    with_alloc(M) {
      t1.start();
      lp.run();
      try {
        t1.get();
      } catch (const std::exception &e) {
        std::printf("1: the caller got '%s'\n", e.what());
      }
      step("1: main after");
      // CHECK: loop: resuming a handle ctx=M>A new=M
      // CHECK-NEXT: 1: about to throw ctx=B>A new=B
      // CHECK-NEXT: task: unhandled_exception ctx=A new=A
      // CHECK-NEXT: 1: the caller got 'late'
      // CHECK-NEXT: 1: main after ctx=M>A new=M

      t2.start();
      lp.run();
      std::printf("2: result %d\n", t2.get());
      step("2: main after");
      // CHECK-NEXT: loop: resuming a handle ctx=M>A new=M
      // CHECK-NEXT: 2: in B, throwing ctx=B>A new=B
      // CHECK-NEXT: 2: caught ctx=A new=A
      // CHECK-NEXT: loop: resuming a handle ctx=M>A new=M
      // CHECK-NEXT: 2: after the catch, resumed ctx=A new=A
      // CHECK-NEXT: 2: result 2
      // CHECK-NEXT: 2: main after ctx=M>A new=M

      t2b.start();
      lp.run();
      std::printf("2b: result %d\n", t2b.get());
      // CHECK-NEXT: loop: resuming a handle ctx=M>A new=M
      // CHECK-NEXT: 1: about to throw ctx=B>B>A new=B
      // CHECK-NEXT: task: unhandled_exception ctx=B>A new=B
      // CHECK-NEXT: 2b: parent caught the child's exception ctx=A new=A
      // CHECK-NEXT: 2b: result 22

      t3.start();
      lp.run();
      std::printf("3: result %d\n", t3.get());
      step("3: main after");
      // CHECK-NEXT: 3: in B before co_await ctx=B>A new=B
      // CHECK-NEXT: 3: await_suspend ctx=M>A new=M
      // CHECK-NEXT: 3: caught in the coroutine ctx=A new=A
      // CHECK-NEXT: loop: resuming a handle ctx=M>A new=M
      // CHECK-NEXT: 3: a later suspension in B ctx=B>A new=B
      // CHECK-NEXT: 3: result 3
      // CHECK-NEXT: 3: main after ctx=M>A new=M
    }
    {
      task<int> t4 = suspended_forever();
      with_alloc(C) {
        t4.start();
        step("4: suspended; main");
        t4.h.destroy();
        t4.h = {};
        step("4: destroyed; main");
      }
      // CHECK-NEXT: 4: in B, suspending forever ctx=B>A new=B
      // CHECK-NEXT: 4: suspended; main ctx=C>A new=C
      // CHECK-NEXT: 4: destroyed; main ctx=C>A new=C
    }
    with_alloc(C) {
      try {
        e1();
        std::printf("5: e1 returned\n");
      } catch (const std::exception &e) {
        std::printf("5: e1 threw to its caller: %s\n", e.what());
      }
      step("5: after e1");
      try {
        e2();
        std::printf("5: e2 returned\n");
      } catch (const std::exception &e) {
        std::printf("5: e2 threw to its caller: %s\n", e.what());
      }
      step("5: after e2");
      // CHECK-NEXT: 5: e1 threw to its caller: initial await_suspend
      // CHECK-NEXT: 5: after e1 ctx=C>A new=C
      // CHECK-NEXT: 5: unhandled_exception(initial await_resume)
      // CHECK-NEXT: 5: unhandled_exception ctx=C>A new=C
      // CHECK-NEXT: 5: e2 returned
      // CHECK-NEXT: 5: after e2 ctx=C>A new=C
    }
    step("main: end");
    // CHECK-NEXT: main: end ctx=A new=A
  }
}
