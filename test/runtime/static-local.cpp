// A function-local static first reached inside a scope is initialised on
// the global heap: a cache must not land in a short-lived arena.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
// RUN: %tacitxx -std=c++20 -O0 %support %s -o %t0 && %t0 | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdio>
#include <map>
#include <string>

#include "ledger.hpp"

const std::string& greeting() {
  static const std::string g = std::string(LONG_TEXT) + " (cached)";
  return g;
}

std::map<int, std::string>& cache() {
  static std::map<int, std::string> c = [] {
    std::map<int, std::string> m;
    m[1] = greeting();  // nested static initialisation
    std::printf("initialiser runs on: %s\n", &tacit::current() == &tacit::global() ? "global" : "scope");
    return m;
  }();
  return c;
}

int main() {
  const void* data;
  {
    tacit::arena a;
    with_alloc(a) {
      data = cache()[1].data();
      std::printf("back in the scope: %s\n", &tacit::current() == &a ? "arena" : "other");
      std::string s = LONG_TEXT;  // the scope still applies to ordinary code
      keep(s);
      std::printf("ordinary string owner: %s\n", tacit::owner_of(s.data()) == &a ? "arena" : "other");
    }
  }
  // CHECK: initialiser runs on: global
  // CHECK: back in the scope: arena
  // CHECK: ordinary string owner: arena
  std::printf("cache owner: %s, greeting owner: %s\n",
              tacit::owner_of(data) == &tacit::global() ? "global" : "other",
              tacit::owner_of(greeting().data()) == &tacit::global() ? "global" : "other");
  // CHECK: cache owner: global, greeting owner: global
  std::printf("intact: %s\n", cache()[1] == greeting() ? "yes" : "no");
  // CHECK: intact: yes
}
