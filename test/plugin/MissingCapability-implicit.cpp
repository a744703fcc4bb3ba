// FILE: test/plugin/MissingCapability-implicit.cpp
// DESCRIPTION: MissingCapability (plugin/core/MissingCapability.cpp, walked by
//   plugin/core/CheckWalker.cpp) on the calls C++ makes without the user
//   spelling them: brace and aggregate initialisation, default member
//   initializers, members built implicitly, inheriting constructors,
//   implicit assignment, rewritten comparisons, range-for, structured
//   bindings, class-specific operator new, coroutine awaiters, default
//   arguments (reported at the call that uses them), function-local statics
//   (initialised on the global heap), generic lambdas, and std templates
//   that call the user's functions on the user's behalf (reported at the
//   user's call, with a note naming the std function). Each is an error
//   outside any context and silent inside with_alloc. (The fix-it notes are
//   tested in MissingCapability.cpp; here unexpected notes are ignored, the
//   expected ones must still appear.)
// REQUIRES: plugin
// RUN: %clangxx -std=c++20 -Wno-c++23-lambda-attributes -fsyntax-only -ferror-limit=0 %plugin %include -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
#include <tacit/alloc.hpp>
#include <compare>
#include <coroutine>
#include <memory>
#include <tuple>
#include <vector>

[[tacit::uses(alloc)]] int parse(int); // #parse
struct W { [[tacit::uses(alloc)]] W(); }; // #w

// --- initialisation ------------------------------------------------------
struct Holder { W w; };
struct Agg { int a; W w; };
struct DefInit { int x = parse(0); }; // #definit
struct User {
  User() {} // expected-error {{construction of 'W' requires an allocator context}}
  // expected-note@-1 {{add [[tacit::uses(alloc)]] to 'User'}}
  // expected-note@#w {{'W' is declared [[tacit::uses(alloc)]] here}}
  // expected-note@#user_w {{through the implicit construction of 'w' here}}
  W w; // #user_w
};
struct UserDefault {
  UserDefault() {} // expected-error {{call to 'parse' requires an allocator context}}
  // expected-note@-1 {{add [[tacit::uses(alloc)]] to 'UserDefault'}}
  // expected-note@#parse {{declared}}
  // expected-note@#ud_x {{through the default member initializer of 'x' here}}
  int x = parse(1); // #ud_x
};
struct B { [[tacit::uses(alloc)]] B(int); }; // #b
struct Inh : B { using B::B; };
struct Assign { [[tacit::uses(alloc)]] Assign &operator=(const Assign &); }; // #assign
struct Outer { Assign a; };

void initialisation() {
  Holder h{}; // expected-error {{construction of 'W' requires an allocator context}}
  // expected-note@#w {{declared}}
  Agg g{1}; // expected-error {{construction of 'W' requires an allocator context}}
  // expected-note@#w {{declared}}
  Agg g2{1, {}}; // expected-error {{construction of 'W' requires an allocator context}}
  // expected-note@#w {{declared}}
  DefInit d; // expected-error {{construction of 'DefInit' requires an allocator context}}
  // expected-note@#parse {{the implicit constructor of 'DefInit' requires an allocator context because it calls 'parse'}}
  DefInit d2{}; // expected-error {{call to 'parse' requires an allocator context}}
  // expected-note@#parse {{declared}}
  // expected-note@#definit {{through the default member initializer of 'x' here}}
  Inh i(1); // expected-error {{construction of 'Inh' requires an allocator context}}
  // expected-note@#b {{the implicit constructor of 'Inh' requires an allocator context because it calls 'B'}}
  Outer x, y;
  x = y; // expected-error {{call to 'operator=' requires an allocator context}}
  // expected-note@#assign {{'operator=', written by the compiler, requires an allocator context because it calls 'operator='}}
  (void)h; (void)g; (void)g2; (void)d; (void)d2; (void)i;
}

// --- rewritten and implicit calls ----------------------------------------
struct Cmp {
  [[tacit::uses(alloc)]] bool operator==(const Cmp &) const; // #eq
  [[tacit::uses(alloc)]] std::strong_ordering operator<=>(const Cmp &) const; // #spaceship
};
struct It {
  [[tacit::uses(alloc)]] int operator*() const; // #deref
  [[tacit::uses(alloc)]] It &operator++(); // #inc
  bool operator!=(const It &) const;
};
struct Range {
  [[tacit::uses(alloc)]] It begin() const; // #begin
  It end() const;
};
struct Pair {
  int a, b;
  template <int I> [[tacit::uses(alloc)]] int get() const; // #get
};
template <> struct std::tuple_size<Pair> : std::integral_constant<int, 2> {};
template <int I> struct std::tuple_element<I, Pair> { using type = int; };
struct Own {
  [[tacit::uses(alloc)]] static void *operator new(std::size_t); // #own_new
  static void operator delete(void *);
};

void implicit_calls(Range r) {
  Cmp a, b;
  (void)(a != b); // expected-error {{call to 'operator==' requires an allocator context}}
  // expected-note@#eq {{declared}}
  (void)(a < b); // expected-error {{call to 'operator<=>' requires an allocator context}}
  // expected-note@#spaceship {{declared}}
  for (int x : r) // expected-error {{call to 'begin'}} expected-error {{call to 'operator*'}} expected-error {{call to 'operator++'}}
    (void)x;
  // expected-note@#begin {{declared}}
  // expected-note@#deref {{declared}}
  // expected-note@#inc {{declared}}
  auto [p, q] = Pair{1, 2}; // expected-error {{call to 'get<0>'}} expected-error {{call to 'get<1>'}}
  // expected-note@#get 1+ {{declared}}
  (void)p; (void)q;
  Own *o = new Own; // expected-error {{call to 'operator new' requires an allocator context}}
  // expected-note@#own_new {{declared}}
  delete o;
}

// --- default arguments: at the call that uses them ------------------------
void da(int = parse(0)); // #da (no error here: the declaration runs nothing)
void default_arguments() {
  da(); // expected-error {{call to 'parse' requires an allocator context}}
  // expected-note@#parse {{declared}}
  // expected-note@#da {{through a default argument of 'da' here}}
  da(1); // the default is not used: fine
}

// --- function-local statics: built on the global heap --------------------
void statics(tacit::arena &ar) {
  with_alloc(ar) {
    static int s = parse(1); // expected-error {{a function-local static is initialized on the global heap, not in the enclosing allocator context}}
    // expected-note@#parse {{declared}}
    (void)s;
    static constexpr int k = 3; // constant: fine
    (void)k;
  }
}

// --- generic lambdas: each instantiation is checked ----------------------
struct Gen { [[tacit::uses(alloc)]] int grow(); }; // #grow
void generic_lambda() {
  auto call = [](auto &x) { return x.grow(); }; // expected-error {{call to 'grow' requires an allocator context}}
  // expected-note@#grow {{declared}}
  // expected-note@-2 {{add [[tacit::uses(alloc)]] to the lambda}}
  // expected-note@-3 {{or open an allocator context}}
  Gen g;
  call(g);
}

// --- std templates calling the user's functions -------------------------
void through_std() {
  auto u = std::make_unique<W>(); // expected-error {{call to 'make_unique<W>' requires an allocator context}}
  // expected-note@#w {{declared}}
  // expected-note@* {{'make_unique<W>' (in a system header) calls 'W', which requires an allocator context}}
  std::vector<W> v(3); // expected-error {{construction of 'vector<W>' requires an allocator context}}
  // expected-note@#w {{declared}}
  // expected-note@* {{(in a system header) calls 'W', which requires an allocator context}}
  v.emplace_back(); // expected-error {{call to 'emplace_back<>' requires an allocator context}}
  // expected-note@#w {{declared}}
  // expected-note@* {{(in a system header) calls 'W', which requires an allocator context}}
  std::vector<int> fine(3); // nothing of the user's: fine
  fine.push_back(1);
}

// --- all of it inside with_alloc: no diagnostic ------------------------
void inside(tacit::arena &ar, Range r) {
  with_alloc(ar) {
    Holder h{};
    Agg g{1};
    DefInit d, d2{};
    Inh i(1);
    Outer x, y;
    x = y;
    Cmp a, b;
    (void)(a != b);
    (void)(a < b);
    for (int e : r)
      (void)e;
    auto [p, q] = Pair{1, 2};
    delete new Own;
    da();
    auto u = std::make_unique<W>();
    std::vector<W> v(3);
    v.emplace_back();
    auto call = [] [[tacit::uses(alloc)]] (auto &z) { return z.grow(); };
    (void)h; (void)g; (void)d; (void)d2; (void)i; (void)p; (void)q; (void)call;
  }
}
[[tacit::uses(alloc)]] User make_user() { return User(); } // in context: fine

// --- coroutines: the awaiter's members -----------------------------------
struct Task {
  struct promise_type {
    Task get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};
struct Awaiter {
  [[tacit::uses(alloc)]] bool await_ready(); // #ready
  void await_suspend(std::coroutine_handle<>) {}
  void await_resume() {}
};
Task coroutine() {
  co_await Awaiter{}; // expected-error {{call to 'await_ready' requires an allocator context}}
  // expected-note@#ready {{declared}}
}
