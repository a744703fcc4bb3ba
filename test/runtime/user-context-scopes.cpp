// User-declared contexts (TACIT_CONTEXT, SPEC §6), the runtime's rules:
// nesting and shadowing, every way out of a block, exceptions, the RAII
// form, rvalue values, defaults, find with none, and opening a scope
// allocates nothing. Built with the plugin and without it (plain clang++,
// the header and the static runtime): the runtime rules are the same.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
// RUN: %clangxx -std=c++20 -O2 %include %s -o %t.plain -Wl,--whole-archive %tacit_static -Wl,--no-whole-archive -lpthread -ldl && %t.plain | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdio>
#include <stdexcept>
#include <string>

struct Logger {
  const char* name;
  void info(const char* what) { std::printf("[%s] %s\n", name, what); }
};
struct Deadline {
  long ms;
  static Deadline never() { return {-1}; }
};

TACIT_CONTEXT(logger, Logger);
TACIT_CONTEXT(request_id, int);
TACIT_CONTEXT(deadline, Deadline, Deadline::never());

// No parameter added: reads what its callers provide. (With the plugin,
// get<logger> requires `logger`, so handle says it needs one; the macro
// vanishes without the plugin.)
TACIT_USES(logger) void handle(const char* what) {
  tacit::get<logger>().info(what);
}
const char* who() {
  Logger* l = tacit::find<logger>();
  return l ? l->name : "none";
}

int main() {
  Logger outer{"outer"}, inner{"inner"};
  // CHECK: before: none
  std::printf("before: %s\n", who());
  // CHECK-NEXT: default deadline: -1
  std::printf("default deadline: %ld\n", tacit::get<deadline>().ms);

  with_context(logger, outer) {
    // CHECK-NEXT: [outer] in the scope
    handle("in the scope");
    with_context(logger, inner) {
      // CHECK-NEXT: [inner] shadowed
      handle("shadowed");
    }
    // CHECK-NEXT: [outer] back
    handle("back");
    // An rvalue is moved into the scope and lives as long as it.
    with_context(request_id, 40 + 2) with_context(deadline, Deadline{250}) {
      // CHECK-NEXT: request 42, deadline 250
      std::printf("request %d, deadline %ld\n", tacit::get<request_id>(),
                  tacit::get<deadline>().ms);
    }
    // CHECK-NEXT: request none, deadline -1
    std::printf("request %s, deadline %ld\n",
                tacit::find<request_id>() ? "some" : "none",
                tacit::get<deadline>().ms);
  }
  // CHECK-NEXT: after: none
  std::printf("after: %s\n", who());

  // Every way out of a block ends the scope: break, continue, return, an
  // exception.
  for (int i = 0; i < 2; ++i) {
    with_context(logger, inner) {
      if (i == 0) continue;
      break;
    }
  }
  auto early = [&] {
    with_context(logger, inner) { return; }
  };
  early();
  try {
    with_context(logger, inner) throw std::runtime_error("out");
  } catch (const std::exception&) {
  }
  // CHECK-NEXT: after break, continue, return, throw: none
  std::printf("after break, continue, return, throw: %s\n", who());

  // The RAII form, for code that is not a block.
  {
    tacit::context_scope<logger> s(outer);
    // CHECK-NEXT: context_scope: outer
    std::printf("context_scope: %s\n", who());
  }
  // CHECK-NEXT: ended: none
  std::printf("ended: %s\n", who());

  // Opening a scope and reading allocate nothing: every allocation in
  // deny() throws.
  bool threw = false;
  try {
    with_alloc(tacit::deny()) {
      with_context(logger, outer) with_context(request_id, 7) {
        tacit::get<logger>();
        tacit::find<deadline>();
        tacit::get<deadline>();  // (the default was made above)
      }
    }
  } catch (const std::bad_alloc&) {
    threw = true;
  }
  // CHECK-NEXT: scopes allocate: no
  std::printf("scopes allocate: %s\n", threw ? "YES" : "no");
}
