// FILE: test/plugin/PointerLosesCapability.cpp
// DESCRIPTION: PointerLosesCapability
//   (plugin/core/PointerLosesCapability.cpp): turning a
//   [[tacit::uses(alloc)]] function or lambda into a function pointer, a
//   member function pointer or a std::function warns; calling it does not.
//   Under -fplugin-arg-tacit-werror the warning is an error.
// REQUIRES: plugin
// RUN: %clangxx -std=c++20 -Wno-c++23-lambda-attributes -fsyntax-only %plugin %include -Xclang -verify %s
// RUN: not %clangxx -std=c++20 -Wno-c++23-lambda-attributes -fsyntax-only %plugin -fplugin-arg-tacit-werror %include %s 2>&1 | FileCheck %s --check-prefix=WERROR
#include <tacit/alloc.hpp>
#include <algorithm>
#include <functional>
#include <future>
#include <vector>

[[tacit::uses(alloc)]] int parse(int); // #parse
struct Parser {
  [[tacit::uses(alloc)]] int run(int); // #run
};
int plain(int);
template <class F> void call_later(F &&f);
void take_pointer(int (*)(int));

void conversions() {
  int (*fp)(int) = parse; // expected-warning {{converting 'parse' to 'int (*)(int)' loses its [[tacit::uses(alloc)]] requirement: calls through 'int (*)(int)' are not checked for an allocator context}}
  // expected-note@#parse {{'parse' is declared [[tacit::uses(alloc)]] here}}
  // WERROR: :[[@LINE-2]]:20: error: converting 'parse' to 'int (*)(int)' loses
  auto ap = &parse; // expected-warning {{converting 'parse' to 'int (*)(int)' loses}}
  // expected-note@#parse {{declared}}
  int (Parser::*mp)(int) = &Parser::run; // expected-warning {{converting 'run' to 'int (Parser::*)(int)' loses}}
  // expected-note@#run {{declared}}
  std::function<int(int)> fn = parse; // expected-warning {{converting 'parse' to 'std::function<int (int)>' loses}}
  // expected-note@#parse {{declared}}
  take_pointer(parse); // expected-warning {{converting 'parse' to 'int (*)(int)' loses}}
  // expected-note@#parse {{declared}}
  call_later(parse); // expected-warning {{converting 'parse' to 'int (&)(int)' loses}}
  // expected-note@#parse {{declared}}

  auto lam = [] [[tacit::uses(alloc)]] (int x) { return parse(x); }; // #lam
  std::function<int(int)> fl = lam; // expected-warning {{converting a [[tacit::uses(alloc)]] lambda to 'std::function<int (int)>' loses}}
  // expected-note@#lam {{'operator()' is declared [[tacit::uses(alloc)]] here}}
  int (*lp)(int) = lam; // expected-warning {{converting a [[tacit::uses(alloc)]] lambda to 'int (*)(int)' loses}}
  // expected-note@#lam {{declared}}
  (void)fp; (void)ap; (void)mp; (void)fn; (void)fl; (void)lp;
}

// A reference to a function calls it unchecked, like a pointer.
void function_reference() {
  int (&r)(int) = parse; // expected-warning {{converting 'parse' to 'int (&)(int)' loses its [[tacit::uses(alloc)]] requirement}}
  // expected-note@#parse {{declared}}
  (void)r;
}

// std code handed a uses(alloc) function or lambda: what keeps it for later
// (std::async, std::ref, std::function's operator=) loses the requirement
// even in a context; what calls it before returning (std::invoke,
// std::for_each, std::sort) runs in the caller's context, so it loses
// nothing there — and outside a context it is reported (and MissingCapability
// sees the std body calling it).
[[tacit::uses(alloc)]] void into_std_in_context(std::vector<int> &v) {
  auto lam = [] [[tacit::uses(alloc)]] (int x) { return parse(x); }; // #lam2
  (void)std::invoke(lam, 1); // synchronous, in context: fine
  (void)std::invoke(parse, 1);
  std::for_each(v.begin(), v.end(), lam);
  std::sort(v.begin(), v.end(), [] [[tacit::uses(alloc)]] (int a, int b) { return parse(a) < parse(b); });
  auto f = std::async(lam, 1); // expected-warning {{passing a [[tacit::uses(alloc)]] lambda to 'std::async' loses its [[tacit::uses(alloc)]] requirement: the calls 'std::async' makes (in a system header) are not checked}}
  // expected-note@#lam2 {{declared}}
  auto ref = std::ref(lam); // expected-warning {{passing a [[tacit::uses(alloc)]] lambda to 'std::ref' loses}}
  // expected-note@#lam2 {{declared}}
  std::function<int(int)> fn;
  fn = lam; // expected-warning {{passing a [[tacit::uses(alloc)]] lambda to 'std::function<int (int)>::operator=' loses}}
  // expected-note@#lam2 {{declared}}
  auto moved = std::move(lam); // std::move only renames: fine
  (void)ref; (void)moved;
}
void into_std_outside(std::vector<int> &v) { // #outside
  auto lam = [] [[tacit::uses(alloc)]] (int x) { return parse(x); }; // #lam3
  // expected-warning@+2 {{passing a [[tacit::uses(alloc)]] lambda to 'std::for_each' loses}}
  // expected-error@+1 {{call to 'for_each<}}
  std::for_each(v.begin(), v.end(), lam); // #outside_call
  // expected-note@#lam3 2 {{declared}}
  // expected-note@#outside {{add [[tacit::uses(alloc)]] to 'into_std_outside'}}
  // expected-note@#outside_call {{or open an allocator context around the call}}
  // expected-note@* {{(in a system header) calls 'operator()', which requires an allocator context}}
}

// Fine: calls, plain functions, plain lambdas, unevaluated uses.
[[tacit::uses(alloc)]] void fine(Parser &p) {
  parse(1);
  p.run(2);
  (&parse)(3); // called on the spot: nothing escapes
  int (*q)(int) = plain;
  std::function<int(int)> g = [](int x) { return x; };
  using T = decltype(parse);
  static_assert(sizeof(&parse) == sizeof(void (*)()));
  auto lam = [] [[tacit::uses(alloc)]] (int x) { return parse(x); };
  lam(4);
  auto copy = lam; // copying the closure keeps its requirement
  copy(5);
  (void)q; (void)g;
}
