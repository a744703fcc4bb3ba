// FILE: test/plugin/CoroutineLowering-lower.cpp
// DESCRIPTION: tools/tacit-lower shows what the coroutine lowering did, as
//   comments (the lowering cannot be spelled in source): the coro_context
//   variable and the try after the body's `{`, the initial suspend's hooks,
//   the hooks at each co_await / co_yield (the suspend guard where
//   await_suspend may throw, "in some instantiations" where only some
//   instantiations need it), and return_void and the handler before the
//   `}` — for a function, a lambda, a generic lambda and a template. A lambda
//   never called is not lowered, so it gets nothing. With
//   --arg=no-coroutine-lowering, nothing. The output compiles without the
//   plugin, and with it runs as the original does.
// REQUIRES: tacit-lower, plugin
// RUN: %tacit_lower %s -- -std=c++20 %include > %t.lowered.cpp
// RUN: FileCheck %s --check-prefix=LOWER < %t.lowered.cpp
// RUN: %tacit_lower --arg=no-coroutine-lowering --arg=no-coroutine-in-scope %s -- -std=c++20 %include | FileCheck %s --check-prefix=OFF
// RUN: %clangxx -std=c++20 -fsyntax-only %include %t.lowered.cpp
// RUN: %tacitxx -std=c++20 -fplugin-arg-tacit-werror %t.lowered.cpp -o %t.exe
// RUN: %t.exe | FileCheck %s --check-prefix=EXEC
#include <tacit/alloc.hpp>
#include <coroutine>
#include <cstdio>

struct task {
  struct promise_type {
    task get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};
struct may_throw { // await_suspend is not noexcept: a guard
  bool await_ready() noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) {}
  void await_resume() noexcept {}
};
template <bool NoThrow> struct maybe {
  bool await_ready() noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) noexcept(NoThrow) {}
  void await_resume() noexcept {}
};

tacit::arena a;
static const char *where() {
  return &tacit::current() == &a ? "arena" : "heap";
}

task function() {
  with_alloc(a) {
    co_await may_throw{};
    std::printf("function: %s\n", where());
  }
}
// LOWER: {{^}}task function() { /*tacit: ::tacit::detail::coro_context __tacit_coro; try { co_await promise.initial_suspend(): await_ready() || __tacit_coro.suspending(); (__tacit_coro.initial_resumed(), awaiter).await_resume();*/
// LOWER-NEXT: {{^}}  with_alloc(a) {
// LOWER-NEXT: {{^}}    co_await /*tacit: await_ready() || __tacit_coro.suspending(); (::tacit::detail::suspend_guard(), await_suspend(h)); (__tacit_coro.resumed(), awaiter).await_resume()*/ may_throw{};
// LOWER-NEXT: {{^}}    std::printf
// LOWER-NEXT: {{^}}  }
// LOWER-NEXT: {{^}}/*tacit: promise.return_void(); } catch (...) { if (!__tacit_coro.started()) throw; promise.unhandled_exception(); }*/}
// OFF: {{^}}task function() {{{$}}
// OFF-NOT: {{^[^/]*/\*tacit:}}

template <bool NoThrow> task templ() {
  co_await maybe<NoThrow>{};
  std::printf("templ: %s\n", where());
}
// LOWER: {{^}}template <bool NoThrow> task templ() { /*tacit: ::tacit::detail::coro_context __tacit_coro; try {
// LOWER-NEXT: {{^}}  co_await /*tacit: await_ready() || __tacit_coro.suspending(); (::tacit::detail::suspend_guard(), await_suspend(h)) in some instantiations; (__tacit_coro.resumed(), awaiter).await_resume()*/ maybe<NoThrow>{};

int main() {
  auto lambda = []() -> task {
    co_await std::suspend_never{};
    std::printf("lambda: %s\n", where());
  };
  // LOWER: {{^}}  auto lambda = []() -> task { /*tacit: ::tacit::detail::coro_context __tacit_coro; try {
  // LOWER-NEXT: {{^}}    co_await /*tacit: await_ready() || __tacit_coro.suspending(); (__tacit_coro.resumed(), awaiter).await_resume()*/ std::suspend_never{};
  auto generic = [](auto x) -> task {
    co_await std::suspend_never{};
    std::printf("generic(%d): %s\n", int(x), where());
  };
  // LOWER: {{^}}  auto generic = [](auto x) -> task { /*tacit: ::tacit::detail::coro_context __tacit_coro; try {
  // LOWER-NEXT: {{^}}    co_await /*tacit: await_ready() || __tacit_coro.suspending(); (__tacit_coro.resumed(), awaiter).await_resume()*/ std::suspend_never{};
  auto unused = []() -> task { co_await std::suspend_never{}; };
  (void)unused;
  // LOWER: {{^}}  auto unused = []() -> task { co_await std::suspend_never{}; };
  with_alloc(a) {
    function();
    templ<true>();
    templ<false>();
    lambda();
    generic(1);
    generic(2.0);
  }
  // EXEC: function: arena
  // EXEC-NEXT: templ: arena
  // EXEC-NEXT: templ: arena
  // EXEC-NEXT: lambda: arena
  // EXEC-NEXT: generic(1): arena
  // EXEC-NEXT: generic(2): arena
}
