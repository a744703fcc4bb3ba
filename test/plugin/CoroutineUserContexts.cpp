// FILE: test/plugin/CoroutineUserContexts.cpp
// DESCRIPTION: User-declared contexts follow a coroutine as the allocator
//   does (SPEC §2 Coroutines, §6): a coroutine sees the contexts it was
//   created in after each resumption, not its resumer's (also an event loop
//   resuming it directly, with contexts of its own); a with_context block
//   in its body stays open across co_await / co_yield and is in no one
//   else's context while the coroutine is suspended; created in a
//   [[tacit::without(logger)]] body it sees no logger (while that body
//   runs); created outside every scope it runs in its resumer's contexts. A detached coroutine
//   resumed after the scope that gave it a value has ended runs in its
//   resumer's contexts and never reads the ended value: here the ended
//   scope owned its value (an rvalue moved into it, now destroyed) and the
//   Logger an lvalue scope referred to is deleted — under AddressSanitizer
//   reading either would stop the program.
// REQUIRES: plugin
// RUN: %tacitxx -std=c++20 -fplugin-arg-tacit-werror -O0 %s -o %t.O0 && %t.O0 | FileCheck %s
// RUN: %tacitxx -std=c++20 -fplugin-arg-tacit-werror -O2 %s -o %t.O2 && %t.O2 | FileCheck %s
// RUN: %if tacit-asan-cxx %{ %tacitxx_asan -std=c++20 -fplugin-arg-tacit-werror -O1 %s -o %t.asan && %t.asan | FileCheck %s %}
#include "Inputs/coroutines.hpp"

#include <optional>
#include <string>

struct Logger {
  std::string name;
};
TACIT_CONTEXT(logger, Logger);
TACIT_CONTEXT(request_id, int);

std::string who() {
  Logger *l = tacit::find<logger>();
  int *r = tacit::find<request_id>();
  return "logger=" + (l ? l->name : std::string("none")) +
         " request=" + (r ? std::to_string(*r) : std::string("none"));
}
void say(const char *what) {
  std::printf("%-30s %s\n", what, who().c_str());
  std::fflush(stdout);
}

// Resumes what is queued, inside its own contexts.
struct user_loop {
  std::deque<std::coroutine_handle<>> ready;
  auto schedule() {
    struct awaiter {
      user_loop *lp;
      bool await_ready() const noexcept { return false; }
      void await_suspend(std::coroutine_handle<> h) { lp->ready.push_back(h); }
      void await_resume() const noexcept {}
    };
    return awaiter{this};
  }
  void run() {
    while (!ready.empty()) {
      auto h = ready.front();
      ready.pop_front();
      say("loop: resuming");
      h.resume();
      say("loop: back");
    }
  }
};
user_loop lp;

task<int> worker(const char *name) {
  say(name);
  co_await lp.schedule();
  say(name);
  // Its own block, open across a suspension.
  with_context(request_id, 99) {
    say("  own block, before");
    co_await lp.schedule();
    say("  own block, after");
  }
  say("  own block ended");
  co_return 0;
}

generator<int> numbers() {
  say("  gen: first");
  with_context(logger, Logger{"gen"}) {
    co_yield 1;
    say("  gen: in own block");
    co_yield 2;
  }
  say("  gen: last");
}

// Created in a [[tacit::without(logger)]] body, resumed (while that body
// runs) by code that provides a logger.
[[tacit::without(logger)]] void run_cleared(Logger &b) {
  task<int> t = worker("  cleared: start");
  with_context(logger, b) {
    t.start();
    lp.run();
  }
}

int main() {
  Logger a{"A"}, b{"B"};

  // 1. Created in A, resumed — while A's scope is open — by a loop running
  // in B with a request id the creator did not have.
  std::optional<task<int>> t;
  with_context(logger, a) {
    t.emplace(worker("  in A: start"));
    with_context(logger, b) with_context(request_id, 2) {
      t->start();
      // CHECK: in A: start logger=A request=none
      say("main: suspended in B");
      // CHECK-NEXT: main: suspended in B logger=B request=2
      lp.run();
      // CHECK-NEXT: loop: resuming logger=B request=2
      // CHECK-NEXT: in A: start logger=A request=none
      // CHECK-NEXT: own block, before logger=A request=99
      // CHECK-NEXT: loop: back logger=B request=2
      // CHECK-NEXT: loop: resuming logger=B request=2
      // CHECK-NEXT: own block, after logger=A request=99
      // CHECK-NEXT: own block ended logger=A request=none
      // CHECK-NEXT: loop: back logger=B request=2
    }
  }
  t.reset();

  // 2. Created outside every scope: its resumer's contexts.
  t.emplace(worker("  no context: start"));
  with_context(logger, b) {
    t->start();
    // CHECK-NEXT: no context: start logger=B request=none
    lp.run();
    // CHECK-NEXT: loop: resuming logger=B request=none
    // CHECK-NEXT: no context: start logger=B request=none
    // CHECK-NEXT: own block, before logger=B request=99
    // CHECK-NEXT: loop: back logger=B request=none
    // CHECK-NEXT: loop: resuming logger=B request=none
    // CHECK-NEXT: own block, after logger=B request=99
    // CHECK-NEXT: own block ended logger=B request=none
    // CHECK-NEXT: loop: back logger=B request=none
  }
  t.reset();

  // 3. Created in a without(logger) body: no logger, though its resumer
  // has one.
  with_context(logger, a) run_cleared(b);
  // CHECK-NEXT: cleared: start logger=none request=none
  // CHECK-NEXT: loop: resuming logger=B request=none
  // CHECK-NEXT: cleared: start logger=none request=none
  // CHECK-NEXT: own block, before logger=none request=99
  // CHECK: own block ended logger=none request=none
  // CHECK-NEXT: loop: back logger=B request=none

  // 4. A generator's own block across co_yield: its consumer never sees it.
  {
    generator<int> g = numbers();
    with_context(logger, b) {
      while (g.next())
        say("main: consumer");
    }
    // CHECK-NEXT: gen: first logger=B request=none
    // CHECK-NEXT: main: consumer logger=B request=none
    // CHECK-NEXT: gen: in own block logger=gen request=none
    // CHECK-NEXT: main: consumer logger=B request=none
    // CHECK-NEXT: gen: last logger=B request=none
  }

  // 5. Detached: created in scopes that end, whose values die, before it
  // runs; resumed in B it sees B, never the ended values.
  {
    auto *gone = new Logger{"gone"};
    with_context(logger, *gone) with_context(request_id, 5 + 0) {
      t.emplace(worker("  detached: start"));
    }
    delete gone;
    with_context(logger, b) {
      t->start();
      // CHECK-NEXT: detached: start logger=B request=none
      lp.run();
      // CHECK-NEXT: loop: resuming logger=B request=none
      // CHECK-NEXT: detached: start logger=B request=none
      // CHECK-NEXT: own block, before logger=B request=99
      // CHECK: own block ended logger=B request=none
      // CHECK-NEXT: loop: back logger=B request=none
    }
    t.reset();
  }
  // And suspended while its scope ends: created and started in A, the
  // scope ends while it waits on the loop.
  {
    auto *gone = new Logger{"gone too"};
    with_context(logger, *gone) {
      t.emplace(worker("  ends while suspended"));
      t->start();
      // CHECK-NEXT: ends while suspended logger=gone too request=none
    }
    delete gone;
    with_context(logger, b) lp.run();
    // CHECK-NEXT: loop: resuming logger=B request=none
    // CHECK-NEXT: ends while suspended logger=B request=none
    // CHECK: loop: back logger=B request=none
    with_context(logger, b) lp.run();
    t.reset();
  }
  // CHECK: after: logger=none request=none
  say("after:");
}
