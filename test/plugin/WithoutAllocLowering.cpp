// FILE: test/plugin/WithoutAllocLowering.cpp
// DESCRIPTION: WithoutAllocLowering (plugin/core/WithoutAllocLowering.cpp):
//   the body of a [[tacit::without(alloc)]] function runs on the global heap
//   whatever its caller's context — free, member, inline, out-of-line,
//   template, lambda, virtual, constructor and destructor bodies; every return
//   path; an exception thrown out of it — and the caller's context is back
//   afterwards. Compiled and run at -O0 and -O2.
// REQUIRES: plugin
// RUN: %tacitxx -std=c++20 -Wno-c++23-lambda-attributes -O0 %s -o %t.O0 && %t.O0 | FileCheck %s
// RUN: %tacitxx -std=c++20 -Wno-c++23-lambda-attributes -O2 %s -o %t.O2 && %t.O2 | FileCheck %s
#include <tacit/alloc.hpp>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

static const char *where() {
  return &tacit::current() == &tacit::global() ? "heap" : "arena";
}

[[tacit::without(alloc)]] const char *plain() { return where(); }
[[tacit::without(alloc)]] int paths(int x) {
  if (x > 0) {
    std::printf("paths(1) %s\n", where());
    return 1;
  }
  for (int i = 0; i < 3; ++i)
    if (i == 1) {
      std::printf("paths(0) loop %s\n", where());
      return 2;
    }
  return 3;
}
[[tacit::without(alloc)]] void throws() {
  std::printf("throws %s\n", where());
  throw std::runtime_error("out");
}
struct Cache {
  [[tacit::without(alloc)]] Cache() { std::printf("constructor %s\n", where()); }
  [[tacit::without(alloc)]] ~Cache() { std::printf("destructor %s\n", where()); }
  [[tacit::without(alloc)]] const char *inline_member() { return where(); }
  const char *out_of_line();
  TACIT_WITHOUT_ALLOC virtual const char *virt() { return where(); }
};
[[tacit::without(alloc)]] const char *Cache::out_of_line() { return where(); }
template <class T> [[tacit::without(alloc)]] const char *templ(T) { return where(); }

// A cache that must outlive every scope: filled on the heap.
std::vector<std::string> &names() {
  static std::vector<std::string> v;
  return v;
}
[[tacit::without(alloc)]] void remember(const char *s) { names().emplace_back(s); }

int main() {
  tacit::arena a;
  with_alloc(a) {
    std::printf("before %s\n", where());
    // CHECK: before arena
    std::printf("plain %s\n", plain());
    // CHECK-NEXT: plain heap
    paths(1);
    // CHECK-NEXT: paths(1) heap
    paths(0);
    // CHECK-NEXT: paths(0) loop heap
    std::printf("after returns %s\n", where());
    // CHECK-NEXT: after returns arena
    try {
      throws();
    } catch (const std::exception &) {
      std::printf("caught %s\n", where());
    }
    // CHECK-NEXT: throws heap
    // CHECK-NEXT: caught arena
    {
      Cache c;
      // CHECK-NEXT: constructor heap
      std::printf("inline %s\n", c.inline_member());
      // CHECK-NEXT: inline heap
      std::printf("out of line %s\n", c.out_of_line());
      // CHECK-NEXT: out of line heap
      Cache *p = &c;
      std::printf("virtual %s\n", p->virt());
      // CHECK-NEXT: virtual heap
    }
    // CHECK-NEXT: destructor heap
    std::printf("template %s %s\n", templ(1), templ(2.0));
    // CHECK-NEXT: template heap heap
    auto l = [] [[tacit::without(alloc)]] () { return where(); };
    std::printf("lambda %s\n", l());
    // CHECK-NEXT: lambda heap
    remember("a name long enough to need the heap, not the small buffer");
    std::printf("after %s\n", where());
    // CHECK-NEXT: after arena
  }
  std::printf("outside %s, %zu arena bytes, %zu names\n", where(),
              a.stats().bytes, names().size());
  // CHECK-NEXT: outside heap, 0 arena bytes, 1 names
}
