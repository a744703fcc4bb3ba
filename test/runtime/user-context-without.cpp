// [[tacit::without(name)]] for a user context (SPEC §6): the plugin lowers
// it as it lowers without(alloc), so the body — and everything it calls —
// runs with no `name` in context, whatever its caller provides; the
// caller's value is back when the body is left, by a return or by an
// exception. Also: a context provided again inside such a body, several
// capabilities in one attribute (without(alloc, logger)), a constructor's
// initializers, a lambda, a member function, a template, and a context the
// function is not without (untouched).
// REQUIRES: plugin
// RUN: %tacitxx -std=c++20 -Wno-c++23-lambda-attributes -O2 %s -o %t && %t | FileCheck %s
// RUN: %tacitxx -std=c++20 -Wno-c++23-lambda-attributes -O0 %s -o %t.O0 && %t.O0 | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdio>
#include <stdexcept>

struct Logger {
  const char* name;
};
TACIT_CONTEXT(logger, Logger);
TACIT_CONTEXT(request_id, int);

const char* who() {
  Logger* l = tacit::find<logger>();
  return l ? l->name : "none";
}
int request() {
  int* r = tacit::find<request_id>();
  return r ? *r : -1;
}
// Ordinary code below the annotated function: it sees what the body sees.
void report(const char* where) {
  std::printf("%s: logger %s, request %d\n", where, who(), request());
}

[[tacit::without(logger)]] void audit() { report("audit"); }

[[tacit::without(logger)]] void audit_throws() {
  report("audit_throws");
  throw std::runtime_error("audit failed");
}

[[tacit::without(logger)]] int audit_early(int n) {
  if (n > 0)
    return n;  // every return path ends the cleared scope
  report("audit_early");
  return 0;
}

// Inside, a scope of the context may be opened again.
[[tacit::without(logger)]] void audit_with_own() {
  Logger own{"own"};
  with_context(logger, own) report("audit_with_own, inner");
  report("audit_with_own, after");
}

// Several capabilities at once: the global heap and no logger.
tacit::arena arena;
[[tacit::without(alloc, logger)]] void both() {
  std::printf("both: logger %s, allocator %s\n", who(),
              &tacit::current() == &tacit::global() ? "heap" : "arena");
}

struct Cache {
  // The initializer runs before the body: it too sees no logger.
  [[tacit::without(logger)]] Cache() : seen(who()) {
    std::printf("Cache: initializer saw %s, body sees %s\n", seen, who());
  }
  const char* seen;
};

struct Service {
  [[tacit::without(logger)]] void flush() const { report("Service::flush"); }
};

template <class T>
[[tacit::without(logger)]] void generic(T) {
  report("generic<T>");
}

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  Logger outer{"outer"};
  with_context(logger, outer) with_context(request_id, 7) {
    // CHECK: main: logger outer, request 7
    report("main");
    audit();
    // CHECK-NEXT: audit: logger none, request 7
    // CHECK-NEXT: back: logger outer, request 7
    report("back");
    try {
      audit_throws();
    } catch (const std::exception& e) {
      // CHECK-NEXT: audit_throws: logger none, request 7
      // CHECK-NEXT: caught audit failed: logger outer
      std::printf("caught %s: logger %s\n", e.what(), who());
    }
    audit_early(1);
    audit_early(0);
    // CHECK-NEXT: audit_early: logger none, request 7
    // CHECK-NEXT: after audit_early: logger outer
    std::printf("after audit_early: logger %s\n", who());
    audit_with_own();
    // CHECK-NEXT: audit_with_own, inner: logger own, request 7
    // CHECK-NEXT: audit_with_own, after: logger none, request 7
    with_alloc(arena) both();
    // CHECK-NEXT: both: logger none, allocator heap
    Cache c;
    // CHECK-NEXT: Cache: initializer saw none, body sees none
    Service{}.flush();
    // CHECK-NEXT: Service::flush: logger none, request 7
    generic(1);
    // CHECK-NEXT: generic<T>: logger none, request 7
    auto l = [] [[tacit::without(logger)]] () { report("lambda"); };
    l();
    // CHECK-NEXT: lambda: logger none, request 7
    // CHECK-NEXT: end: logger outer, request 7
    report("end");
  }
  // With none in context to begin with: none inside, none after.
  audit();
  // CHECK-NEXT: audit: logger none, request -1
  // CHECK-NEXT: outside: logger none, request -1
  report("outside");
}
