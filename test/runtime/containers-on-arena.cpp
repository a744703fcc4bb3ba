// Stock std:: types inside with_alloc(tacit::arena) allocate from the arena;
// outside any scope nothing reaches it.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
// RUN: %tacitxx -std=c++20 -O0 %support %s -o %t0 && %t0 | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "ledger.hpp"

tacit::arena a;

template <class F>
void check(const char* what, F make) {
  auto before = a.stats().allocations;
  const void* p = make();
  auto made = a.stats().allocations - before;
  std::printf("%s: %s, %s\n", what, made > 0 ? "on the arena" : "NOT on the arena",
              !p ? "(no pointer to ask about)"
              : tacit::owner_of(p) == &a ? "owner is the arena" : "owner is NOT the arena");
}

int main() {
  // Kept alive past the scope, then freed by their destructors at exit.
  static std::vector<int> v;
  static std::string s;
  static std::unordered_map<std::string, int> um;
  static std::map<int, std::string> m;
  static std::function<int()> fn;
  static std::shared_ptr<std::vector<int>> sp;
  static std::string ts;
  static int* n;

  with_alloc(a) {
    check("vector", [] { v.assign(100, 7); return (const void*)v.data(); });
    check("string", [] { s = LONG_TEXT; return (const void*)s.data(); });
    check("unordered_map", [] { um[LONG_TEXT] = 1; return (const void*)&*um.begin(); });
    check("map", [] { m[1] = "x"; return (const void*)&*m.begin(); });
    check("function", [] {
      char big[64] = {1};
      fn = [big] { return int(big[0]); };  // too big for the small buffer
      return (const void*)nullptr;
    });
    check("make_shared", [] { sp = std::make_shared<std::vector<int>>(3); return (const void*)sp.get(); });
    check("to_string", [] { ts = std::to_string(12345678) + LONG_TEXT; return (const void*)ts.data(); });
    check("new T", [] { n = new int(42); return (const void*)n; });
  }
  // CHECK: vector: on the arena, owner is the arena
  // CHECK-NEXT: string: on the arena, owner is the arena
  // CHECK-NEXT: unordered_map: on the arena, owner is the arena
  // CHECK-NEXT: map: on the arena, owner is the arena
  // CHECK-NEXT: function: on the arena, (no pointer to ask about)
  // CHECK-NEXT: make_shared: on the arena, owner is the arena
  // CHECK-NEXT: to_string: on the arena, owner is the arena
  // CHECK-NEXT: new T: on the arena, owner is the arena

  // Outside the scope: the global heap, the arena is not touched.
  auto before = a.stats().allocations;
  std::vector<std::string> outside(10, LONG_TEXT);
  int* k = new int(1);
  std::printf("outside: %zu arena allocations, owner %s\n",
              a.stats().allocations - before,
              tacit::owner_of(k) == &tacit::global() ? "global" : "NOT global");
  // CHECK-NEXT: outside: 0 arena allocations, owner global
  delete k;
  delete n;
  std::printf("value %d %zu %s\n", fn(), v.size(), s.c_str());
  // CHECK-NEXT: value 1 100 a string comfortably longer
}
