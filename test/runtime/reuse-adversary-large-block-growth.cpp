// Blocks over 1 KiB are reused too (free lists in classes a quarter of a
// power of two apart, up to 64 KiB; asked by refill before a new chunk). A
// long scope churning 1-4 KiB blocks (64 alive at once, at most 256 KiB)
// beside a few small long-lived ones must stay near its working set. Before
// the large lists (found by an adversarial pass), such blocks came back only
// when their whole chunk emptied, which the long-lived ones prevented: 40 MiB
// of chunks after 20,000 steps, 512 MiB after 200,000.
// UNSUPPORTED: tacit-asan, tacit-check
// (reuse is off by design under AddressSanitizer and in checked mode)
// RUN: %tacitxx -std=c++20 -O2 %s -o %t && %t | FileCheck %s
// Larger blocks too: 5-65 KiB (the large lists' whole range; a block of
// exactly 64 KiB once fell out of them and drifted down a class at each
// reuse: 159 MiB after 20,000 steps), and 64-215 KiB (no list holds them:
// they need chunks of their own, which empty and are taken again; when such
// chunks counted towards growth, 2.3 GB after 20,000 steps).
// RUN: %tacitxx -std=c++20 -O2 -DSTEPS=20000 -DNMIN=5000 -DNSPAN=60000 %s -o %t.mid && %t.mid | FileCheck %s
// RUN: %tacitxx -std=c++20 -O2 -DSTEPS=20000 -DNMIN=65537 -DNSPAN=150000 %s -o %t.big && %t.big | FileCheck %s
// CHECK: chunk memory: within 16 times the most alive at once
#include <tacit/alloc.hpp>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#ifndef STEPS
#define STEPS 400000
#define NMIN 1025
#define NSPAN 3000
#endif
void* volatile sink;
int main() {
  tacit::arena a;
  std::size_t at_tenth = 0;
  const int steps = STEPS;
  with_alloc(a) {
    std::mt19937 rng(1);
    static char* live[64];
    static std::size_t live_n[64];
    static char* keep[400];
    int kept = 0;
    for (int i = 0; i < steps; ++i) {
      int slot = rng() % 64;
      if (live[slot]) ::operator delete(live[slot], live_n[slot]);
      std::size_t n = NMIN + rng() % NSPAN;
      live[slot] = static_cast<char*>(::operator new(n));
      live_n[slot] = n;
      std::memset(live[slot], 1, 64);
      sink = live[slot];
      if (i % 500 == 0 && kept < 400) { keep[kept++] = static_cast<char*>(::operator new(64)); sink = keep[kept-1]; }
      if (i == steps / 10) at_tenth = a.stats().chunk_bytes;
    }
    for (int s = 0; s < 64; ++s) if (live[s]) ::operator delete(live[s], live_n[s]);
    for (int k = 0; k < kept; ++k) ::operator delete(keep[k], 64);
  }
  std::fprintf(stderr, "chunk bytes %zu at a tenth, %zu at the end\n", at_tenth, a.stats().peak_chunk_bytes);
  // At most 64 blocks of at most NMIN + NSPAN bytes alive at once, and 400
  // of 64 bytes.
  const std::size_t most_alive = 64 * std::size_t{NMIN + NSPAN} + 400 * 64;
  std::printf("chunk memory: %s 16 times the most alive at once\n",
              a.stats().peak_chunk_bytes <= 16 * most_alive ? "within" : "BEYOND");
}
