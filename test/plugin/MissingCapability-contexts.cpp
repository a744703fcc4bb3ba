// FILE: test/plugin/MissingCapability-contexts.cpp
// DESCRIPTION: MissingCapability (plugin/core/MissingCapability.cpp) for
//   contexts declared with TACIT_CONTEXT, by the mechanism alloc uses: a call
//   to a [[tacit::uses(logger)]] function, or a tacit::get<logger>() (logger
//   with no default), must be inside with_context(logger, ...) or in a
//   function declared [[tacit::uses(logger)]]; several capabilities in one
//   function, each checked on its own; without(logger); lambdas; the
//   requirement inherited through overrides and implicit constructors; the
//   fix-it adding the capability; the check's switch (issue 18).
// REQUIRES: plugin
// RUN: %clangxx -std=c++20 -Wno-c++23-lambda-attributes -fsyntax-only -ferror-limit=0 %plugin %include -Xclang -verify %s
// RUN: not %clangxx -std=c++20 -Wno-c++23-lambda-attributes -fsyntax-only -ferror-limit=0 %plugin %include -fdiagnostics-parseable-fixits %s 2>&1 | FileCheck %s --check-prefix=FIX
// RUN: %clangxx -std=c++20 -Wno-c++23-lambda-attributes -fsyntax-only %plugin -fplugin-arg-tacit-no-missing-capability %include %s 2>&1 | count 0
#include <tacit/alloc.hpp>

struct Logger { void info(const char *); };
struct Deadline { long ms; };
TACIT_CONTEXT(logger, Logger); // #logger
TACIT_CONTEXT(request_id, int);
TACIT_CONTEXT(deadline, Deadline, Deadline{-1}); // a default: get never fails

[[tacit::uses(logger)]] void handle(int); // #handle
[[tacit::uses(alloc, logger, request_id)]] void serve(); // #serve

// --- outside any context ------------------------------------------------
void plain() { // #plain
  handle(1); // expected-error {{call to 'handle' requires the 'logger' context; call it inside with_context(logger, ...) or from a function declared [[tacit::uses(logger)]]}}
  // expected-note@#handle {{'handle' is declared [[tacit::uses(logger)]] here}}
  // expected-note@#plain {{add [[tacit::uses(logger)]] to 'plain' to require the context from its callers}}
  // expected-note@-3 {{or provide it around the call: with_context(logger, value) { ... }}}
  // FIX: fix-it:"{{.*}}MissingCapability-contexts.cpp":{[[@LINE-5]]:1-[[@LINE-5]]:1}:"{{\[\[}}tacit::uses(logger)]] "
  tacit::get<logger>().info("x"); // expected-error {{call to 'get<logger>' requires the 'logger' context}}
  // expected-note@#logger {{context 'logger' is declared here with no default: tacit::get<logger>() needs an open with_context(logger, ...) (tacit::find<logger>() is the unchecked read)}}
  // expected-note@#plain {{add [[tacit::uses(logger)]] to 'plain'}}
  // expected-note@-3 {{or provide it around the call}}
  tacit::find<logger>();   // the unchecked read: fine
  tacit::get<deadline>();  // a default: fine
}

// --- several capabilities in one function: each checked on its own -----
void several() { // #several
  Logger l;
  with_context(logger, l) {
    serve(); // expected-error {{call to 'serve' requires an allocator context}} expected-error {{call to 'serve' requires the 'request_id' context}}
    // expected-note@#serve {{'serve' is declared [[tacit::uses(alloc)]] here}}
    // expected-note@#serve {{'serve' is declared [[tacit::uses(request_id)]] here}}
    // expected-note@#several {{add [[tacit::uses(alloc)]] to 'several'}}
    // expected-note@#several {{add [[tacit::uses(request_id)]] to 'several'}}
    // expected-note@-5 {{or open an allocator context around the call}}
    // expected-note@-6 {{or provide it around the call: with_context(request_id, value)}}
    with_context(request_id, 7) with_alloc(tacit::current()) {
      serve(); // all three: fine
      handle(2);
    }
    with_alloc(tacit::current()) with_context(request_id, 8) {
      serve(); // the blocks in any order
    }
  }
  with_context(logger, l) with_context(request_id, 1) {
    with_context(request_id, 2) { handle(3); tacit::get<request_id>(); } // nested
  }
}
[[tacit::uses(alloc, logger)]] void partly() { // #partly
  handle(4); // fine: the function has logger
  serve(); // expected-error {{call to 'serve' requires the 'request_id' context}}
  // expected-note@#serve {{'serve' is declared [[tacit::uses(request_id)]] here}}
  // expected-note@#partly {{add [[tacit::uses(request_id)]] to 'partly'}}
  // expected-note@-3 {{or provide it around the call}}
}
[[tacit::uses(logger)]] [[tacit::uses(request_id)]] void two_attributes() {
  with_alloc(tacit::current()) serve(); // fine
}
// The value expression runs outside the scope it opens.
void value_outside() { // #value_outside
  with_context(logger, tacit::get<logger>()) { handle(5); } // expected-error {{call to 'get<logger>' requires the 'logger' context}}
  // expected-note@#logger {{declared here with no default}}
  // expected-note@#value_outside {{add [[tacit::uses(logger)]] to 'value_outside'}}
  // expected-note@-3 {{or provide it around the call}}
}

// --- without(logger): the body has none, whatever the caller has -------
[[tacit::without(logger)]] void audit() {
  handle(6); // expected-error {{call to 'handle' requires the 'logger' context; call it inside with_context(logger, ...) or from a function declared [[tacit::uses(logger)]]: a [[tacit::without(logger)]] function runs with no 'logger' context}}
  // expected-note@#handle {{'handle' is declared}}
  Logger mine;
  with_context(logger, mine) handle(7); // a block inside provides one again
}

// --- lambdas: a body of its own ------------------------------------------
void lambdas() {
  Logger l;
  with_context(logger, l) {
    auto f = [] { handle(8); }; // expected-error {{a lambda's body is a function of its own and does not inherit the enclosing with_context}}
    // expected-note@#handle {{'handle' is declared}}
    // expected-note@-2 {{add [[tacit::uses(logger)]] to the lambda}}
    // expected-note@-3 {{or provide it around the call}}
    auto g = [] [[tacit::uses(logger)]] { handle(9); }; // fine
    g(); // fine: inside the block
    f();
  }
}

// --- the requirement flows: overrides, implicit constructors -----------
struct Sink {
  [[tacit::uses(logger)]] virtual void write(); // #write
  virtual ~Sink();
};
struct File : Sink { void write() override; }; // inherits logger
struct Member { [[tacit::uses(request_id)]] Member(); }; // #member
struct Holder { Member m; }; // an implicit constructor needing request_id
void flows(File &f) { // #flows
  f.write(); // expected-error {{call to 'write' requires the 'logger' context}}
  // expected-note@#write {{'write' requires the 'logger' context because it overrides 'write', declared [[tacit::uses(logger)]] here}}
  // expected-note@-2 {{or provide it}}
  // expected-note@#flows {{add [[tacit::uses(logger)]] to 'flows'}}
  Holder h; // expected-error {{construction of 'Holder' requires the 'request_id' context}}
  // expected-note@#member {{the implicit constructor of 'Holder' requires the 'request_id' context because it calls 'Member', declared [[tacit::uses(request_id)]] here}}
  // expected-note@-2 {{or provide it}}
  // expected-note@#flows {{add [[tacit::uses(request_id)]] to 'flows'}}
}
[[tacit::uses(logger, request_id)]] void flows_fine(File &f) {
  f.write();
  Holder h;
}

// --- templates: the instantiation's callee is checked -------------------
template <class C> void read() { tacit::get<C>(); } // expected-error {{call to 'get<logger>' requires the 'logger' context}}
// expected-note@#logger {{declared here with no default}}
// expected-note@-2 {{add [[tacit::uses(logger)]] to 'read<logger>'}}
// expected-note@-3 {{or provide it}}
void instantiate() {
  read<logger>();
  read<deadline>(); // a default: fine
}
