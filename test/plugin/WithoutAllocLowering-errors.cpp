// FILE: test/plugin/WithoutAllocLowering-errors.cpp
// DESCRIPTION: WithoutAllocLowering's errors: what cannot be lowered
//   (coroutines, constexpr functions, constructors with a function-try-block,
//   naked functions); a defaulted constructor is accepted.
// REQUIRES: plugin
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin %include -Xclang -verify %s
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

[[tacit::without(alloc)]] task coro() { co_return; } // expected-error {{[[tacit::without(alloc)]] cannot be applied to a coroutine; put a without_alloc block around its body instead (the block follows the coroutine across its suspensions)}}
[[tacit::without(alloc)]] constexpr int twice(int x) { return 2 * x; } // expected-error {{[[tacit::without(alloc)]] cannot be applied to a constexpr function}}
struct S {
  [[tacit::without(alloc)]] S() try {} catch (...) {} // expected-error {{[[tacit::without(alloc)]] cannot be applied to a constructor or destructor with a function-try-block}}
};
S s;
// Fine: an ordinary function-try-block.
[[tacit::without(alloc)]] int guarded() try { return 1; } catch (...) { return 0; }
// A naked function has no frame to hold the scope object.
[[tacit::without(alloc)]] __attribute__((naked)) void bare() { __asm__("ret"); } // expected-error {{[[tacit::without(alloc)]] cannot be applied to a naked function: it has no stack frame to hold the heap scope; call a [[tacit::without(alloc)]] function from it}}
// A defaulted constructor has no body to lower: accepted (no error).
struct Df {
  [[tacit::without(alloc)]] Df() = default;
  int n = 0;
};
Df df;
