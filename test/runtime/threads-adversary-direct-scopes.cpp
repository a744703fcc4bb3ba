// Eight threads and the home thread, each in a with_alloc scope of ONE
// arena of its own opening (no tacit::bind), each a producer and a consumer
// for all the others: every block is made on one thread and freed on
// another, in every direction, while all of them keep allocating. Blocks of
// up to 1 KiB, large blocks up to 8 KiB, and std::map / std::string churn on
// the side. Thirty rounds on the same arena, reset after each join.
// Every block keeps its contents until freed and is the arena's
// (tacit::owner_of); the arena counts every allocation and every thread's
// lane, hands every cross-thread free back to the lane that made the block
// (remote_frees) and, with reuse, stays near its live data.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
// Checked mode: every block dies in its scope, on whichever thread; the
// arena is shared by design: nothing to report.
// RUN: env TACIT_CHECK=1 %t 2>&1 | FileCheck %s --check-prefixes=CHECK,QUIET
// QUIET-NOT: tacit check
#include <tacit/alloc.hpp>

#include <atomic>
#include <barrier>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "ledger.hpp"

constexpr int workers = 8;
constexpr int parties = workers + 1;  // and the home thread
constexpr int per_thread = 2000;
constexpr std::size_t MiB = std::size_t{1} << 20;

struct msg {
  unsigned char* p;
  std::size_t n;
  unsigned char tag;
};

// One inbox per thread; its storage is the global heap's, made up front.
struct inbox {
  std::mutex m;
  std::vector<msg> q;
  TACIT_WITHOUT_ALLOC void put(msg x) {
    std::lock_guard<std::mutex> hold(m);
    q.push_back(x);
  }
  TACIT_WITHOUT_ALLOC std::vector<msg> take() {
    std::vector<msg> out;
    out.reserve(64);
    std::lock_guard<std::mutex> hold(m);
    out.swap(q);
    q.reserve(out.capacity());
    return out;
  }
};

tacit::arena shared;
inbox boxes[parties];
std::atomic<int> bad{0};
std::atomic<long> freed{0};

void drain(int me) {
  std::vector<msg> got = boxes[me].take();
  for (const msg& x : got) {
    for (std::size_t i = 0; i < x.n; i += 13)
      if (x.p[i] != x.tag) {
        ++bad;
        break;
      }
    if (x.p[x.n - 1] != x.tag) ++bad;
    if (x.n % 3 == 0)
      ::operator delete[](x.p);  // unsized
    else
      ::operator delete[](x.p, x.n);
    ++freed;
  }
  without_alloc std::vector<msg>().swap(got);
}

void party(int me, std::barrier<>& sync) {
  with_alloc(shared) {
    std::map<int, std::string> side;
    for (int i = 0; i < per_thread; ++i) {
      std::size_t n = i % 50 == 0 ? 1025 + (i * 37 + me) % 7000
                                  : 1 + (i * 37 + me * 11) % 1024;
      auto tag = static_cast<unsigned char>(me * 16 + i % 16);
      auto* p = static_cast<unsigned char*>(::operator new[](n));
      std::memset(p, tag, n);
      if (tacit::owner_of(p) != &shared) ++bad;
      // To another thread: every other one in turn.
      int to = (me + 1 + i % (parties - 1)) % parties;
      boxes[to].put({p, n, tag});
      side[i % 128] =
          std::string(24 + (i * 7) % 200, static_cast<char>('a' + me));
      if (i % 7 == 0) side.erase((i / 7) % 128);
      if (i % 5 == 0) drain(me);
    }
    for (auto& [k, v] : side)
      if (v.empty() || v[0] != 'a' + me || tacit::owner_of(v.data()) != &shared)
        ++bad;
    sync.arrive_and_wait();  // nobody makes blocks any more
    drain(me);
    sync.arrive_and_wait();  // every block freed before any scope ends
  }
}

// Whether arenas reuse freed blocks in this run (not in checked mode, not
// under AddressSanitizer).
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
  for (auto& b : boxes) b.q.reserve(4096);
  bool reuse = reuse_on();
  std::size_t peak = 0;
  for (int round = 0; round < 30; ++round) {
    std::barrier<> sync(parties);
    std::vector<std::thread> ts;
    ts.reserve(workers);
    for (int t = 0; t < workers; ++t)
      ts.emplace_back([t, &sync] { party(t, sync); });
    party(workers, sync);  // the home thread
    for (auto& t : ts) t.join();
    auto s = shared.stats();
    long expect = static_cast<long>(parties) * per_thread * (round + 1);
    bool counted =
        s.allocations >= static_cast<std::size_t>(parties) * per_thread;
    bool handed = !reuse || s.remote_frees ==
                                static_cast<std::size_t>(parties) * per_thread;
    if (round == 0 || bad || freed != expect || !counted || !handed)
      std::printf(
          "round %d: %s blocks intact and the arena's, %s freed, %zu lanes, "
          "allocations %s, cross-thread frees %s\n",
          round, bad ? "NOT all" : "all", freed == expect ? "all" : "NOT all",
          s.threads, counted ? "counted" : "MISSING",
          handed ? "handed back" : "LOST");
    peak = std::max(peak, s.peak_chunk_bytes);
    shared.reset();
    if (shared.stats().allocations != 0)
      std::printf("reset: allocations NOT zero\n");
  }
  // CHECK: round 0: all blocks intact and the arena's, all freed, 9 lanes, allocations counted, cross-thread frees handed back
  // CHECK-NOT: round
  // CHECK-NOT: NOT
  bool near = !reuse || peak <= 32 * MiB;
  std::printf("30 rounds: chunk memory %s\n", near ? "bounded" : "GROWS");
  if (!near) std::printf("  peak %zu\n", peak);
  // CHECK: 30 rounds: chunk memory bounded
}
