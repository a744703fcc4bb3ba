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

// Several bases: D::f inherits A::f's requirement, but a call through B&
// would reach it unchecked.
struct A1 { [[tacit::uses(alloc)]] virtual void f(); virtual ~A1(); }; // #a1f
struct B1 { virtual void f(); virtual ~B1(); }; // #b1f
struct D1 : A1, B1 {
  void f() override; // expected-error {{'f' requires an allocator context (it overrides 'f', declared [[tacit::uses(alloc)]]) but also overrides 'f', which does not: a call through 'B1' would reach it without an allocator context}}
  // expected-note@#b1f {{overridden declaration is here; add [[tacit::uses(alloc)]] to it}}
};
struct D2 : A1, B1 {
  [[tacit::uses(alloc)]] void f() override; // expected-error {{'f' is declared [[tacit::uses(alloc)]] but overrides 'f', which is not: a call through 'B1'}}
  // expected-note@#b1f {{overridden declaration is here}}
};

// [[tacit::without(alloc)]] is not inherited silently: an override says so.
struct Log { [[tacit::without(alloc)]] virtual void write(); virtual ~Log(); }; // #write
struct FileLog : Log {
  void write() override; // expected-error {{'write' overrides 'write', declared [[tacit::without(alloc)]], but does not say so: a caller of 'write' expects the body to run on the global heap; add [[tacit::without(alloc)]] to 'write'}}
  // expected-note@#write {{'write' is declared [[tacit::without(alloc)]] here}}
};
struct QuietLog : Log {
  [[tacit::without(alloc)]] void write() override; // fine: spelled
};
// FIX: fix-it:"{{.*}}OverrideMismatch.cpp":{[[@LINE-6]]:3-[[@LINE-6]]:3}:"{{\[\[}}tacit::without(alloc)]] "
