// FILE: test/plugin/AngleBlocks.cpp
// DESCRIPTION: AngleBlocks (plugin/core/AngleBlocks.cpp): with the plugin,
//   `with_alloc(r) < ... >` and `without_alloc < ... >` run exactly as the
//   brace forms do — nested, mixed with braces, empty, with templates and
//   `>>`, comparisons, shifts, braced-init-lists and lambdas inside, in a user
//   header, in a macro's argument, left by break / continue / return — and
//   lookalikes in comments, strings and character literals are left alone.
//   Each allocation is checked with tacit::owner_of. Run at -O0 and -O2.
// REQUIRES: plugin
// RUN: %clangxx -std=c++20 -O0 %plugin %include -I%S/Inputs %s %tacit_static -o %t.O0
// RUN: %t.O0 | FileCheck %s
// RUN: %clangxx -std=c++20 -O2 %plugin %include -I%S/Inputs %s %tacit_static -o %t.O2
// RUN: %t.O2 | FileCheck %s
// Without the plugin the angle form is not C++ (the brace form is the
// portable spelling):
// RUN: not %clangxx -std=c++20 -fsyntax-only %include -I%S/Inputs %s 2>&1 | FileCheck %s --check-prefix=NOPLUGIN
// and nor is it with the plugin's angle-blocks check turned off:
// RUN: not %clangxx -std=c++20 -fsyntax-only %plugin -fplugin-arg-tacit-no-angle-blocks %include -I%S/Inputs %s 2>&1 | FileCheck %s --check-prefix=NOPLUGIN
// NOPLUGIN: angle-blocks.h:[[#]]:{{[0-9]+}}: error: expected expression
#include "angle-blocks.h"
#include "angle-blocks.h"
#include <tacit/alloc.hpp>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

static tacit::arena a, b;

// Who made p: "a", "b" or "heap".
static const char *who(const void *p) {
  std::pmr::memory_resource *o = tacit::owner_of(p);
  return o == &a ? "a" : o == &b ? "b" : "heap";
}
// The context now.
static const char *ctx() {
  std::pmr::memory_resource *c = &tacit::current();
  return c == &a ? "a" : c == &b ? "b" : c == &tacit::global() ? "heap" : "?";
}

struct Num {
  int v;
  bool operator>(int x) const { return v > x; }
};

#define TWICE(stmt) stmt stmt
// Inside a macro's definition (a directive line) a block keeps the brace form.
#define IN_ARENA(r, stmt) with_alloc(r) { stmt }

static int returns_from_block() {
  with_alloc(a) <
    std::printf("return: inside %s\n", ctx());
    return 7;
  >
}

int main() {
  // Nested, and `>>` closing two blocks at once.
  with_alloc(a) <
    int *p = new int(1);
    with_alloc(b) <
      int *q = new int(2);
      std::printf("nested: %s %s %s\n", who(p), who(q), ctx());
      // CHECK: nested: a b b
    >
    std::printf("after inner: %s\n", ctx());
    // CHECK: after inner: a
    with_alloc(b) < without_alloc < std::printf("double: %s\n", ctx()); >>
    // CHECK: double: heap
  >
  std::printf("outside: %s\n", ctx());
  // CHECK: outside: heap

  // Mixed with the brace form, both ways round.
  with_alloc(a) {
    without_alloc < std::printf("mixed 1: %s\n", ctx()); >
    // CHECK: mixed 1: heap
  }
  without_alloc < with_alloc(b) { std::printf("mixed 2: %s\n", ctx()); } >
  // CHECK: mixed 2: b

  // Empty blocks.
  with_alloc(a) < >
  without_alloc <>
  std::printf("empty: %s\n", ctx());
  // CHECK: empty: heap

  // Templates and `>>` inside; comparisons, shifts, braced-init-lists.
  with_alloc(a) <
    std::vector<std::vector<int>> *grid =
        new std::vector<std::vector<int>>(2, std::vector<int>(3));
    std::map<int, std::vector<int>> *m = new std::map<int, std::vector<int>>{{1, {2, 3}}};
    int x = 5, y = 3;
    int shifted = x << 2 >> 1;
    bool g = x > y;
    if (x > y && (y >> 1) < x) std::printf("cmp: %d %d\n", g, shifted);
    // CHECK: cmp: 1 10
    Num{5} > y ? void(std::printf("init-list > y\n")) : void();
    // CHECK: init-list > y
    std::vector<int> list{1, 2, 3};
    std::printf("templates: %s %s %s %s\n", who(grid), who((*grid)[1].data()),
                who(m), who(list.data()));
    // CHECK: templates: a a a a
    for (int i = 0; i > -1 && i < 2; ++i) { y += i; }
    char gt = '>', lt = '<';
    const char *s = "with_alloc(a) < not a block >";
    const char *raw = R"(without_alloc < >)";
    // with_alloc(b) < a comment >
    /* without_alloc < another > */
    std::printf("literals: %c%c %s %s %d\n", gt, lt, s, raw, y);
    // CHECK: literals: >< with_alloc(a) < not a block > without_alloc < > 4
  >

  // Lambdas: made and called inside a block, and holding a block.
  with_alloc(a) <
    auto make = [] { return new std::string("made by a lambda, long enough"); };
    std::string *s = make();
    auto cmp = [](int l, int r) { return l > r; };
    std::printf("lambda: %s %d\n", who(s), cmp(2, 1));
    // CHECK: lambda: a 1
  >
  auto in_b = [] { with_alloc(b) < return who(new int(3)); > };
  std::printf("lambda block: %s\n", in_b());
  // CHECK: lambda block: b

  // The header, in the angle form.
  std::string *on_r = nullptr, *on_heap = nullptr;
  header_strings(a, on_r, on_heap);
  std::vector<std::vector<long>> *grid = header_grid<long>(b, 3);
  std::printf("header: %s %s %s %s\n", header_where(on_r, a), who(on_heap),
              who(grid), who((*grid)[2].data()));
  // CHECK: header: r heap b b

  // Macros around a block (the angle block is in the macro's argument).
  int n = 0;
  int *last = nullptr;
  TWICE(with_alloc(a) < ++n; last = new int(n); >)
  IN_ARENA(b, std::printf("macro: %d %s %s\n", n, who(last), ctx());)
  // CHECK: macro: 2 a b

  // break, continue and return out of an angle block end its scope.
  for (int i = 0; i < 5; ++i) {
    with_alloc(a) <
      if (i == 1) continue;
      if (i == 3) break;
      std::printf("loop %d: %s\n", i, ctx());
    >
  }
  // CHECK: loop 0: a
  // CHECK-NEXT: loop 2: a
  std::printf("after loop: %s\n", ctx());
  // CHECK-NEXT: after loop: heap
  int r = returns_from_block();
  // CHECK: return: inside a
  std::printf("after return: %d %s\n", r, ctx());
  // CHECK: after return: 7 heap
}
