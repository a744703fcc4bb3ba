// Frees from threads that are not inside the arena, racing its reset(): a
// block may be freed anywhere, any time (its chunk, let go by the reset,
// lives until its last block is freed). Each round the home thread and a
// worker (its own lane) make 15,000 blocks; four threads free them all
// while the home thread resets the arena twenty times. Thirty rounds on one
// arena over a strict upstream: every block keeps its contents until freed,
// nothing is freed twice or lost (the ledger aborts on any free it did not
// hand out exactly), and once the arena is gone the upstream has every chunk
// back.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
// Checked mode: the blocks outlive their scopes on purpose (reported as
// such); nothing else may be reported.
// RUN: env TACIT_CHECK=1 %t 2>&1 | FileCheck %s --check-prefixes=CHECK,CHECKED
// CHECKED-NOT: tacit check: {{double free|unknown pointer|size mismatch|cross-thread}}
#include <tacit/alloc.hpp>

#include <atomic>
#include <cstdio>
#include <thread>
#include <unistd.h>
#include <vector>

#include "ledger.hpp"

constexpr int freers = 4;
constexpr int per_freer = 3000;

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  alarm(60);
  ledger up("upstream");
  std::atomic<int> bad{0};
  {
    tacit::arena a(up);
    for (int round = 0; round < 30; ++round) {
      std::vector<char*> blocks[freers];
      with_alloc(a) {
        for (auto& v : blocks)
          without_alloc v.reserve(per_freer + per_freer / 4);
        for (int i = 0; i < per_freer; ++i)
          for (auto& v : blocks) {
            char* p = new char[16 + i % 500];
            p[0] = p[15] = 'h';
            without_alloc v.push_back(p);
          }
        auto job = tacit::bind([&blocks] {  // a lane of the worker's own
          for (int i = 0; i < per_freer; ++i) {
            char* p = new char[16 + i % 300];
            p[0] = p[15] = 'h';
            without_alloc blocks[i % freers].push_back(p);
          }
        });
        std::thread worker;
        without_alloc worker = std::thread(std::move(job));
        worker.join();
      }
      std::atomic<int> ready{0};
      std::atomic<bool> go{false};
      std::vector<std::thread> fs;
      for (int t = 0; t < freers; ++t)
        fs.emplace_back([&, t] {
          ++ready;
          while (!go) std::this_thread::yield();
          for (char* p : blocks[t]) {
            if (p[0] != 'h' || p[15] != 'h') ++bad;
            delete[] p;
          }
        });
      while (ready < freers) std::this_thread::yield();
      go = true;
      for (int k = 0; k < 20; ++k) a.reset();  // while they free
      for (auto& f : fs) f.join();
    }
    auto s = a.stats();
    std::printf("30 rounds: %s, %zu allocations since the last reset\n",
                bad ? "blocks DAMAGED" : "every block intact until freed",
                s.allocations);
  }
  std::printf("upstream blocks live: %zu\n", up.live());
  // CHECK: 30 rounds: every block intact until freed, 0 allocations since the last reset
  // CHECK-NEXT: upstream blocks live: 0
}
