// FILE: test/plugin/CoroutineInScope.cpp
// DESCRIPTION: CoroutineInScope (plugin/core/CoroutineInScope.cpp): co_await,
//   co_yield and co_return inside a with_alloc or without_alloc block are
//   errors; outside the blocks (and in a lambda written inside one) they are
//   fine.
// REQUIRES: plugin
// RUN: %clangxx -std=c++20 -fsyntax-only -ferror-limit=0 %plugin %include -Xclang -verify %s
#include <tacit/alloc.hpp>
#include <coroutine>

struct task {
  struct promise_type {
    task get_return_object() { return {}; }
    std::suspend_never initial_suspend() { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    std::suspend_always yield_value(int) { return {}; }
    void unhandled_exception() {}
  };
};

task awaits(tacit::arena &a) {
  with_alloc(a) { // #scope1
    co_await std::suspend_always{}; // expected-error {{'co_await' inside a with_alloc block: the coroutine would suspend with the block's allocator context still active, and the context would leak into whatever resumes on this thread; end the with_alloc block before 'co_await'}}
    // expected-note@#scope1 {{with_alloc block opened here}}
  }
}
task yields(tacit::arena &a) {
  with_alloc(a) { // #scope2
    if (true) {
      co_yield 1; // expected-error {{'co_yield' inside a with_alloc block}}
      // expected-note@#scope2 {{with_alloc block opened here}}
    }
  }
}
task returns(tacit::arena &a) {
  with_alloc(&a) { // #scope3
    co_return; // expected-error {{'co_return' inside a with_alloc block}}
    // expected-note@#scope3 {{with_alloc block opened here}}
  }
}
task heap_block() {
  without_alloc { // #scope4
    co_await std::suspend_always{}; // expected-error {{'co_await' inside a without_alloc block}}
    // expected-note@#scope4 {{without_alloc block opened here}}
  }
}
template <class T> task in_template(T &a) {
  with_alloc(a) { // #scope5
    co_await std::suspend_always{}; // expected-error {{'co_await' inside a with_alloc block}}
    // expected-note@#scope5 {{with_alloc block opened here}}
  }
}
template task in_template(tacit::arena &);

// Fine: the scope is closed before each suspension point.
task fine(tacit::arena &a) {
  with_alloc(a) { int x = 1; (void)x; }
  co_await std::suspend_always{};
  with_alloc(a) { int y = 2; (void)y; }
  co_yield 3;
  co_return;
}
// Fine: a lambda written inside a block is a function of its own.
void lambda_inside(tacit::arena &a) {
  with_alloc(a) {
    auto coro = []() -> task { co_await std::suspend_always{}; };
    (void)coro;
  }
}
