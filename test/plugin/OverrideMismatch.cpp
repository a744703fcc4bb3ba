// FILE: test/plugin/OverrideMismatch.cpp
// DESCRIPTION: OverrideMismatch (plugin/core/OverrideMismatch.cpp): an
//   override may not add [[tacit::uses(alloc)]] that its base lacks; it may
//   keep the base's, inherit it silently, or drop it.
// REQUIRES: plugin
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin %include -Xclang -verify %s
// RUN: not %clangxx -std=c++20 -fsyntax-only %plugin %include -fdiagnostics-parseable-fixits %s 2>&1 | FileCheck %s --check-prefix=FIX
#include <tacit/alloc.hpp>

struct Shape {
  virtual void draw(); // #draw
  virtual void layout(); // #layout
  [[tacit::uses(alloc)]] virtual void cache();
  [[tacit::uses(alloc)]] virtual void tessellate();
  virtual ~Shape();
};
// FIX: fix-it:"{{.*}}OverrideMismatch.cpp":{[[@LINE-6]]:3-[[@LINE-6]]:3}:"{{\[\[}}tacit::uses(alloc)]] "

struct Circle : Shape {
  [[tacit::uses(alloc)]] void draw() override; // expected-error {{'draw' is declared [[tacit::uses(alloc)]] but overrides 'draw', which is not: a call through 'Shape' would reach it without an allocator context}}
  // expected-note@#draw {{overridden declaration is here; add [[tacit::uses(alloc)]] to it, or remove the attribute from the override}}
  void cache() override;                       // fine: inherits the requirement
  [[tacit::uses(alloc)]] void tessellate() override; // fine: same requirement
};
struct Square : Shape {
  TACIT_USES_ALLOC void layout() override; // expected-error {{'layout' is declared [[tacit::uses(alloc)]] but overrides 'layout'}}
  // expected-note@#layout {{overridden declaration is here}}
  void draw() override; // fine: no requirement added
};
// Through a middle class that inherits the requirement: fine.
struct Ring : Circle {
  [[tacit::uses(alloc)]] void cache() override;
};
// In a class template, checked at each instantiation (reported once).
template <class T> struct Painter : Shape {
  [[tacit::uses(alloc)]] void draw() override; // expected-error {{'draw' is declared [[tacit::uses(alloc)]] but overrides 'draw'}}
  // expected-note@#draw {{overridden declaration is here}}
};
template struct Painter<int>;
template struct Painter<char>;
