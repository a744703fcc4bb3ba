// Stale block records and arena reset (docs/internals.md, "Stale records"): a
// monotonic resource drops its blocks without freeing them. When its buffer
// lives in a tacit::arena and the arena is reset, the arena reuses that
// memory; a block it hands out at the address of a dropped block must be
// freed to the arena, not to the dead monotonic resource.
//
// A regression test: this failed until a06546b ("reset() forgets stale
// foreign records in the chunk it keeps"). The runtime forgot records when
// memory went back to the global heap or when a released chunk returned
// upstream, but arena::reset() (arena.cpp) kept one idle chunk and rewound
// it without calling forget_records_in() on it. The record {mono} for the
// dropped block survived; the new arena block at the same address was found
// by take_record in free_slow and "freed" by calling deallocate on the
// destroyed monotonic_buffer_resource (a virtual call through a dead object:
// a crash, or a silent leak of the arena block).
// UNSUPPORTED: tacit-asan
// (under AddressSanitizer a reset keeps no idle chunk and fresh addresses are
// preferred, so freed memory stays poisoned: see docs/safety.md)
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdio>
#include <memory_resource>

#include "ledger.hpp"

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  ledger up("up");
  {
    tacit::arena a(up);
    char* x;
    with_alloc(a) {
      std::pmr::monotonic_buffer_resource mono;  // its buffer: a block of `a`
      char* d;
      with_alloc(mono) {
        d = new char[16];
        keep(d);
        x = new char[32];  // dropped below, never freed (monotonic style)
        keep(x);
      }
      delete[] d;
      std::printf("x on mono: %s\n", tacit::owner_of(x) == &mono ? "yes" : "no");
    }  // mono gives its buffer back to `a`, dropping x
    a.reset();  // the now idle chunk is kept and rewound
    char* blocks[4096];
    int n = 0;
    char* hit = nullptr;
    with_alloc(a) {
      for (; n < 4096 && !hit; ++n) {
        char* p = new char[16];
        keep(p);
        blocks[n] = p;
        if (p == x) hit = p;
      }
    }
    std::printf("address of x handed out again: %s\n", hit ? "yes" : "no");
    std::printf("its owner: %s\n", tacit::owner_of(hit) == &a ? "the arena" : "not the arena");
    for (int i = 0; i < n; ++i) delete[] blocks[i];
    std::printf("freed\n");
  }
  std::printf("up live after the arena: %zu\n", up.live());
  // CHECK: x on mono: yes
  // CHECK-NEXT: address of x handed out again: yes
  // CHECK-NEXT: its owner: the arena
  // CHECK-NEXT: freed
  // CHECK-NEXT: up live after the arena: 0
}
