// A shared library compiled without Tacit and loaded with dlopen follows the
// context too: its operator new is the program's (the runtime's definitions
// are exported from the executable), and its function-local statics are
// built on the global heap.
// RUN: %clangxx -std=c++20 -O2 -fPIC -shared %S/Inputs/plain-library.cpp -o %t.so
// RUN: %tacitxx -std=c++20 -O2 -DLIBRARY='"%t.so"' %s -o %t
// RUN: %t | FileCheck %s
#include <tacit/alloc.hpp>

#include <dlfcn.h>

#include <cstdio>

int main() {
  void* lib = dlopen(LIBRARY, RTLD_NOW);
  if (!lib) return std::printf("dlopen: %s\n", dlerror()), 1;
  auto make = reinterpret_cast<const void* (*)()>(dlsym(lib, "lib_make"));
  auto cached = reinterpret_cast<const void* (*)()>(dlsym(lib, "lib_cached"));
  tacit::arena a;
  const void *made, *cache;
  with_alloc(a) {
    made = make();
    cache = cached();
  }
  std::printf("library's new: %s\n", tacit::owner_of(made) == &a ? "on the arena" : "elsewhere");
  std::printf("library's static: %s\n", tacit::owner_of(cache) == &tacit::global() ? "global heap" : "elsewhere");
  // CHECK: library's new: on the arena
  // CHECK: library's static: global heap
}
