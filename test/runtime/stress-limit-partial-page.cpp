// set_limit on an arena whose upstream is not the system (another arena, or
// a foreign resource): when the limit is smaller than the chunk the arena
// wants, it takes what room is left. Every block of that chunk must still be
// found by operator delete and owner_of, up to the last byte of the chunk.
//
// A regression test: this failed until a06546b ("a limited chunk takes whole
// pages only"). acquire_chunk (arena.cpp) shrank `want` to
// std::max(min_size, room) for non-system upstreams, and `room` (limit minus
// bytes held) need not be a multiple of the page size. A 10000-byte chunk was
// taken; claim_pages registered only its first two whole pages, so blocks in
// the tail [8192, 10000) belonged to nobody: with an arena upstream the page
// table named the host arena's chunk (the free was counted against the host),
// with a foreign upstream the free fell through to std::free() on an
// interior pointer of the ledger's block (glibc aborted: "free(): invalid
// pointer").
// UNSUPPORTED: tacit-check
// (its blocks outlive their scope on purpose: checked mode reports them on
// the stderr this test reads)
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t 2>&1 | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdio>
#include <new>

#include "ledger.hpp"

static void run(const char* name, std::pmr::memory_resource& up) {
  tacit::arena n(up);
  n.set_limit(10000);
  char* blocks[200];
  int count = 0;
  with_alloc(n) {
    for (; count < 200; ++count) {
      char* p = new (std::nothrow) char[64];
      if (!p) break;
      keep(p);
      blocks[count] = p;
    }
  }
  int foreign = 0;
  for (int i = 0; i < count; ++i)
    if (tacit::owner_of(blocks[i]) != &n) ++foreign;
  std::printf("%s: %d blocks under the limit, %d not owned by the arena\n", name,
              count, foreign);
  for (int i = 0; i < count; ++i) delete[] blocks[i];
  std::printf("%s: freed\n", name);
}

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  {
    tacit::arena host;  // system
    run("arena upstream", host);
  }
  // CHECK: arena upstream: {{[0-9]+}} blocks under the limit, 0 not owned by the arena
  // CHECK-NEXT: arena upstream: freed
  {
    ledger up("up");
    run("ledger upstream", up);
    std::printf("ledger live: %zu\n", up.live());
  }
  // CHECK-NEXT: ledger upstream: {{[0-9]+}} blocks under the limit, 0 not owned by the arena
  // CHECK-NEXT: ledger upstream: freed
  // CHECK-NEXT: ledger live: 0
}
