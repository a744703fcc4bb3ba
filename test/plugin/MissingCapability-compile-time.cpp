// FILE: test/plugin/MissingCapability-compile-time.cpp
// DESCRIPTION: MissingCapability stays silent on code evaluated only by the
//   compiler — static_assert, template arguments, constexpr and constinit
//   initialisers, consteval calls, constant requires-clauses, if constexpr,
//   array bounds, typeid of a non-polymorphic operand, sizeof / decltype /
//   noexcept: nothing of it runs at run time, so nothing of it needs an
//   allocator context. The same call evaluated at run time is still an error
//   (the last functions), so the test can fail both ways.
// REQUIRES: plugin
// RUN: %clangxx -std=c++20 -fsyntax-only -ferror-limit=0 %plugin %include -Xclang -verify %s
#include <tacit/alloc.hpp>
#include <typeinfo>

[[tacit::uses(alloc)]] constexpr int cp(int x) { return x + 1; } // #cp
[[tacit::uses(alloc)]] consteval int ce(int x) { return x * 2; }
template <int N> struct Arr { int v[N]; };
struct Plain { int x; };
[[tacit::uses(alloc)]] constexpr Plain mk() { return {1}; }

static_assert(cp(1) == 2);
constexpr int k = cp(2);
constinit int ci = cp(3);
Arr<cp(1)> arr;
template <int N> requires(cp(N) > 0) int constrained() { return N; }
int use_constrained = constrained<1>();

int compile_time() {
  int a[cp(2)] = {};
  constexpr int local = cp(4);
  if constexpr (cp(0) == 1) {
  }
  int imm = ce(3); // an immediate invocation: evaluated by the compiler
  (void)typeid(mk()); // non-polymorphic: not evaluated
  (void)sizeof(cp(1));
  switch (imm) {
  case cp(5):
    break;
  }
  return a[0] + local + imm + Arr<cp(0)>{}.v[0];
}

// At run time the same call needs a context.
int run_time(int n) {
  return cp(n); // expected-error {{call to 'cp' requires an allocator context}}
  // expected-note@#cp {{declared}}
  // expected-note@-3 {{add [[tacit::uses(alloc)]] to 'run_time'}}
  // expected-note@-3 {{or open an allocator context around the call}}
}
