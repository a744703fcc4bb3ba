// FILE: test/plugin/AngleBlocks-contexts.cpp
// DESCRIPTION: AngleBlocks (plugin/core/AngleBlocks.cpp) for user contexts:
//   `with_context(name, value) < ... >` runs exactly as the brace form does
//   — nested, mixed with with_alloc angle blocks and braces, a template
//   argument list and a comparison inside, left by return and by an
//   exception — and the plugin's checks read it as a with_context block (a
//   call needing the context inside it compiles with -werror). An unclosed
//   one is one error naming with_context.
// REQUIRES: plugin
// RUN: rm -rf %t && split-file --leading-lines %s %t
// RUN: %tacitxx -std=c++20 -O0 -fplugin-arg-tacit-werror %t/run.cpp -o %t/run.O0 && %t/run.O0 | FileCheck %t/run.cpp
// RUN: %tacitxx -std=c++20 -O2 -fplugin-arg-tacit-werror %t/run.cpp -o %t/run.O2 && %t/run.O2 | FileCheck %t/run.cpp
// RUN: not %clangxx -std=c++20 -fsyntax-only -fno-color-diagnostics %plugin %include %t/unclosed.cpp 2>&1 \
// RUN:   | FileCheck %s --check-prefix=UNCLOSED --implicit-check-not=error --implicit-check-not=warning

//--- run.cpp
#include <tacit/alloc.hpp>

#include <cstdio>
#include <stdexcept>
#include <vector>

struct Logger {
  const char *name;
};
TACIT_CONTEXT(logger, Logger);
TACIT_CONTEXT(request_id, int);

static tacit::arena a;

const char *who() {
  Logger *l = tacit::find<logger>();
  return l ? l->name : "none";
}
[[tacit::uses(logger)]] void handle(const char *what) {
  std::printf("%s: %s\n", what, tacit::get<logger>().name);
}

int early(Logger &l) {
  with_context(logger, l) <
    if (tacit::get<logger>().name[0] == 'o')
      return 1;
  >
  return 0;
}

int main() {
  Logger outer{"outer"}, inner{"inner"};
  with_context(logger, outer) <
    handle("angle");
    // CHECK: angle: outer
    with_context(logger, inner) < handle("nested"); >
    // CHECK-NEXT: nested: inner
    with_context(logger, inner) { handle("braces inside"); }
    // CHECK-NEXT: braces inside: inner
    with_context(request_id, 41 + 1) <
      std::vector<std::vector<int>> v{{1, 2}};
      bool big = v.size() > 0;
      std::printf("request %d, big %d\n", tacit::get<request_id>(), big);
    >
    // CHECK-NEXT: request 42, big 1
    with_alloc(a) <
      with_context(logger, inner) <
        std::printf("in a: %d, %s\n", &tacit::current() == &a, who());
      >
    >
    // CHECK-NEXT: in a: 1, inner
    handle("back");
    // CHECK-NEXT: back: outer
  >
  std::printf("after: %s\n", who());
  // CHECK-NEXT: after: none
  std::printf("early: %d, then %s\n", early(outer), who());
  // CHECK-NEXT: early: 1, then none
  try {
    with_context(logger, outer) < throw std::runtime_error("out"); >
  } catch (const std::exception &) {
  }
  std::printf("after throw: %s\n", who());
  // CHECK-NEXT: after throw: none
}

//--- unclosed.cpp
#include <tacit/alloc.hpp>
struct Logger {};
TACIT_CONTEXT(logger, Logger);
int main() {
  Logger l;
  with_context(logger, l) <
    tacit::find<logger>();
}
// UNCLOSED: unclosed.cpp:[[@LINE-3]]:3: fatal error: with_context block has no closing '>' [tacit-angle-blocks]
// UNCLOSED: unclosed.cpp:[[@LINE-2]]:1: note: the enclosing '}' closes here, with the block still open
// UNCLOSED: 1 error generated.
