// FILE: test/plugin/PointerLosesCapability-contexts.cpp
// DESCRIPTION: PointerLosesCapability
//   (plugin/core/PointerLosesCapability.cpp) for contexts declared with
//   TACIT_CONTEXT (issue 18): a [[tacit::uses(logger)]] function or lambda
//   — or one that needs the context because it calls tacit::get<logger>()
//   through an override — turned into a function pointer, a member function
//   pointer or a std::function warns, naming the capability; handed to std
//   code that calls it at once inside a with_context block it does not.
//   A function needing both alloc and a context is reported for alloc.
// REQUIRES: plugin
// RUN: %clangxx -std=c++20 -Wno-c++23-lambda-attributes -fsyntax-only %plugin %include -Xclang -verify %s
// RUN: not %clangxx -std=c++20 -Wno-c++23-lambda-attributes -fsyntax-only %plugin -fplugin-arg-tacit-werror %include %s 2>&1 | FileCheck %s --check-prefix=WERROR
// RUN: %clangxx -std=c++20 -Wno-c++23-lambda-attributes -fsyntax-only %plugin -fplugin-arg-tacit-no-pointer-loses-capability %include -Xclang -verify=off %s
// off-no-diagnostics
#include <tacit/alloc.hpp>
#include <algorithm>
#include <functional>
#include <vector>

struct Logger {
  void info(const char *);
};
TACIT_CONTEXT(logger, Logger);

[[tacit::uses(logger)]] void handle(int); // #handle
struct Handler {
  [[tacit::uses(logger)]] void run(int); // #run
};
[[tacit::uses(alloc, logger)]] void both(int); // #both
void plain(int);

void conversions() {
  void (*fp)(int) = handle; // expected-warning {{converting 'handle' to 'void (*)(int)' loses its [[tacit::uses(logger)]] requirement: calls through 'void (*)(int)' are not checked for the 'logger' context}}
  // expected-note@#handle {{'handle' is declared [[tacit::uses(logger)]] here}}
  // WERROR: :[[@LINE-2]]:21: error: converting 'handle' to 'void (*)(int)' loses its {{\[\[}}tacit::uses(logger)]] requirement
  auto ap = &handle; // expected-warning {{converting 'handle' to 'void (*)(int)' loses its [[tacit::uses(logger)]] requirement}}
  // expected-note@#handle {{declared}}
  void (Handler::*mp)(int) = &Handler::run; // expected-warning {{converting 'run' to 'void (Handler::*)(int)' loses its [[tacit::uses(logger)]] requirement}}
  // expected-note@#run {{'run' is declared [[tacit::uses(logger)]] here}}
  std::function<void(int)> f = handle; // expected-warning {{converting 'handle' to 'std::function<void (int)>' loses}}
  // expected-note@#handle {{declared}}
  void (*bp)(int) = both; // expected-warning {{converting 'both' to 'void (*)(int)' loses its [[tacit::uses(alloc)]] requirement: calls through 'void (*)(int)' are not checked for an allocator context}}
  // expected-note@#both {{'both' is declared [[tacit::uses(alloc)]] here}}
  auto lambda = [] [[tacit::uses(logger)]] (int) {}; // #lambda
  void (*lp)(int) = lambda; // expected-warning {{converting a [[tacit::uses(logger)]] lambda to 'void (*)(int)' loses its [[tacit::uses(logger)]] requirement}}
  // expected-note@#lambda {{'operator()' is declared [[tacit::uses(logger)]] here}}
  void (*ok)(int) = plain; // no requirement: fine
  (void)fp, (void)ap, (void)mp, (void)bp, (void)lp, (void)ok;
}

void into_std(std::vector<int> &v) {
  Logger mine;
  with_context(logger, mine) {
    // Called at once, inside the context: nothing is lost.
    std::invoke(handle, 1);
    auto lam = [] [[tacit::uses(logger)]] (int x) { handle(x); };
    std::for_each(v.begin(), v.end(), lam);
  }
  // Outside it, std code calls it unchecked.
  std::for_each(v.begin(), v.end(), handle); // expected-warning {{passing 'handle' to 'std::for_each' loses its [[tacit::uses(logger)]] requirement: the calls 'std::for_each' makes (in a system header) are not checked for the 'logger' context}}
  // expected-note@#handle {{declared}}
}
