// Many arenas with a first buffer alive at once: a recursive function that
// gives each level a small arena on a stack buffer (a common pattern for
// parsers and tree walks). 300 levels must work, each level's blocks on its
// own arena.
//
// Fails today: first-buffer ranges live in a fixed table of 256 entries
// (ownership.cpp, max_buffers); add_buffer_range calls fatal("more than 256
// arenas with a first buffer are alive at once") and the program aborts.
// Nothing in SPEC or docs/design.md limits the number of arenas. Fix: when
// the table is full, let the arena run without its first buffer (take
// chunks from upstream), or make the table grow in segments that are never
// moved (the lock-free reader scans them).
// UNSUPPORTED: tacit-check
// (its blocks outlive their scope on purpose: checked mode reports them on
// the stderr this test reads)
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t 2>&1 | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdio>
#include <cstring>

#include "ledger.hpp"

static int level(int d) {
  alignas(64) char buf[1024];
  tacit::arena a(buf, sizeof buf);
  int ok = 0;
  char* p;
  with_alloc(a) {
    p = new char[32];
    keep(p);
  }
  std::memset(p, 'x', 32);
  ok = tacit::owner_of(p) == &a;
  if (d > 0) ok += level(d - 1);
  delete[] p;
  return ok;
}

int main() {
  std::printf("levels on their own arena: %d of 300\n", level(299));
  // CHECK-NOT: tacit:
  // CHECK: levels on their own arena: 300 of 300
}
