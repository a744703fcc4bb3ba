// Inside with_alloc(R), R any std::pmr::memory_resource: stock std:: types
// allocate from R, and every block comes back to R with the size and the
// alignment it was made with (the ledger aborts on any mismatch). Outside
// any scope nothing reaches R.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "ledger.hpp"

ledger r("R");

template <class F>
void check(const char* what, F run) {
  auto before = r.allocations();
  with_alloc(r) { run(); }  // builds, uses and destroys the objects
  std::printf("%s: %zu made, %zu live after\n", what,
              r.allocations() - before, r.live());
}

int main() {
  check("vector", [] { std::vector<int> v(100, 7); v.push_back(1); keep(v); });
  // CHECK: vector: {{[1-9][0-9]*}} made, 0 live after
  check("string", [] { std::string s = LONG_TEXT; s += s; keep(s); });
  // CHECK: string: {{[1-9][0-9]*}} made, 0 live after
  check("unordered_map", [] {
    std::unordered_map<std::string, int> m;
    for (int i = 0; i < 50; ++i) m[std::to_string(i) + LONG_TEXT] = i;
    keep(m);
  });
  // CHECK: unordered_map: {{[1-9][0-9]*}} made, 0 live after
  check("map", [] { std::map<int, int> m; for (int i = 0; i < 50; ++i) m[i] = i; keep(m); });
  // CHECK: map: {{[1-9][0-9]*}} made, 0 live after
  check("function", [] {
    char big[64] = {1};
    std::function<int()> f = [big] { return int(big[0]); };
    keep(f);
    if (f() != 1) std::abort();
  });
  // CHECK: function: {{[1-9][0-9]*}} made, 0 live after
  check("make_shared", [] { auto p = std::make_shared<std::string>(LONG_TEXT); keep(p); });
  // CHECK: make_shared: {{[1-9][0-9]*}} made, 0 live after
  check("to_string", [] { std::string s = std::to_string(1.5) + LONG_TEXT; keep(s); });
  // CHECK: to_string: {{[1-9][0-9]*}} made, 0 live after
  check("new T", [] {
    int* n = new int(1);
    if (tacit::owner_of(n) != &r) std::abort();
    delete n;
    auto* arr = new double[1000];
    keep(arr);
    delete[] arr;
  });
  // CHECK: new T: 2 made, 0 live after

  // A block made in the scope, freed after it: still reaches R.
  std::string* kept;
  with_alloc(&r) { kept = new std::string(LONG_TEXT); }
  std::printf("kept: owner %s, live %zu\n", tacit::owner_of(kept) == &r ? "R" : "not R", r.live());
  // CHECK: kept: owner R, live 2
  delete kept;
  std::printf("after delete: live %zu\n", r.live());
  // CHECK: after delete: live 0

  // Outside any scope nothing reaches R.
  auto before = r.allocations();
  { std::vector<std::string> v(20, LONG_TEXT); std::map<int, int> m{{1, 2}}; }
  std::printf("outside: %zu made\n", r.allocations() - before);
  // CHECK: outside: 0 made

  // The standard's own pmr resources work as scopes too.
  {
    std::pmr::monotonic_buffer_resource mono;
    std::pmr::unsynchronized_pool_resource pool;
    std::vector<std::string>* v1 = nullptr;
    with_alloc(mono) {
      std::vector<std::string> v(30, LONG_TEXT);
      v1 = new std::vector<std::string>(v);
    }
    std::printf("monotonic: owner %s\n", tacit::owner_of(v1->data()) == &mono ? "mono" : "not mono");
    // CHECK: monotonic: owner mono
    delete v1;
    with_alloc(pool) {
      std::vector<std::string> v(100, LONG_TEXT);
      std::printf("pool: owner %s\n", tacit::owner_of(v.data()) == &pool ? "pool" : "not pool");
      // CHECK: pool: owner pool
    }
  }
  std::printf("done\n");
  // CHECK: done
}
