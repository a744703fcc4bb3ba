// FILE: test/plugin/WithoutAllocLowering-delegation.cpp
// DESCRIPTION: a [[tacit::without(alloc)]] constructor's delegating
//   initializer is lowered only when the constructor it calls is already
//   defined and does not delegate itself: Sema finds delegation cycles at the
//   end of the file and cannot see through the lowered initializer, so the
//   lowering keeps off anything that could be a cycle. Those keep the
//   initializer warning, and the cycle is still an error. (A delegation that
//   is lowered runs on the global heap: WithoutAllocLowering-initializers.cpp.)
// REQUIRES: plugin
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin %include -Xclang -verify %s
#include <tacit/alloc.hpp>
#include <string>

struct Cycle {
  [[tacit::without(alloc)]] Cycle(int) : Cycle(std::string(100, 'x')) {} // expected-note {{'Cycle' is declared [[tacit::without(alloc)]] here}} expected-warning {{the initializer of 'Cycle' runs before the body of [[tacit::without(alloc)]] constructor 'Cycle'}} expected-note {{it delegates to}}
  Cycle(std::string) : Cycle(1) {} // expected-error {{constructor for 'Cycle' creates a delegation cycle}} expected-note {{which delegates to}}
};

struct Later {
  [[tacit::without(alloc)]] Later(int); // expected-note {{'Later' is declared [[tacit::without(alloc)]] here}}
  Later(double);
  Later(char);
};
// The target is defined further down: not lowered.
Later::Later(int) : Later(std::string(100, 'x').size() * 1.0) {} // expected-warning {{the initializer of 'Later' runs before the body}}
Later::Later(double) : Later('c') {}
Later::Later(char) {}

// Defined first, not delegating: lowered, so nothing to say.
struct Known {
  Known(double) {}
  [[tacit::without(alloc)]] Known(int) : Known(std::string(100, 'x').size() * 1.0) {}
};
