// FILE: test/plugin/Capabilities-contexts.cpp
// DESCRIPTION: The capability names (plugin/core/CapabilityNames.cpp):
//   [[tacit::uses(...)]] / [[tacit::without(...)]] name `alloc` or contexts
//   declared with TACIT_CONTEXT, found by ordinary lookup; several names in
//   one attribute (and in TACIT_USES); unknown names, with a fix-it when a
//   declared one is close; a name that is not a context (issue 18).
// REQUIRES: plugin
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin %include -Xclang -verify %s
// RUN: not %clangxx -std=c++20 -fsyntax-only %plugin %include -fdiagnostics-parseable-fixits %s 2>&1 | FileCheck %s --check-prefix=FIX
// RUN: %clangxx -std=c++17 -fsyntax-only %include -DNO_PLUGIN %s 2>&1 | FileCheck %s --check-prefix=NOPLUGIN --allow-empty
#include <tacit/alloc.hpp>

struct Logger { void info(const char *); };
struct Deadline { long ms; };
TACIT_CONTEXT(logger, Logger);
TACIT_CONTEXT(request_id, int);
namespace app {
TACIT_CONTEXT(deadline, Deadline, Deadline{-1});
}
struct Plain {}; // #plain

#ifdef NO_PLUGIN
// Without the plugin the macro spellings vanish.
// NOPLUGIN-NOT: warning
TACIT_USES(alloc, logger) void quiet();
TACIT_WITHOUT(logger) void quiet_without();
#else
// --- accepted ------------------------------------------------------------
[[tacit::uses(logger)]] void one();
[[tacit::uses(alloc, logger, request_id)]] void three();
[[tacit::uses(alloc)]] [[tacit::uses(logger)]] void two_attributes();
[[tacit::uses(alloc), tacit::uses(request_id)]] void one_specifier();
[[tacit::without(logger)]] void audit();
[[tacit::uses(logger)]] [[tacit::without(alloc)]] void logs_on_heap();
TACIT_USES(logger, request_id) void via_macro();
TACIT_WITHOUT(request_id) void via_macro_without();
// A qualified name is not a bare name: Clang parses it as an expression
// (and a type is not one); name the context from where it is visible.
[[tacit::uses(app::deadline)]] void qualified(); // expected-error {{expected '(' for function-style cast or type construction}}
namespace app {
[[tacit::uses(deadline)]] void found_from_here(); // ordinary lookup from the attribute
}
using namespace app;
[[tacit::uses(deadline, logger)]] void found_through_using();

// --- unknown names ---------------------------------------------------------
[[tacit::uses(loger)]] void typo(); // expected-error {{unknown capability 'loger' in [[tacit::uses(...)]]; did you mean 'logger'?}}
// FIX: fix-it:"{{.*}}Capabilities-contexts.cpp":{[[@LINE-1]]:15-[[@LINE-1]]:20}:"logger"
[[tacit::uses(alloc, request_ld)]] void typo_in_list(); // expected-error {{unknown capability 'request_ld' in [[tacit::uses(...)]]; did you mean 'request_id'?}}
// FIX: fix-it:"{{.*}}Capabilities-contexts.cpp":{[[@LINE-1]]:22-[[@LINE-1]]:32}:"request_id"
[[tacit::without(dedline)]] void typo_without(); // expected-error {{unknown capability 'dedline' in [[tacit::without(...)]]; did you mean 'deadline'?}}
[[tacit::uses(database)]] void unknown(); // expected-error {{unknown capability 'database' in [[tacit::uses(...)]]: a capability is 'alloc' or a context declared with TACIT_CONTEXT(database, Type)}}
[[tacit::uses(Plain)]] void not_a_context(); // expected-error {{'Plain' in [[tacit::uses(...)]] is not a capability: a capability is 'alloc' or a context declared with TACIT_CONTEXT(Plain, Type)}}
// expected-note@#plain {{'Plain' is declared here}}
// FIX-NOT: fix-it:"{{.*}}":{[[@LINE-3]]

// --- uses and without of one context --------------------------------------
[[tacit::uses(logger)]] [[tacit::without(logger)]] void both(); // expected-error {{a function cannot be both [[tacit::uses(logger)]] and [[tacit::without(logger)]]: one needs the caller's 'logger' context, the other discards it}} expected-note {{[[tacit::uses(logger)]] is here}}
[[tacit::uses(logger)]] [[tacit::without(request_id)]] void different(); // fine

// --- redeclarations must agree, per capability -----------------------------
[[tacit::uses(logger)]] void redecl_ctx(); // expected-note {{the earlier declaration says [[tacit::uses(logger)]]}}
[[tacit::without(logger)]] void redecl_ctx() {} // expected-error {{'redecl_ctx' is declared [[tacit::without(logger)]] here but [[tacit::uses(logger)]] in an earlier declaration: one needs the caller's 'logger' context, the other clears it; make the declarations agree}}
[[tacit::without(request_id)]] void redecl_ctx2(); // expected-note {{the earlier declaration says [[tacit::without(request_id)]]}}
[[tacit::uses(alloc, request_id)]] void redecl_ctx2(); // expected-error {{'redecl_ctx2' is declared [[tacit::uses(request_id)]] here but [[tacit::without(request_id)]] in an earlier declaration}}
// Different capabilities on different declarations: they add up, fine.
[[tacit::uses(logger)]] void redecl_adds();
[[tacit::without(request_id)]] void redecl_adds();
#endif
