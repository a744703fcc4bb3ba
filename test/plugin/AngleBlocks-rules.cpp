// FILE: test/plugin/AngleBlocks-rules.cpp
// DESCRIPTION: AngleBlocks (plugin/core/AngleBlocks.cpp): where an angle
//   block ends, shown through the rewrite itself. tacit-lower prints the file
//   as the parser reads it; each case is followed by the line it must become
//   (a `>` that ends a block stands where a statement could begin: after the
//   block's `<`, a `;`, a statement block's `}`, or a nested block's end).
//   The printed file compiles and runs without the plugin.
// REQUIRES: tacit-lower
// RUN: %tacit_lower %s -- -std=c++20 -Wno-unused-value -Wno-unused-comparison %include > %t.cpp
// RUN: FileCheck %s --match-full-lines --strict-whitespace < %t.cpp
// RUN: %clangxx -std=c++20 -Wno-unused-value -Wno-unused-comparison %include %t.cpp %tacit_static -o %t.exe
// RUN: %t.exe | FileCheck %s --check-prefix=EXEC
#include <tacit/alloc.hpp>
#include <cstdio>
#include <map>
#include <vector>

#define BLOCK_IN_DIRECTIVE with_alloc(a) < n++; >
// CHECK:#define BLOCK_IN_DIRECTIVE with_alloc(a) < n++; >
struct T { int v; bool operator>(int x) const { return v > x; } };

int run(tacit::arena &a, int n) {
  with_alloc(a) < std::vector<std::vector<int>> v(2); std::map<int, std::vector<int>> m; n += v.size() > 1; >
// CHECK:  with_alloc(a) { std::vector<std::vector<int>> v(2); std::map<int, std::vector<int>> m; n += v.size() > 1; }
  with_alloc(a) < if (n > 1) n = n << 2 >> 1; bool g = n > 2; n += g; n >>= 0; >
// CHECK:  with_alloc(a) { if (n > 1) n = n << 2 >> 1; bool g = n > 2; n += g; n >>= 0; }
  with_alloc(a) < T{1} > n; n++; >
// CHECK:  with_alloc(a) { T{1} > n; n++; }
  with_alloc(a) < T t = {2}; t > n; >
// CHECK:  with_alloc(a) { T t = {2}; t > n; }
  with_alloc(a) < if (n) { n++; } > n++;
// CHECK:  with_alloc(a) { if (n) { n++; } } n++;
  with_alloc(a) < if (n) { n++; } else { n--; } >
// CHECK:  with_alloc(a) { if (n) { n++; } else { n--; } }
  with_alloc(a) < do { n--; } while (n > 100); >
// CHECK:  with_alloc(a) { do { n--; } while (n > 100); }
  with_alloc(a) < try { n++; } catch (...) { } >
// CHECK:  with_alloc(a) { try { n++; } catch (...) { } }
  with_alloc(a) < struct S { int f() const { return 1; } }; n += S{}.f() > 0; >
// CHECK:  with_alloc(a) { struct S { int f() const { return 1; } }; n += S{}.f() > 0; }
  with_alloc(a) < auto gt = [](int l, int r) { return l > r; }; n += gt(2, 1); >
// CHECK:  with_alloc(a) { auto gt = [](int l, int r) { return l > r; }; n += gt(2, 1); }
  with_alloc(a) < without_alloc < n++; >>
// CHECK:  with_alloc(a) { without_alloc { n++; }}
  with_alloc(a) < without_alloc < > with_alloc(a) <> >
// CHECK:  with_alloc(a) { without_alloc { } with_alloc(a) {} }
  with_alloc(a) { without_alloc < n++; > }
// CHECK:  with_alloc(a) { without_alloc { n++; } }
  for (int i = 0; i < 2; ++i) with_alloc(a) < if (i > 0) break; n++; >
// CHECK:  for (int i = 0; i < 2; ++i) with_alloc(a) { if (i > 0) break; n++; }
  with_alloc(a) < const char *s = "with_alloc(a) < >"; char c = '>'; n += s[0] > c; /* > */ > // >
// CHECK:  with_alloc(a) { const char *s = "with_alloc(a) < >"; char c = '>'; n += s[0] > c; /* > */ } // >
  with_alloc(a) < return n > 100 ? 0 : n; >
// CHECK:  with_alloc(a) { return n > 100 ? 0 : n; }
}

int main() {
  tacit::arena a;
  std::printf("%d\n", run(a, 1));
  // EXEC: 15
}
