// tacit::arena: a first buffer is used before any chunk; reset() starts
// again without invalidating blocks that are still live; stats() counts.
// UNSUPPORTED: tacit-asan
// (under AddressSanitizer a reset keeps no idle chunk and fresh addresses are
// preferred, so freed memory stays poisoned: see docs/safety.md)
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "ledger.hpp"

ledger up("upstream");

bool inside(const void* p, const void* b, std::size_t n) {
  auto a = reinterpret_cast<std::uintptr_t>(p), s = reinterpret_cast<std::uintptr_t>(b);
  return a >= s && a < s + n;
}

int main() {
  alignas(64) static char buffer[16384];
  tacit::arena a(buffer, sizeof buffer, up);
  std::string* first;
  with_alloc(a) first = new std::string(LONG_TEXT);
  std::printf("first block in the buffer: %s, chunks %zu, upstream %zu\n",
              inside(first, buffer, sizeof buffer) ? "yes" : "no", a.stats().chunks, up.live());
  // CHECK: first block in the buffer: yes, chunks 0, upstream 0
  std::printf("owner: %s\n", tacit::owner_of(first) == &a ? "arena" : "other");
  // CHECK: owner: arena

  std::vector<std::string*> more;
  more.reserve(1000);
  with_alloc(a) for (int i = 0; i < 1000; ++i) more.push_back(new std::string(LONG_TEXT));
  auto s = a.stats();
  std::printf("overflow: chunks %zu, upstream %zu, allocations %zu, bytes %s\n",
              s.chunks, up.live(), s.allocations, s.bytes >= 1001 * sizeof(std::string) ? "counted" : "wrong");
  // CHECK: overflow: chunks [[C:[1-9][0-9]*]], upstream [[C]], allocations 2002, bytes counted

  // reset() with live blocks: they stay valid; their chunks stay until freed.
  a.reset();
  std::printf("after reset: allocations %zu, survivors intact: %s\n", a.stats().allocations,
              *more[999] == LONG_TEXT && *first == LONG_TEXT ? "yes" : "no");
  // CHECK: after reset: allocations 0, survivors intact: yes
  std::string* fresh;
  with_alloc(a) fresh = new std::string(LONG_TEXT);
  std::printf("fresh block does not overlap survivors: %s\n",
              fresh != more[0] && !inside(fresh, buffer, sizeof buffer) ? "yes" : "no");
  // CHECK: fresh block does not overlap survivors: yes
  for (auto* p : more) delete p;
  delete first;
  delete fresh;
  a.reset();
  // One idle chunk is kept to start again in; the rest went back upstream.
  std::printf("all freed and reset: upstream %zu\n", up.live());
  // CHECK: all freed and reset: upstream 1
  const std::size_t taken = up.allocations();
  with_alloc(a) first = new std::string(LONG_TEXT);
  std::printf("next block reuses the kept chunk: %s\n",
              up.live() == 1 && up.allocations() == taken ? "yes" : "no");
  // CHECK: next block reuses the kept chunk: yes
  delete first;

  // A reset while the first buffer is idle goes back to the buffer. (One
  // that still held live blocks at a reset was let go, and is not reused.)
  alignas(64) static char buffer2[4096];
  tacit::arena b(buffer2, sizeof buffer2, up);
  with_alloc(b) { std::string t = LONG_TEXT; keep(t); }
  b.reset();
  with_alloc(b) first = new std::string(LONG_TEXT);
  std::printf("after an idle reset the buffer is reused: %s\n", inside(first, buffer2, sizeof buffer2) ? "yes" : "no");
  // CHECK: after an idle reset the buffer is reused: yes
  delete first;
}
