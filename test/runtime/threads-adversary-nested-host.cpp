// Arenas nest while threads share them.
// 1. A host arena (on a strict upstream) shared by eight threads that
//    tacit::bind carried there: four work in the host itself, four each make
//    an arena of their own inside it (its upstream is the host: their
//    chunks are blocks of their thread's lane of the host); meanwhile the
//    home thread makes an arena inside the host too and fans it out to four
//    more threads. Ten rounds, a new host each.
// 2. An arena inside a std::pmr::unsynchronized_pool_resource (its chunks
//    come from the pool, one call at a time), carried into eight threads
//    while the home thread works in it and then in the pool itself.
// Every result equals the same work on the global heap, every block is
// owned by the arena that made it, and the strict upstream ends empty (it
// aborts on any free it did not hand out exactly).
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
// Checked mode: nothing outlives its scope; the arenas are shared by design
// and the pool is never allocated into by two threads at once.
// RUN: env TACIT_CHECK=1 %t 2>&1 | FileCheck %s --check-prefixes=CHECK,QUIET
// QUIET-NOT: tacit check
#include <tacit/alloc.hpp>

#include <atomic>
#include <cstdio>
#include <map>
#include <memory_resource>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "ledger.hpp"

std::atomic<int> bad{0};

// Ordinary code: it knows nothing of allocators.
std::string work(int seed, int n) {
  std::map<int, std::string> m;
  for (int i = 0; i < n; ++i) {
    m[i % 300] =
        std::string(10 + (i * seed) % 400, static_cast<char>('a' + seed % 26));
    if (i % 5 == 0) m.erase((i / 5) % 300);
  }
  std::string s;
  for (auto& [k, v] : m) s += v.substr(0, 3);
  return s;
}

template <class F>
void fan(int n, F f) {
  std::vector<std::thread> ts;
  without_alloc ts.reserve(n);
  for (int t = 0; t < n; ++t) {
    auto job = tacit::bind([f, t] { f(t); });
    without_alloc ts.emplace_back(std::move(job));
  }
  for (auto& t : ts) t.join();
}

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  alarm(60);
  std::string expect[8];
  for (int t = 0; t < 8; ++t) expect[t] = work(t + 1, 4000);
  ledger up("upstream");

  std::size_t lanes = 0;
  for (int round = 0; round < 10; ++round) {
    tacit::arena host(up);
    // (The host's workers wait for the inner fan-out, so that all twelve
    // threads are alive at once: twelve thread tokens, twelve lanes.)
    std::atomic<bool> inner_done{false};
    with_alloc(host) {
      std::vector<std::thread> ts;
      without_alloc ts.reserve(8);
      for (int t = 0; t < 8; ++t) {
        auto job = tacit::bind([&host, &expect, &inner_done, t] {
          if (t % 2) {
            tacit::arena mine;  // on the host: its upstream is current()
            if (&mine.upstream() != &host) ++bad;
            with_alloc(mine) {
              std::string r = work(t + 1, 4000);
              if (r != expect[t] || tacit::owner_of(r.data()) != &mine) ++bad;
            }
          } else {
            std::string r = work(t + 1, 4000);
            if (r != expect[t] || tacit::owner_of(r.data()) != &host) ++bad;
          }
          while (!inner_done) std::this_thread::yield();
        });
        without_alloc ts.emplace_back(std::move(job));
      }
      tacit::arena inner;  // on the host, made by the home thread...
      with_alloc(inner) {  // ...and shared with four more threads
        std::vector<std::string> out(4);
        fan(4, [&out](int t) { out[t] = work(t + 1, 4000); });
        for (int t = 0; t < 4; ++t)
          if (out[t] != expect[t] || tacit::owner_of(out[t].data()) != &inner)
            ++bad;
      }
      inner_done = true;
      for (auto& t : ts) t.join();
    }
    lanes = host.stats().threads;
  }
  std::printf(
      "1. arenas on a shared host: %s, %zu lanes of the host, upstream "
      "blocks live: %zu\n",
      bad ? "WRONG" : "all results right", lanes, up.live());
  // The home lane, eight workers', and the four that inner's chunks came
  // from (those workers were not inside the host, but took from it).
  // CHECK: 1. arenas on a shared host: all results right, 13 lanes of the host, upstream blocks live: 0

  for (int round = 0; round < 5; ++round) {
    std::pmr::unsynchronized_pool_resource pool(&up);
    with_alloc(pool) {
      tacit::arena a;  // its chunks come from the pool
      with_alloc(a) {
        std::vector<std::string> out(8);
        fan(8, [&out](int t) { out[t] = work(t + 1, 3000); });
        std::string mine = work(9, 3000);  // the home thread, in `a` too
        for (int t = 0; t < 8; ++t)
          if (out[t] != work(t + 1, 3000) ||
              tacit::owner_of(out[t].data()) != &a)
            ++bad;
        if (tacit::owner_of(mine.data()) != &a) ++bad;
      }
      std::string s = work(3, 1000);  // and in the pool itself
      if (tacit::owner_of(s.data()) != &pool) ++bad;
    }
  }
  std::printf(
      "2. an arena inside a pool, eight threads: %s, upstream blocks "
      "live: %zu\n",
      bad ? "WRONG" : "all results right", up.live());
  // CHECK: 2. an arena inside a pool, eight threads: all results right, upstream blocks live: 0
}
