// FILE: test/plugin/Capabilities.cpp
// DESCRIPTION: The capability attributes (plugin/core/Capabilities.cpp):
//   where they may be written, the capability name, uses + without on one
//   function; the header's TACIT_USES_ALLOC / TACIT_WITHOUT_ALLOC spellings
//   are the attributes when the plugin is loaded and vanish without it.
// REQUIRES: plugin
// RUN: %clangxx -std=c++20 -Wno-c++23-lambda-attributes -fsyntax-only %plugin %include -Xclang -verify %s
// RUN: %clangxx -std=c++20 -fsyntax-only %include -DNO_PLUGIN %s 2>&1 | FileCheck %s --check-prefix=NOPLUGIN --allow-empty
#include <tacit/alloc.hpp>

#ifdef NO_PLUGIN
// Without the plugin the macro spellings vanish: no unknown-attribute warning.
// NOPLUGIN-NOT: warning
TACIT_USES_ALLOC void quiet();
TACIT_WITHOUT_ALLOC void quiet_heap();
#else
static_assert(__has_cpp_attribute(tacit::uses), "the plugin answers __has_cpp_attribute");
static_assert(__has_cpp_attribute(tacit::without));

// --- accepted: every kind of function --------------------------------
[[tacit::uses(alloc)]] void f();
[[tacit::without(alloc)]] void g();
TACIT_USES_ALLOC void via_macro();
TACIT_WITHOUT_ALLOC void via_macro_heap();
struct S {
  [[tacit::uses(alloc)]] S();
  [[tacit::uses(alloc)]] void m();
  [[tacit::uses(alloc)]] static void sm();
  [[tacit::uses(alloc)]] virtual void vm();
  [[tacit::without(alloc)]] ~S();
  [[tacit::uses(alloc)]] S &operator=(const S &);
};
template <class T> [[tacit::uses(alloc)]] void tf(T);
auto lambda = [] [[tacit::uses(alloc)]] (int x) { return x; };
auto lambda_no_params = [] [[tacit::without(alloc)]] { return 1; };
[[tacit::uses(alloc)]] [[tacit::uses(alloc)]] void twice(); // harmless

// --- refused: wrong placement ---------------------------------------
[[tacit::uses(alloc)]] int variable; // expected-error {{[[tacit::uses(alloc)]] applies to functions, member functions, constructors, function templates and lambdas, not to a variable}}
struct [[tacit::uses(alloc)]] Type {}; // expected-error {{not to a type}}
struct Fields {
  [[tacit::without(alloc)]] int field; // expected-error {{[[tacit::without(alloc)]] applies to functions, member functions, constructors, function templates and lambdas, not to a data member}}
};
namespace [[tacit::uses(alloc)]] ns {} // expected-error {{not to a namespace}}
struct D {
  [[tacit::uses(alloc)]] ~D(); // expected-error {{a destructor cannot be [[tacit::uses(alloc)]]: it runs wherever its object dies, in any context}}
};
void on_type() [[tacit::uses(alloc)]]; // expected-error {{'uses' attribute cannot be applied to types}}

// --- refused: the capability name -----------------------------------
[[tacit::uses]] void no_name(); // expected-error {{[[tacit::uses]] needs the capability it is about: write [[tacit::uses(alloc)]]}}
[[tacit::without]] void no_name_heap(); // expected-error {{[[tacit::without]] needs the capability it is about: write [[tacit::without(alloc)]]}}
[[tacit::uses(io)]] void unknown(); // expected-error {{unknown capability 'io' in [[tacit::uses(...)]]: a capability is 'alloc' or a context declared with TACIT_CONTEXT(io, Type)}}
[[tacit::without(memory)]] void unknown_heap(); // expected-error {{unknown capability 'memory' in [[tacit::without(...)]]: a capability is 'alloc' or a context declared with TACIT_CONTEXT(memory, Type)}}
[[tacit::uses(aloc)]] void close_to_alloc(); // expected-error {{unknown capability 'aloc' in [[tacit::uses(...)]]; did you mean 'alloc'?}}
[[tacit::uses("alloc")]] void string_name(); // expected-error {{the capability in [[tacit::uses(...)]] is a name, not an expression: write [[tacit::uses(alloc)]]}}
[[tacit::uses(alloc, 2)]] void two(); // expected-error {{the capability in [[tacit::uses(...)]] is a name, not an expression: write [[tacit::uses(alloc)]]}}
// Clang parses a second name as an expression; the plugin joins a list of
// names on one line before parsing (CapabilityNames.h), so a list is read
// name by name:
[[tacit::uses(alloc, io)]] void list(); // expected-error {{unknown capability 'io' in [[tacit::uses(...)]]}}
// A list spread over lines is not joined, and the parser refuses it:
[[tacit::uses(alloc,
              io)]] void list_lines(); // expected-error {{use of undeclared identifier 'io'}}

// --- refused: both on one function ----------------------------------
[[tacit::uses(alloc)]] [[tacit::without(alloc)]] void both(); // expected-error {{a function cannot be both [[tacit::uses(alloc)]] and [[tacit::without(alloc)]]: one needs the caller's allocator context, the other discards it}} expected-note {{[[tacit::uses(alloc)]] is here}}
[[tacit::without(alloc), tacit::uses(alloc)]] void both2(); // expected-error {{a function cannot be both}} expected-note {{[[tacit::without(alloc)]] is here}}

// --- declarations of one function must agree ------------------------
[[tacit::uses(alloc)]] void redecl1(); // expected-note {{the earlier declaration says [[tacit::uses(alloc)]]}}
[[tacit::without(alloc)]] void redecl1() {} // expected-error {{'redecl1' is declared [[tacit::without(alloc)]] here but [[tacit::uses(alloc)]] in an earlier declaration}}
[[tacit::without(alloc)]] void redecl2(); // expected-note {{the earlier declaration says [[tacit::without(alloc)]]}}
void redecl2();
[[tacit::uses(alloc)]] void redecl2(); // expected-error {{'redecl2' is declared [[tacit::uses(alloc)]] here but [[tacit::without(alloc)]] in an earlier declaration}}
[[tacit::uses(alloc)]] void redecl3();
[[tacit::uses(alloc)]] void redecl3() {} // agreeing: fine
void redecl4();
[[tacit::without(alloc)]] void redecl4() {} // added later, nothing to disagree with: fine

// --- the unscoped names are not ours -------------------------------
[[uses(alloc)]] void unscoped(); // expected-warning {{unknown attribute 'uses' ignored}}
#endif
