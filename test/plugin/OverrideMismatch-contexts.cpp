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

// Several bases (issue 18: every rule per capability): D::f inherits
// A::f's requirement of logger; B::f, also overridden, lacks it.
struct A {
  [[tacit::uses(logger)]] virtual void f();
  virtual ~A();
};
struct B {
  virtual void f(); // expected-note {{overridden declaration is here; add [[tacit::uses(logger)]] to it, or remove 'logger' from the override}}
  virtual ~B();
};
struct D : A, B {
  void f() override; // expected-error {{'f' requires the 'logger' context (it overrides 'f', declared [[tacit::uses(logger)]]) but also overrides 'f', which does not: a call through 'B' would reach it without the 'logger' context}}
};
// Both bases require it: fine.
struct B2 {
  [[tacit::uses(logger)]] virtual void f();
  virtual ~B2();
};
struct D2 : A, B2 {
  void f() override;
};

// [[tacit::without(logger)]] on a virtual is not inherited silently.
struct Quiet {
  [[tacit::without(logger)]] virtual void audit(); // expected-note {{'audit' is declared [[tacit::without(logger)]] here}}
  [[tacit::without(logger)]] virtual void flush();
  virtual ~Quiet();
};
struct Loud : Quiet {
  void audit() override; // expected-error {{'audit' overrides 'audit', declared [[tacit::without(logger)]], but does not say so: a caller of 'audit' expects the body to run with no 'logger' context; add [[tacit::without(logger)]] to 'audit'}}
  [[tacit::without(logger)]] void flush() override; // says so: fine
};
// The fix-its, checked as text:
// RUN: not %clangxx -std=c++20 -fsyntax-only %plugin %include -fdiagnostics-parseable-fixits %s 2>&1 | FileCheck %s --check-prefix=FIXIT
// FIXIT: fix-it:"{{.*}}OverrideMismatch-contexts.cpp":{[[@LINE-27]]:3-[[@LINE-27]]:3}:"{{\[\[}}tacit::uses(logger)]] "
// FIXIT: fix-it:"{{.*}}OverrideMismatch-contexts.cpp":{[[@LINE-6]]:3-[[@LINE-6]]:3}:"{{\[\[}}tacit::without(logger)]] "
