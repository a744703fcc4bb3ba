// FILE: test/plugin/CoroutineInScope-no-runtime.cpp
// DESCRIPTION: CoroutineInScope when <tacit/alloc.hpp> is older than the
//   plugin (Inputs/header-without-coroutines: scopes, but no
//   tacit::detail::coro_context): the plugin cannot lower coroutines, so a
//   co_await inside a block is an error that says so.
// REQUIRES: plugin
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin -I%S/Inputs/header-without-coroutines -Xclang -verify %s
#include <tacit/alloc.hpp>
#include <coroutine>

struct task {
  struct promise_type {
    task get_return_object() { return {}; }
    std::suspend_never initial_suspend() { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};

task awaits(std::pmr::memory_resource &r) {
  with_alloc(r) { // #scope
    co_await std::suspend_always{}; // expected-error {{'co_await' inside a with_alloc block of a coroutine that is not lowered (<tacit/alloc.hpp> does not declare tacit::detail::coro_context and suspend_guard: a header older than the plugin): the coroutine would suspend}}
    // expected-note@#scope {{with_alloc block opened here}}
  }
}
