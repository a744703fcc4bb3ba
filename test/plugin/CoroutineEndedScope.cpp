// FILE: test/plugin/CoroutineEndedScope.cpp
// DESCRIPTION: A coroutine created inside a with_alloc block that has ended
//   (and whose arena is destroyed) before the coroutine first runs: it runs
//   in its resumer's context, its own blocks on top of that, and never
//   touches the ended scope or the dead arena — run under AddressSanitizer
//   too, where reading the ended scope's frame (use after scope) or the
//   arena (use after free) would stop the program. The same for a lazy task
//   resumed on an event loop, and for an eager coroutine that suspends once
//   and is resumed after its scope ended.
// REQUIRES: plugin
// RUN: %tacitxx -std=c++20 -fplugin-arg-tacit-werror -O0 %s -o %t.O0 && %t.O0 | FileCheck %s
// RUN: %tacitxx -std=c++20 -fplugin-arg-tacit-werror -O2 %s -o %t.O2 && %t.O2 | FileCheck %s
// RUN: %if tacit-asan-cxx %{ %tacitxx_asan -std=c++20 -fplugin-arg-tacit-werror -O1 %s -o %t.asan && %t.asan | FileCheck %s %}
#include "Inputs/coroutines.hpp"

#include <optional>

named_arena &C = make_arena("C"), &B = make_arena("B");
loop lp;

generator<int> numbers() {
  step("  gen: first resume");
  co_yield 1;
  with_alloc(B) {
    step("  gen: in B");
    co_yield 2;
    step("  gen: in B after yield 2");
  }
  step("  gen: last step");
}

task<int> lazy() {
  step("  task: start");
  co_await lp.schedule();
  step("  task: resumed by the loop");
  co_return 7;
}

// Eager: runs in its creation scope until its first suspension.
struct eager {
  struct promise_type {
    eager get_return_object() {
      return {std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
  std::coroutine_handle<promise_type> h;
};
eager starts_at_once() {
  step("  eager: at once");
  co_await std::suspend_always{};
  step("  eager: resumed");
}

int main() {
  // Each is created in a scope of an arena destroyed right after: its
  // scope's frame is out of scope and the arena is gone when it resumes.
  auto dead = std::make_unique<tacit::arena>();
  generator<int> g = [&] {
    with_alloc(*dead) { return numbers(); }
  }();
  std::optional<task<int>> t;
  with_alloc(*dead) { t.emplace(lazy()); }
  eager e;
  with_alloc(*dead) {
    e = starts_at_once();
    // CHECK: eager: at once ctx=? new=?
  }
  dead.reset();

  with_alloc(C) {
    step("main: in C");
    // CHECK-NEXT: main: in C ctx=C new=C
    while (g.next())
      step("  consumer");
    // CHECK-NEXT: gen: first resume ctx=C new=C
    // CHECK-NEXT: consumer ctx=C new=C
    // CHECK-NEXT: gen: in B ctx=B>C new=B
    // CHECK-NEXT: consumer ctx=C new=C
    // CHECK-NEXT: gen: in B after yield 2 ctx=B>C new=B
    // CHECK-NEXT: gen: last step ctx=C new=C
    t->start();
    // CHECK-NEXT: task: start ctx=C new=C
    e.h.resume();
    // CHECK-NEXT: eager: resumed ctx=C new=C
    e.h.destroy();
  }
  lp.run();
  // CHECK-NEXT: loop: resuming a handle ctx=- new=heap
  // CHECK-NEXT: task: resumed by the loop ctx=- new=heap
  std::printf("result %d, B %zu, C %zu\n", t->get(), B.allocations(),
              C.allocations());
  // CHECK-NEXT: result 7, B 4, C 14
  step("main: end");
  // CHECK-NEXT: main: end ctx=- new=heap
}
