// A server's shape: one request arena, reset after each request, and a pool
// of six threads that live for the whole run; each request fans out twelve
// jobs to the pool with tacit::bind. The pool threads keep their lanes
// across requests (found again by their thread tokens), the reset keeps
// each lane's idle chunks, and the same lanes start again in them. Forty
// requests: every result is right, the arena never has more than seven
// lanes (six, and the home lane: none is made again), forgets every
// allocation at each reset, and (with reuse)
// holds about what one request needs, whatever the number of requests;
// the strict upstream gets every chunk back.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
// Checked mode: the arena is shared by design; nothing outlives its scope.
// RUN: env TACIT_CHECK=1 %t 2>&1 | FileCheck %s --check-prefixes=CHECK,QUIET
// QUIET-NOT: tacit check
#include <tacit/alloc.hpp>

#include <condition_variable>
#include <cstdio>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "ledger.hpp"
#include "threads.hpp"

constexpr std::size_t MiB = std::size_t{1} << 20;

std::size_t work(int seed, int n) {
  std::map<int, std::string> m;
  for (int i = 0; i < n; ++i)
    m[(i * 7919 + seed) % 500] = std::string(16 + (i + seed) % 300, 'x');
  std::size_t total = 0;
  for (auto& [k, v] : m) total += v.size();
  return total;
}

bool reuse_on() {
  tacit::arena probe;
  void* a;
  void* b;
  with_alloc(probe) {
    a = ::operator new(64);
    ::operator delete(a, 64);
    b = ::operator new(64);
    ::operator delete(b, 64);
  }
  return a == b;
}

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  alarm(60);
  bool reuse = reuse_on();
  pool workers(6);
  ledger up("upstream");
  std::size_t expect[12];
  for (int j = 0; j < 12; ++j) expect[j] = work(j, 4000);
  int wrong = 0, not_forgotten = 0;
  std::size_t lanes = 0;
  bool lanes_grew_past = false;
  std::size_t most = 0;
  {
    tacit::arena request(up);
    for (int round = 0; round < 40; ++round) {
      with_alloc(request) {
        std::vector<std::size_t> got(12);
        for (int j = 0; j < 12; ++j)
          workers.submit(tacit::bind([&got, j] { got[j] = work(j, 4000); }));
        std::size_t home = work(99, 2000);  // the home thread works too
        workers.wait_idle();
        for (int j = 0; j < 12; ++j) wrong += got[j] != expect[j];
        wrong += home != work(99, 2000);
      }
      auto s = request.stats();
      lanes_grew_past |= s.threads < lanes || s.threads > 7;  // six, and home
      lanes = s.threads;
      most = std::max(most, s.chunk_bytes);
      request.reset();  // every pool thread is back in the pool
      not_forgotten += request.stats().allocations != 0;
    }
    std::printf("40 requests: results %s, lanes %s, resets %s\n",
                wrong ? "WRONG" : "right",
                lanes_grew_past ? "MADE AGAIN" : "at most seven",
                not_forgotten ? "REMEMBER" : "forget every allocation");
    bool bounded = !reuse || most <= 8 * MiB;
    std::printf("chunk memory %s\n", bounded ? "bounded" : "GROWS");
    if (!bounded) std::printf("  at most %zu bytes\n", most);
  }
  std::printf("upstream blocks live: %zu\n", up.live());
  // CHECK: 40 requests: results right, lanes at most seven, resets forget every allocation
  // CHECK-NEXT: chunk memory bounded
  // CHECK-NEXT: upstream blocks live: 0
}
