// Checked mode, `no context`, for a user context: a function declared
// [[tacit::uses(logger)]] entered with no logger in context (reached
// through a function pointer, past the compiler) reports, naming the
// function, where it is and the context, and stops: its reads of the
// context would have nothing to find. The plugin inserts the check at the
// top of the body, as it does for uses(alloc). A context whose declaration
// gives a default is never missing; a call inside a scope is silent;
// checking off, the check costs a load and reports nothing (the body's
// tacit::get then stops the program with its own message); with
// -fplugin-arg-tacit-no-entry-check it is not inserted.
// REQUIRES: plugin
// RUN: %tacitxx -std=c++20 -O2 %s -o %t
// RUN: env TACIT_CHECK=1 not --crash %t 2>&1 | FileCheck %s
// RUN: env TACIT_CHECK=abort not --crash %t 2>&1 | FileCheck %s --check-prefix=ABORT
// RUN: env -u TACIT_CHECK not --crash %t 2>&1 | FileCheck %s --check-prefix=OFF
// RUN: %tacitxx -std=c++20 -O2 -fplugin-arg-tacit-no-entry-check %s -o %t.none
// RUN: env TACIT_CHECK=1 not --crash %t.none 2>&1 | FileCheck %s --check-prefix=NONE
#include <tacit/alloc.hpp>

#include <cstdio>

struct Logger {
  const char* name;
};
struct Level {
  int n;
};
TACIT_CONTEXT(logger, Logger);
TACIT_CONTEXT(level, Level, Level{2});

TACIT_USES(logger) void handle(int n) {
  std::printf("handle(%d) by %s\n", n, tacit::get<logger>().name);
}
// A default: entering with none is no error.
TACIT_USES(level) void verbose() {
  std::printf("level %d\n", tacit::get<level>().n);
}

void (*handler)(int) = handle;  // loses the requirement
void (*noisy)() = verbose;

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  Logger mine{"mine"};
  with_context(logger, mine) handler(1);  // a context: silent
  // CHECK: handle(1) by mine
  // ABORT: handle(1) by mine
  // OFF: handle(1) by mine
  // NONE: handle(1) by mine
  noisy();
  // CHECK-NEXT: level 2
  // CHECK-NOT: tacit check
  handler(2);  // slipped past the compiler
  // CHECK-NEXT: tacit check: no context: handle ({{.*}}check-no-context-user.cpp:31) entered with no 'logger' context
  // CHECK-NEXT: it is declared {{\[\[}}tacit::uses(logger)]]: call it inside with_context(logger, ...); it was reached by a path the compiler could not check
  // CHECK-NEXT: tacit: handle ({{.*}}check-no-context-user.cpp:31) entered with no 'logger' context
  // CHECK-NOT: handle(2)
  // ABORT: tacit check: no context: handle ({{.*}}check-no-context-user.cpp:31) entered with no 'logger' context
  // ABORT: tacit check: stopping (TACIT_CHECK=abort)
  // ABORT-NOT: handle(2)
  // OFF-NOT: tacit check
  // OFF: tacit: tacit::get<logger>() at {{.*}}check-no-context-user.cpp:32: no 'logger' context is open
  // NONE-NOT: entered with no
  // NONE: tacit check: no context: tacit::get<logger>() at {{.*}}check-no-context-user.cpp:32
  std::printf("not reached\n");
  // OFF-NOT: not reached
}
