// FILE: test/plugin/MissingCapability.cpp
// DESCRIPTION: MissingCapability (plugin/core/MissingCapability.cpp): every
//   call form to a [[tacit::uses(alloc)]] function, outside any allocator
//   context (errors) and inside one (no diagnostic); then the fix-its.
// REQUIRES: plugin
// RUN: %clangxx -std=c++20 -Wno-c++23-lambda-attributes -fsyntax-only -ferror-limit=0 %plugin %include -Xclang -verify %s
// RUN: not %clangxx -std=c++20 -Wno-c++23-lambda-attributes -fsyntax-only -ferror-limit=0 %plugin %include -fdiagnostics-parseable-fixits %s 2>&1 | FileCheck %s --check-prefix=FIX
// RUN: not %clangxx -std=c++20 -Wno-c++23-lambda-attributes -fsyntax-only -ferror-limit=0 %plugin %include -fdiagnostics-parseable-fixits %s 2>&1 | FileCheck %s --check-prefix=NOFIX
#include <tacit/alloc.hpp>
#include <memory>
#include <vector>

[[tacit::uses(alloc)]] int parse(int); // #parse

struct Widget {
  [[tacit::uses(alloc)]] Widget(); // #widget
  [[tacit::uses(alloc)]] explicit Widget(int); // #widget_int
  [[tacit::uses(alloc)]] void grow(); // #grow
  [[tacit::uses(alloc)]] Widget operator+(const Widget &) const; // #plus
  void cheap() const;
  static Widget *free_list();
};

struct Holder { Widget w; }; // an implicit constructor that needs a context

struct Base {
  [[tacit::uses(alloc)]] virtual void run(); // #run
  virtual ~Base();
};
struct Derived : Base { void run() override; }; // inherits the requirement

template <class T> [[tacit::uses(alloc)]] T make() { return T(); } // #make
template <class T> void build() { T t; } // #build
#define PARSE_TWICE(x) (parse(x) + parse(x))

// --- every call form, outside any context: one error each --------------
void plain_call() { // #plain_call
  parse(1); // expected-error {{call to 'parse' requires an allocator context; call it inside with_alloc or from a function declared [[tacit::uses(alloc)]]}}
  // expected-note@#parse {{'parse' is declared [[tacit::uses(alloc)]] here}}
  // expected-note@#plain_call {{add [[tacit::uses(alloc)]] to 'plain_call' to require the context from its callers}}
  // expected-note@-3 {{or open an allocator context around the call}}
}
void member_call(Widget &w) { // #member_call
  w.grow(); // expected-error {{call to 'grow' requires an allocator context}}
  // expected-note@#grow {{'grow' is declared [[tacit::uses(alloc)]] here}}
  // expected-note@#member_call {{add [[tacit::uses(alloc)]] to 'member_call'}}
  // expected-note@-3 {{or open an allocator context around the call}}
  w.cheap(); // not annotated: fine anywhere
}
void operator_call(const Widget &a) { // #operator_call
  (void)(a + a); // expected-error {{call to 'operator+' requires an allocator context}}
  // expected-note@#plus {{'operator+' is declared [[tacit::uses(alloc)]] here}}
  // expected-note@#operator_call {{add [[tacit::uses(alloc)]] to 'operator_call'}}
  // expected-note@-3 {{or open an allocator context around the call}}
}
void constructors() { // #constructors
  Widget a; // expected-error {{construction of 'Widget' requires an allocator context}}
  // expected-note@#widget {{'Widget' is declared [[tacit::uses(alloc)]] here}}
  // expected-note@#constructors 4 {{add [[tacit::uses(alloc)]] to 'constructors'}}
  Widget b(2); // expected-error {{construction of 'Widget' requires an allocator context}}
  // expected-note@#widget_int {{'Widget' is declared [[tacit::uses(alloc)]] here}}
  std::unique_ptr<Widget> c(new Widget(3)); // expected-error {{construction of 'Widget' requires an allocator context}}
  // expected-note@#widget_int {{'Widget' is declared [[tacit::uses(alloc)]] here}}
  Holder h; // expected-error {{construction of 'Holder' requires an allocator context}}
  // expected-note@#widget {{the implicit constructor of 'Holder' requires an allocator context because it calls 'Widget', declared [[tacit::uses(alloc)]] here}}
}
void temporaries() { // #temporaries
  Widget().cheap(); // expected-error {{construction of 'Widget' requires an allocator context}}
  // expected-note@#widget {{'Widget' is declared [[tacit::uses(alloc)]] here}}
  // expected-note@#temporaries {{add [[tacit::uses(alloc)]] to 'temporaries'}}
  // expected-note@-3 {{or open an allocator context around the call}}
}
void templates() { // #templates
  make<int>(); // expected-error {{call to 'make<int>' requires an allocator context}}
  // expected-note@#make {{'make<int>' is declared [[tacit::uses(alloc)]] here}}
  // expected-note@#templates {{add [[tacit::uses(alloc)]] to 'templates'}}
  // expected-note@-3 {{or open an allocator context around the call}}
  build<Widget>(); // the error is in build<Widget>, at its construction
}
// expected-error@#build {{construction of 'Widget' requires an allocator context}}
// expected-note@#widget {{'Widget' is declared [[tacit::uses(alloc)]] here}}
// expected-note@#build {{add [[tacit::uses(alloc)]] to 'build<Widget>'}}
void virtual_calls(Base &b, Derived &d) { // #virtual_calls
  b.run(); // expected-error {{call to 'run' requires an allocator context}}
  // expected-note@#run {{'run' is declared [[tacit::uses(alloc)]] here}}
  // expected-note@#virtual_calls 2 {{add [[tacit::uses(alloc)]] to 'virtual_calls'}}
  // expected-note@-3 {{or open an allocator context around the call}}
  d.run(); // expected-error {{call to 'run' requires an allocator context}}
  // expected-note@#run {{'run' requires an allocator context because it overrides 'run', declared [[tacit::uses(alloc)]] here}}
  // expected-note@-2 {{or open an allocator context around the call}}
}
void in_a_macro() { // #in_a_macro
  int n = PARSE_TWICE(1); // expected-error {{call to 'parse' requires an allocator context}}
  // expected-note@#parse {{'parse' is declared [[tacit::uses(alloc)]] here}}
  // expected-note@#in_a_macro {{add [[tacit::uses(alloc)]] to 'in_a_macro'}}
  (void)n;
}
Widget global_widget; // expected-error {{construction of 'Widget' requires an allocator context}}
// expected-note@#widget {{'Widget' is declared [[tacit::uses(alloc)]] here}}

// --- the corners: without_alloc, without(alloc), lambdas ---------------
void heap_block_inside_context(tacit::arena &a) {
  with_alloc(a) {
    without_alloc {
      parse(1); // expected-error {{call to 'parse' requires an allocator context; call it inside with_alloc or from a function declared [[tacit::uses(alloc)]]: a without_alloc block runs on the global heap, not in an allocator context}}
      // expected-note@#parse {{'parse' is declared [[tacit::uses(alloc)]] here}}
      // No fix-it: tacit::current() is the global heap here, so wrapping the
      // call in with_alloc(tacit::current()) would silence the error and
      // change nothing.
      // NOFIX-NOT: fix-it:"{{.*}}MissingCapability.cpp":{[[@LINE-5]]:
    }
  }
}
[[tacit::without(alloc)]] void on_the_heap() {
  parse(1); // expected-error {{a [[tacit::without(alloc)]] function runs on the global heap, not in an allocator context}}
  // expected-note@#parse {{'parse' is declared [[tacit::uses(alloc)]] here}}
  // (no fix-it either: the function discards any context by design)
  // NOFIX-NOT: fix-it:"{{.*}}MissingCapability.cpp":{[[@LINE-3]]:
}
void lambda_in_context(tacit::arena &a) {
  with_alloc(a) {
    auto f = [] { return parse(1); }; // expected-error {{a lambda's body is a function of its own and does not inherit the enclosing with_alloc}}
    // expected-note@#parse {{'parse' is declared [[tacit::uses(alloc)]] here}}
    // expected-note@-2 {{add [[tacit::uses(alloc)]] to the lambda}}
    // expected-note@-3 {{or open an allocator context around the call}}
    auto g = [] [[tacit::uses(alloc)]] { return parse(1); }; // fine
    g(); // fine: inside with_alloc
    (void)f;
  }
}

// --- inside a context: no diagnostics ----------------------------------
[[tacit::uses(alloc)]] void annotated(Widget &w, Base &b) {
  parse(1);
  w.grow();
  (void)(w + w);
  Widget x, y(1);
  std::unique_ptr<Widget> p(new Widget(3));
  Holder h;
  make<int>();
  b.run();
  auto l = [] [[tacit::uses(alloc)]] () { return parse(2); };
  l();
}
void Derived::run() { parse(1); } // the inherited requirement makes a context
void scoped(tacit::arena &a, Widget &w, Base &b, Derived &d) {
  with_alloc(a) {
    parse(1);
    w.grow();
    (void)(w + w);
    Widget x, y(1);
    std::unique_ptr<Widget> p(new Widget(3));
    Holder h;
    make<int>();
    b.run();
    d.run();
    int n = PARSE_TWICE(2);
    (void)n;
    with_alloc(&a) { parse(3); } // nested
    if (n) { parse(4); }
  }
  with_alloc(a) parse(5); // with_alloc of a single statement
}
// In unevaluated operands nothing is called.
void unevaluated() {
  static_assert(sizeof(parse(1)) == sizeof(int));
  using T = decltype(parse(1));
  (void)noexcept(parse(1));
  T t = 0;
  (void)t;
}

// --- fix-its -----------------------------------------------------------
void fixme() { // expected-note {{add [[tacit::uses(alloc)]] to 'fixme'}}
  parse(7); // expected-error {{call to 'parse'}} expected-note {{or open}} expected-note@#parse {{declared}}
}
// FIX: fix-it:"{{.*}}MissingCapability.cpp":{[[@LINE-3]]:1-[[@LINE-3]]:1}:"{{\[\[}}tacit::uses(alloc)]] "
// FIX: fix-it:"{{.*}}MissingCapability.cpp":{[[@LINE-3]]:3-[[@LINE-3]]:3}:"with_alloc(tacit::current()) { "
// FIX: fix-it:"{{.*}}MissingCapability.cpp":{[[@LINE-4]]:12-[[@LINE-4]]:12}:" }"
struct Fixer {
  void method(); // expected-note {{add [[tacit::uses(alloc)]] to 'method'}}
};
void Fixer::method() { parse(8); } // the attribute goes on the first declaration
// expected-error@-1 {{call to 'parse'}} expected-note@-1 {{or open}} expected-note@#parse {{declared}}
// FIX: fix-it:"{{.*}}MissingCapability.cpp":{[[@LINE-4]]:3-[[@LINE-4]]:3}:"{{\[\[}}tacit::uses(alloc)]] "
void fix_lambda() {
  auto f = [&](int x) { return parse(x); }; // expected-error {{call to 'parse'}} expected-note {{or open}} expected-note@#parse {{declared}} expected-note {{to the lambda}}
  (void)f;
}
// FIX: fix-it:"{{.*}}MissingCapability.cpp":{[[@LINE-3]]:15-[[@LINE-3]]:15}:" {{\[\[}}tacit::uses(alloc)]]"
