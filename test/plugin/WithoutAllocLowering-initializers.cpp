// FILE: test/plugin/WithoutAllocLowering-initializers.cpp
// DESCRIPTION: a [[tacit::without(alloc)]] constructor's member and base
//   initializers run before its (lowered) body, in the caller's context: each
//   one that may allocate is a warning; constant ones, trivial ones and
//   implicit default constructions are not.
// REQUIRES: plugin
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin %include -Xclang -verify %s
// RUN: not %clangxx -std=c++20 -fsyntax-only %plugin -fplugin-arg-tacit-werror %include %s 2>&1 | FileCheck %s --check-prefix=WERROR
#include <tacit/alloc.hpp>
#include <string>
#include <vector>

struct Base {
  Base(int n) : v(n, 1) {}
  std::vector<int> v;
};

struct Cache : Base {
  [[tacit::without(alloc)]] Cache(); // expected-note 3 {{'Cache' is declared [[tacit::without(alloc)]] here}}
  std::vector<int> hot = std::vector<int>(100, 7); // expected-warning {{the initializer of 'hot' runs before the body of [[tacit::without(alloc)]] constructor 'Cache', so in the caller's allocator context}}
  std::string name;
  int count = 0;
  std::vector<int> filled;
};

Cache::Cache()
    : Base(10),     // expected-warning {{the initializer of 'Base' runs before the body}}
      name(100, 'x'), // expected-warning {{the initializer of 'name' runs before the body}}
      count(3) {
  filled.assign(5, 1);  // in the body: on the global heap
}

// Nothing to warn about: constant and trivial initializers only.
struct Counter {
  [[tacit::without(alloc)]] Counter() : n(0), p(nullptr) { log.reserve(8); }
  int n;
  int* p;
  std::vector<int> log;
};

// A constructor that is not without(alloc): its initializers are ordinary.
struct Plain {
  Plain() : s(100, 'y') {}
  std::string s;
};

int main() {
  Cache c;
  Counter k;
  Plain p;
}
// WERROR: error: the initializer of 'hot' runs before the body
