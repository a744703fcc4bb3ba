// Linking the shared runtime (libtacit.so) by hand works too, when no
// preloaded allocator brings its own operator new.
// RUN: %clangxx -std=c++20 -O2 %include %support %s %tacit_shared -Wl,-rpath,%{tacit_shared_dir} -o %t && %t | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdio>
#include <vector>

#include "ledger.hpp"

int main() {
  tacit::arena a;
  std::vector<int> v;
  with_alloc(a) { v.assign(1000, 1); keep(v); }
  std::printf("shared runtime: owner %s\n", tacit::owner_of(v.data()) == &a ? "arena" : "other");
  // CHECK: shared runtime: owner arena
}
