// alignas(64 / 128 / 4096) types made with new inside a scope are aligned,
// on an arena and on a foreign resource, and their aligned frees reach the
// resource with that alignment (the ledger checks it).
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdint>
#include <cstdio>
#include <vector>

#include "ledger.hpp"

struct alignas(64) line { char c[64]; };
struct alignas(128) pair_of_lines { char c[128]; };
struct alignas(4096) page { char c[4096]; };

template <class T>
bool aligned(const T* p) { return reinterpret_cast<std::uintptr_t>(p) % alignof(T) == 0; }

template <class T>
void probe(const char* name, std::pmr::memory_resource& r) {
  bool ok = true;
  std::vector<T*> made;
  with_alloc(r) {
    for (int i = 0; i < 20; ++i) {
      auto* small = new char;  // knock the bump pointer off alignment
      made.push_back(new T);
      ok = ok && aligned(made.back()) && tacit::owner_of(made.back()) == &r;
      delete small;
    }
    std::vector<T> v(5);  // std::allocator<T> uses aligned new too
    ok = ok && aligned(v.data());
  }
  for (T* p : made) delete p;
  std::printf("%s %zu: %s\n", name, alignof(T), ok ? "aligned, owned" : "WRONG");
}

ledger led;

int main() {
  tacit::arena a;
  probe<line>("arena", a);
  probe<pair_of_lines>("arena", a);
  probe<page>("arena", a);
  // CHECK: arena 64: aligned, owned
  // CHECK: arena 128: aligned, owned
  // CHECK: arena 4096: aligned, owned
  probe<line>("ledger", led);
  probe<pair_of_lines>("ledger", led);
  probe<page>("ledger", led);
  // CHECK: ledger 64: aligned, owned
  // CHECK: ledger 128: aligned, owned
  // CHECK: ledger 4096: aligned, owned
  std::printf("ledger live %zu\n", led.live());
  // CHECK: ledger live 0
}
