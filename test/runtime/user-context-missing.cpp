// tacit::get<C>() reached with no scope of C open and no default (past the
// compiler: through a function pointer, or code built without the plugin):
// checked mode reports `no context`, naming the context and the call, and
// the program stops either way with a message (there is no value to
// return). tacit::find<C>() is the read that may find none. In checked
// mode the entry check of the [[tacit::uses(logger)]] function reports
// first (test/runtime/check-no-context-user.cpp); without it
// (-fplugin-arg-tacit-no-entry-check) get reports.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t
// RUN: env -u TACIT_CHECK not --crash %t 2>&1 | FileCheck %s --check-prefix=OFF
// RUN: env TACIT_CHECK=1 not --crash %t 2>&1 | FileCheck %s --check-prefix=ENTRY
// RUN: %tacitxx -std=c++20 -O2 -fplugin-arg-tacit-no-entry-check %support %s -o %t.get
// RUN: env TACIT_CHECK=1 not --crash %t.get 2>&1 | FileCheck %s --check-prefix=CHECKED
#include <tacit/alloc.hpp>

#include <cstdio>

struct Logger {
  int level;
};
TACIT_CONTEXT(logger, Logger);

// read_level declares that it needs `logger` (the plugin checks get<logger>
// like a call to a uses(logger) function); the pointer loses that, so the
// call through it below passes the compiler.
TACIT_USES(logger) int read_level() { return tacit::get<logger>().level; }
int (*level)() = read_level;

int main() {
  Logger l{3};
  with_context(logger, l) std::printf("in a scope: %d\n", level());
  // OFF: in a scope: 3
  // CHECKED: in a scope: 3
  // ENTRY: in a scope: 3
  std::printf("find with none: %s\n", tacit::find<logger>() ? "some" : "null");
  // OFF-NEXT: find with none: null
  // CHECKED-NEXT: find with none: null
  std::printf("%d\n", level());
  // OFF-NOT: tacit check
  // OFF: tacit: tacit::get<logger>() at {{.*}}user-context-missing.cpp:26: no 'logger' context is open and it has no default
  // CHECKED-NEXT: tacit check: no context: tacit::get<logger>() at {{.*}}user-context-missing.cpp:26 with no with_context(logger, ...) scope open
  // CHECKED-NEXT: and the declaration TACIT_CONTEXT(logger, ...) gives no default
  // CHECKED: tacit: tacit::get<logger>()
  // ENTRY: find with none: null
  // ENTRY-NEXT: tacit check: no context: read_level ({{.*}}user-context-missing.cpp:26) entered with no 'logger' context
  // ENTRY-NOT: tacit::get<logger>()
  std::printf("not reached\n");
  // OFF-NOT: not reached
  // CHECKED-NOT: not reached
  // ENTRY-NOT: not reached
}
