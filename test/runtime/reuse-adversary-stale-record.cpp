// Fixed: an arena block's free in the slow path forgets the records inside
// it, and an emptied chunk forgets those inside it (free.cpp, arena.cpp
// chunk_emptied). The report that found it:
// (arena reuse): memory an arena takes back while it lives keeps the
// foreign block records made inside it. A std::pmr::monotonic_buffer_resource
// whose upstream is the arena (the default resource, in the arena's scope)
// hands out blocks through operator new in with_alloc(mono): each gets a
// record. mono.release() gives its buffer back to the arena without freeing
// those blocks; when the buffer's first block is not a recorded one,
// take_record finds no record at the buffer's address, so nothing is
// forgotten (free_slow forgets only on take_result::containing). The arena
// then reuses the buffer's memory: here the buffer was the last block bumped
// and gives its bytes back to the bump (free_in_chunk); a parked buffer or an
// emptied, rewound chunk (chunk_emptied) would do the same. A new arena
// block at a recorded address is then taken for mono's:
// tacit::owner_of names mono, and its sized delete goes to mono.deallocate
// (a no-op) instead of the arena — the arena's chunk never sees the free, so
// it is never returned upstream (the ledger reports it live after the arena
// is gone). Before reuse the memory could only come back through
// release_chunk / reset, which call forget_records_in; chunk_emptied,
// free_in_chunk's parking and the bump give-back do not.
// UNSUPPORTED: tacit-asan, tacit-check
// (reuse is off there)
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdio>
#include <memory_resource>

#include "ledger.hpp"

void* got[256];

int main() {
  ledger up("upstream");
  {
    tacit::arena a(up);
    // Its upstream is the default resource: operator new, in the arena.
    std::pmr::monotonic_buffer_resource mono(400);
    void* recorded = nullptr;
    int n = 0;
    bool hit = false;
    with_alloc(a) {
      (void)mono.allocate(8, 8);  // first bytes of the buffer: no record
      with_alloc(mono) { recorded = new long[2]; }  // recorded, never freed
      mono.release();  // the buffer goes back to the arena (the last block
                       // bumped: its bytes go back to the bump)
      for (; n < 256 && !hit; ++n) {
        got[n] = ::operator new(16);
        hit = got[n] == recorded;
      }
      int wrong = 0;
      for (int i = 0; i < n; ++i) wrong += tacit::owner_of(got[i]) != &a;
      std::printf("arena blocks another resource claims: %d\n", wrong);
      for (int i = 0; i < n; ++i) ::operator delete(got[i], 16);
    }
  }
  std::printf("upstream blocks live after the arena: %zu\n", up.live());
}
// CHECK: arena blocks another resource claims: 0
// CHECK-NEXT: upstream blocks live after the arena: 0
