// FILE: test/plugin/WithoutAllocLowering-contexts.cpp
// DESCRIPTION: WithoutAllocLowering for contexts declared with TACIT_CONTEXT
//   (issue 18): [[tacit::without(logger)]] is lowered by the mechanism that
//   lowers without(alloc) — one object per capability at the top of the
//   body, a context_cleared<logger> for a user context — and
//   [[tacit::uses(logger)]] gets checked mode's entry check, a
//   uses_context_check<logger>. What cannot be lowered is an error naming
//   the capability. tacit-lower prints the same insertions as text, and the
//   printed program compiles with no plugin.
// REQUIRES: plugin, tacit-lower
// RUN: rm -rf %t && split-file --leading-lines %s %t
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin %include -Xclang -verify %t/errors.cpp
// RUN: %tacit_lower %t/lowered.cpp -- -std=c++20 %include > %t/out.cpp
// RUN: FileCheck %t/lowered.cpp --check-prefix=LOWER < %t/out.cpp
// RUN: %clangxx -std=c++20 -Werror %include %t/out.cpp %tacit_static -o %t/exe
// RUN: %t/exe | FileCheck %t/lowered.cpp --check-prefix=EXEC
// The plugin's own lowering, in the AST it hands to CodeGen:
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin %include -Xclang -ast-dump -Xclang -ast-dump-filter=audit %t/lowered.cpp | FileCheck %t/lowered.cpp --check-prefix=AST

//--- errors.cpp
#include <tacit/alloc.hpp>
#include <coroutine>

struct Logger {};
TACIT_CONTEXT(logger, Logger);

struct task {
  struct promise_type {
    task get_return_object() { return {}; }
    std::suspend_never initial_suspend() { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};

[[tacit::without(logger)]] task coro() { co_return; } // expected-error {{[[tacit::without(logger)]] cannot be applied to a coroutine; call a [[tacit::without(logger)]] function from it instead}}
[[tacit::without(logger)]] constexpr int twice(int x) { return 2 * x; } // expected-error {{[[tacit::without(logger)]] cannot be applied to a constexpr function: its lowered body declares a non-literal variable; call a [[tacit::without(logger)]] function from it instead}}
[[tacit::without(logger)]] __attribute__((naked)) void bare() { __asm__("ret"); } // expected-error {{[[tacit::without(logger)]] cannot be applied to a naked function}}
// With alloc first in the list, alloc's message.
[[tacit::without(alloc, logger)]] constexpr int thrice(int x) { return 3 * x; } // expected-error {{[[tacit::without(alloc)]] cannot be applied to a constexpr function}}
// Fine:
[[tacit::without(logger)]] int guarded() try { return 1; } catch (...) { return 0; }

//--- lowered.cpp
#include <tacit/alloc.hpp>
#include <cstdio>

struct Logger {
  const char *name;
};
namespace app {
TACIT_CONTEXT(logger, Logger);
}
using app::logger;

const char *who() {
  Logger *l = tacit::find<logger>();
  return l ? l->name : "none";
}

[[tacit::without(logger)]] void audit() { std::printf("audit: %s\n", who()); }
// LOWER: void audit() { ::tacit::detail::context_cleared<::app::logger> __tacit_without_logger("{{.*}}lowered.cpp", [[@LINE-1]]u); std::printf
// AST: FunctionDecl {{.*}} audit 'void ()'
// AST: VarDecl {{.*}} __tacit_without_logger 'tacit::detail::context_cleared<app::logger>

[[tacit::without(alloc, logger)]] void quiet() { std::printf("quiet: %s\n", who()); }
// LOWER: void quiet() { ::tacit::detail::heap_scope __tacit_without_alloc("{{.*}}lowered.cpp", [[@LINE-1]]u); ::tacit::detail::context_cleared<::app::logger> __tacit_without_logger("{{.*}}lowered.cpp", [[@LINE-1]]u); std::printf

[[tacit::uses(logger)]] void handle() { std::printf("handle: %s\n", tacit::get<logger>().name); }
// LOWER: void handle() { ::tacit::detail::uses_context_check<::app::logger> __tacit_uses_logger("handle", "{{.*}}lowered.cpp", [[@LINE-1]]u); std::printf

int main() {
  Logger l{"mine"};
  with_context(logger, l) {
    audit();
    quiet();
    handle();
  }
  // EXEC: audit: none
  // EXEC-NEXT: quiet: none
  // EXEC-NEXT: handle: mine
}
