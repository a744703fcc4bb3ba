// set_limit holds for the arena as a whole with eight threads in it at once,
// and each thread that would cross it gets the refusal on its own thread:
// three allocate small strings in arenas of their own nested in the limited
// one (their chunks count against its limit), three use nothrow new[] until
// it returns null, two allocate 100 KiB strings (chunks of their own) until
// std::bad_alloc. Twenty rounds, each on a new arena over a strict upstream.
// Every thread is refused, the arena never holds more than its limit, every
// block is freed after its refusal, and the upstream gets every chunk back.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
// Checked mode: the blocks each thread made before its refusal outlive the
// nested arenas' scopes (the exception leaves them; reported as such), and
// nothing else may be reported.
// RUN: env TACIT_CHECK=1 %t 2>&1 | FileCheck %s --check-prefixes=CHECK,CHECKED
// CHECKED-NOT: tacit check: {{double free|unknown pointer|size mismatch|cross-thread}}
#include <tacit/alloc.hpp>

#include <atomic>
#include <cstdio>
#include <new>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "ledger.hpp"

constexpr std::size_t MiB = std::size_t{1} << 20;
constexpr std::size_t limit = 4 * MiB;

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  alarm(60);
  ledger up("upstream");
  int over = 0, not_refused = 0, null_returned = 0;
  for (int round = 0; round < 20; ++round) {
    tacit::arena a(up);
    a.set_limit(limit);
    std::atomic<int> refused{0}, nulls{0};
    std::vector<std::thread> ts;
    ts.reserve(8);
    with_alloc(a) {
      for (int t = 0; t < 8; ++t) {
        auto job = tacit::bind([&refused, &nulls, t] {
          std::vector<void*> kept;
          without_alloc kept.reserve(100000);
          try {
            if (t % 3 == 0) {
              tacit::arena mine;  // on `a`: its chunks count against a's limit
              with_alloc(mine) for (;;) {
                void* p = new std::string(200 + t * 10, 'x');
                without_alloc kept.push_back(p);
              }
            } else if (t % 3 == 1) {
              for (;;) {
                char* p = new (std::nothrow) char[3000 + t];
                if (!p) {
                  ++nulls;
                  throw std::bad_alloc();
                }
                without_alloc kept.push_back(p);
              }
            } else {
              for (;;) {
                void* p = new std::string(100000 + t, 'y');
                without_alloc kept.push_back(p);
              }
            }
          } catch (const std::bad_alloc&) {
            ++refused;
          }
          for (void* p : kept) {
            if (t % 3 == 1)
              delete[] static_cast<char*>(p);
            else
              delete static_cast<std::string*>(p);
          }
          without_alloc std::vector<void*>().swap(kept);
        });
        without_alloc ts.emplace_back(std::move(job));
      }
      for (auto& t : ts) t.join();
    }
    auto s = a.stats();
    over += s.peak_chunk_bytes > limit;
    not_refused += refused != 8;
    null_returned += nulls == 3;
  }
  std::printf("20 rounds of 8 threads: limit %s, %s, nothrow new %s\n",
              over ? "CROSSED" : "held",
              not_refused ? "NOT ALL refused" : "all refused",
              null_returned == 20 ? "returned null" : "THREW");
  // CHECK: 20 rounds of 8 threads: limit held, all refused, nothrow new returned null
  std::printf("upstream blocks live: %zu\n", up.live());
  // CHECK: upstream blocks live: 0
}
