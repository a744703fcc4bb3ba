// FILE: test/plugin/OverrideMismatch-contexts.cpp
// DESCRIPTION: OverrideMismatch (plugin/core/OverrideMismatch.cpp) for a
//   context declared with TACIT_CONTEXT: an override may not add a context
//   its overridden method does not require (issue 18).
// REQUIRES: plugin
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin %include -Xclang -verify %s
#include <tacit/alloc.hpp>

struct Logger {};
TACIT_CONTEXT(logger, Logger);
TACIT_CONTEXT(request_id, int);

struct Base {
  virtual void run(); // expected-note {{overridden declaration is here; add [[tacit::uses(logger)]] to it, or remove 'logger' from the override}}
  [[tacit::uses(logger)]] virtual void step();
  virtual ~Base();
};
struct Adds : Base {
  [[tacit::uses(logger)]] void run() override; // expected-error {{'run' is declared [[tacit::uses(logger)]] but overrides 'run', which is not: a call through 'Base' would reach it without the 'logger' context}}
  [[tacit::uses(logger)]] void step() override; // the same requirement: fine
};
