// FILE: test/plugin/CoroutineInScope.cpp
// DESCRIPTION: CoroutineInScope (plugin/core/CoroutineInScope.cpp). With the
//   coroutine lowering on (the default), co_await and co_yield inside a
//   with_alloc or without_alloc block are fine — in functions, templates,
//   lambdas and generic lambdas — and nothing is reported (prefix `on`).
//   With -fplugin-arg-tacit-no-coroutine-lowering each one is an error at
//   the keyword, with a note at the block (prefix `off`), also in a
//   template's pattern; co_return never is (the blocks end before the final
//   suspend), nor a suspension outside the blocks, nor one in a lambda
//   written inside a block.
// REQUIRES: plugin
// RUN: %clangxx -std=c++20 -fsyntax-only -ferror-limit=0 %plugin %include -Xclang -verify=on %s
// RUN: %clangxx -std=c++20 -fsyntax-only -ferror-limit=0 %plugin -fplugin-arg-tacit-no-coroutine-lowering %include -Xclang -verify=off %s
// on-no-diagnostics
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
    co_await std::suspend_always{}; // off-error {{'co_await' inside a with_alloc block of a coroutine that is not lowered (-fplugin-arg-tacit-no-coroutine-lowering): the coroutine would suspend with the block's allocator context still active, and the context would leak into whatever resumes on this thread; end the with_alloc block before 'co_await' [tacit-coroutine-in-scope]}}
    // off-note@#scope1 {{with_alloc block opened here}}
  }
}
task yields(tacit::arena &a) {
  with_alloc(a) { // #scope2
    if (true) {
      co_yield 1; // off-error {{'co_yield' inside a with_alloc block of a coroutine that is not lowered}}
      // off-note@#scope2 {{with_alloc block opened here}}
    }
  }
}
task returns(tacit::arena &a) {
  with_alloc(&a) {
    co_return; // fine: the block ends before the final suspend
  }
}
task heap_block() {
  without_alloc { // #scope4
    co_await std::suspend_always{}; // off-error {{'co_await' inside a without_alloc block of a coroutine that is not lowered}}
    // off-note@#scope4 {{without_alloc block opened here}}
  }
}
template <class T> task in_template(T &a) {
  with_alloc(a) { // #scope5
    co_await std::suspend_always{}; // off-error {{'co_await' inside a with_alloc block of a coroutine that is not lowered}}
    // off-note@#scope5 {{with_alloc block opened here}}
  }
}
template task in_template(tacit::arena &);
template <class T> task never_instantiated(T &a) {
  with_alloc(a) { // #scope6
    co_await std::suspend_always{}; // off-error {{'co_await' inside a with_alloc block of a coroutine that is not lowered}}
    // off-note@#scope6 {{with_alloc block opened here}}
  }
}
void lambdas(tacit::arena &a) {
  auto plain = [&a]() -> task {
    with_alloc(a) { // #scope7
      co_await std::suspend_always{}; // off-error {{'co_await' inside a with_alloc block of a coroutine that is not lowered}}
      // off-note@#scope7 {{with_alloc block opened here}}
    }
  };
  plain();
  auto generic = [](auto &r) -> task {
    with_alloc(r) { // #scope8
      co_yield 1; // off-error {{'co_yield' inside a with_alloc block of a coroutine that is not lowered}}
      // off-note@#scope8 {{with_alloc block opened here}}
    }
  };
  generic(a);
  // Never called, so never lowered (nor emitted): not reported either way
  // when the lowering is on.
  auto unused = [&a]() -> task {
    with_alloc(a) { // #scope9
      co_await std::suspend_always{}; // off-error {{'co_await' inside a with_alloc block of a coroutine that is not lowered}}
      // off-note@#scope9 {{with_alloc block opened here}}
    }
  };
  (void)unused;
}

// Fine: the blocks end before each suspension point.
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

// A with_context block (a user context) across a suspension: the same.
struct Logger {};
TACIT_CONTEXT(logger, Logger);
task awaits_in_context(Logger &l) {
  with_context(logger, l) { // #ctx_scope
    co_await std::suspend_always{}; // off-error {{'co_await' inside a with_context(logger, ...) block of a coroutine that is not lowered (-fplugin-arg-tacit-no-coroutine-lowering): the coroutine would suspend with the block's 'logger' context still in effect, and it would leak into whatever resumes on this thread; end the with_context block before 'co_await' [tacit-coroutine-in-scope]}}
    // off-note@#ctx_scope {{with_context(logger, ...) block opened here}}
  }
  co_await std::suspend_always{}; // outside the block: fine
}
