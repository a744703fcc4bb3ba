// Many arenas with a first buffer alive at once: a recursive function that
// gives each level a small arena on a stack buffer (a common pattern for
// parsers and tree walks). 300 levels must work, each level's blocks on its
// own arena.
//
// A regression test: this failed until 5583ef3 ("first-buffer table grows in
// segments"). First-buffer ranges lived in a fixed table of 256 entries
// (ownership.cpp), and the 257th live arena with a first buffer aborted the
// program ("more than 256 arenas with a first buffer are alive at once").
// The table now grows in segments that never move (the lock-free reader
// scans them); past its last segment an arena does without its first buffer
// (docs/reference.md, "Limits and decisions").
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
