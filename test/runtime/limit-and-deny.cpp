// A refused allocation is std::bad_alloc inside the scope (null from the
// nothrow forms): an arena over its limit, and tacit::deny(). The context is
// intact after the exception.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdio>
#include <new>
#include <string>
#include <vector>

#include "ledger.hpp"

int main() {
  tacit::arena a;
  a.set_limit(64 * 1024);
  std::vector<std::string> v;
  std::size_t made = 0;
  try {
    with_alloc(a) {
      for (;;) { v.emplace_back(LONG_TEXT); keep(v); ++made; }
    }
  } catch (const std::bad_alloc&) {
    std::printf("limit: bad_alloc after %s strings, chunk bytes %zu <= limit %zu: %s\n",
                made > 100 ? "many" : "few", a.stats().chunk_bytes, a.limit(),
                a.stats().chunk_bytes <= a.limit() ? "yes" : "no");
  }
  // CHECK: limit: bad_alloc after many strings, chunk bytes {{[0-9]+}} <= limit 65536: yes
  std::printf("context after: %s\n", &tacit::current() == &tacit::global() ? "global" : "LEAKED");
  // CHECK: context after: global

  with_alloc(a) {
    int* p = new (std::nothrow) int[100000];
    keep(p);
    std::printf("nothrow over the limit: %s\n", p ? "non-null" : "null");
  }
  // CHECK: nothrow over the limit: null

  // deny(): a region proven allocation-free; anything that allocates throws.
  int sum = 0;
  with_alloc(tacit::deny()) {
    for (int i = 0; i < 1000; ++i) sum += i;  // allocation-free: fine
    try {
      std::string s = LONG_TEXT;
      keep(s);
      std::printf("deny: allocated?!\n");
    } catch (const std::bad_alloc&) {
      std::printf("deny: bad_alloc, sum %d\n", sum);
    }
    int* q = new (std::nothrow) int;
    keep(q);
    std::printf("deny nothrow: %s\n", q ? "non-null" : "null");
    std::printf("deny in context: %s\n", &tacit::current() == &tacit::deny() ? "yes" : "no");
  }
  // CHECK: deny: bad_alloc, sum 499500
  // CHECK: deny nothrow: null
  // CHECK: deny in context: yes
  std::printf("context after: %s\n", &tacit::current() == &tacit::global() ? "global" : "LEAKED");
  // CHECK: context after: global
}
