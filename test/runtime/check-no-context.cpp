// Checked mode, `no context`: a [[tacit::uses(alloc)]] function entered with
// no scope open (reached through a function pointer, std::function, or code
// built without the plugin) reports, naming the function and where it is.
// The plugin inserts the check; here it is written by hand, as the plugin
// writes it, so this test needs no plugin. Checking off, it reports nothing.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t
// RUN: env TACIT_CHECK=1 %t 2>&1 | FileCheck %s
// RUN: env TACIT_CHECK=abort not --crash %t 2>&1 | FileCheck %s --check-prefix=ABORT
// RUN: env -u TACIT_CHECK %t 2>&1 | FileCheck %s --check-prefix=OFF
#include <tacit/alloc.hpp>

#include <cstdio>
#include <functional>
#include <type_traits>

static_assert(std::is_trivially_destructible_v<tacit::detail::uses_check>);
static_assert(!std::is_copy_constructible_v<tacit::detail::uses_check>);

__attribute__((noinline)) void parse(int n) {
  ::tacit::detail::uses_check __tacit_uses_alloc("parse", "parser.cpp", 12);
  std::printf("parse(%d)\n", n);
}

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  tacit::arena a;
  with_alloc(a) { parse(1); }  // a context: silent
  // CHECK: parse(1)
  // CHECK-NOT: tacit check
  // OFF: parse(1)
  // ABORT: parse(1)
  std::function<void(int)> f = parse;
  f(2);  // slipped past the compiler
  // CHECK-NEXT: tacit check: no context: parse (parser.cpp:12) entered with no with_alloc scope open
  // CHECK-NEXT: it is declared {{\[\[}}tacit::uses(alloc)]]: call it inside with_alloc(...); it was reached by a path the compiler could not check
  // CHECK-NEXT: parse(2)
  // ABORT-NEXT: tacit check: no context: parse (parser.cpp:12)
  // ABORT: tacit check: stopping (TACIT_CHECK=abort)
  // ABORT-NOT: parse(2)
  // OFF-NEXT: parse(2)
  with_alloc(a) {
    without_alloc { parse(3); }  // the global heap is no context
  }
  // CHECK-NEXT: tacit check: no context: parse (parser.cpp:12) entered with no with_alloc scope open
  // CHECK-NEXT: the innermost scope is the global heap
  // CHECK-NEXT: parse(3)
  with_alloc(a) {
    std::function<void()> g = tacit::bind([] { parse(4); });
    without_alloc { g(); }  // bind carries the context: silent
  }
  // CHECK-NEXT: parse(4)
  // CHECK-NOT: tacit check
  // OFF-NOT: tacit check
}
