// N threads × M operations, balanced. Each thread has its own arena (on one
// shared counting upstream) open in a scope for its whole run, and mixes:
// allocate on its arena, on a shared strict foreign resource (nested scope),
// on the global heap (without_alloc); free its own blocks; hand blocks to
// another thread's mailbox, which frees them there; reset its arena while
// blocks of it live on (here and in other threads' mailboxes). Every block
// is checked intact when freed. At the end the counts and bytes balance:
// every block made was freed once, the shared upstream got every chunk
// back, the foreign resource holds nothing, and no record is left.
// Deterministic: a fixed seed per thread, barriers between the phases, no
// timing.
// UNSUPPORTED: tacit-check
// (each foreign block outlives the one-statement scope that made it: checked
// mode would rightly report every one)
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
// CHECK: threads 4 x 50000 ops
// CHECK-NEXT: made == freed: yes
// CHECK-NEXT: bytes made == bytes freed: yes
// CHECK-NEXT: handed over: {{[1-9][0-9]*}}, resets: {{[1-9][0-9]*}}
// CHECK-NEXT: corrupt blocks: 0
// CHECK-NEXT: upstream live bytes: 0, chunks returned: yes
// CHECK-NEXT: foreign live: 0, records left: 0
#include <tacit/alloc.hpp>
#include <tacit/testing.hpp>

#include <atomic>
#include <barrier>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "ledger.hpp"

constexpr int threads = 4;
constexpr int ops = 50000;

struct block {
  unsigned char* p;
  std::size_t size;
  unsigned char fill;
};

struct mailbox {
  std::mutex m;
  std::vector<block> items;  // its storage: on the global heap (see post)
};

mailbox boxes[threads];
ledger foreign("foreign");
std::atomic<std::size_t> made{0}, freed{0}, bytes_made{0}, bytes_freed{0};
std::atomic<std::size_t> handed{0}, resets{0}, corrupt{0};

struct rng {
  std::uint64_t s;
  std::uint64_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
};

block make(rng& r) {
  std::size_t n = r.next() % 4 == 0 ? 1 + r.next() % 3000 : 1 + r.next() % 200;
  block b{static_cast<unsigned char*>(::operator new(n)), n,
          static_cast<unsigned char>(r.next())};
  std::memset(b.p, b.fill, n);
  made.fetch_add(1, std::memory_order_relaxed);
  bytes_made.fetch_add(n, std::memory_order_relaxed);
  return b;
}

void drop(const block& b) {
  for (std::size_t i = 0; i < b.size; ++i)
    if (b.p[i] != b.fill) {
      corrupt.fetch_add(1, std::memory_order_relaxed);
      break;
    }
  if (b.size % 2)
    ::operator delete(b.p, b.size);
  else
    ::operator delete(b.p);
  freed.fetch_add(1, std::memory_order_relaxed);
  bytes_freed.fetch_add(b.size, std::memory_order_relaxed);
}

void post(int to, const block& b) {
  std::lock_guard<std::mutex> hold(boxes[to].m);
  without_alloc boxes[to].items.push_back(b);  // the mailbox outlives scopes
}

void drain(int me) {
  std::vector<block> got;
  {
    std::lock_guard<std::mutex> hold(boxes[me].m);
    got.swap(boxes[me].items);
  }
  for (auto& b : got) drop(b);
  without_alloc { std::vector<block>().swap(got); }
}

int main() {
  tacit::counting_resource upstream(tacit::global());
  std::size_t base = tacit::testing::foreign_live();
  std::barrier<> phase(threads);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([t, &upstream, &phase] {
      rng r{0x9E3779B97F4A7C15ull * (t + 1)};
      tacit::arena mine(upstream);
      std::vector<block> own;
      without_alloc own.reserve(512);
      with_alloc(mine) {
        for (int i = 0; i < ops; ++i) {
          unsigned op = r.next() % 16;
          if (op < 6 && own.size() < 500) {
            own.push_back(make(r));
          } else if (op < 8 && own.size() < 500) {
            with_alloc(foreign) own.push_back(make(r));
          } else if (op < 9 && own.size() < 500) {
            without_alloc own.push_back(make(r));
          } else if (op < 12 && !own.empty()) {
            std::size_t k = r.next() % own.size();
            drop(own[k]);
            own[k] = own.back();
            own.pop_back();
          } else if (op < 14 && !own.empty()) {
            std::size_t k = r.next() % own.size();
            int to = static_cast<int>(r.next() % threads);
            post(to, own[k]);
            own[k] = own.back();
            own.pop_back();
            handed.fetch_add(1, std::memory_order_relaxed);
          } else if (op < 15) {
            drain(t);
          } else if (r.next() % 8 == 0) {
            mine.reset();  // blocks of it live on, here and elsewhere
            resets.fetch_add(1, std::memory_order_relaxed);
          }
        }
        // Every thread stops handing over, then everything is freed while
        // the scopes are still open, then the arenas end.
        phase.arrive_and_wait();
        for (auto& b : own) drop(b);
        own.clear();
        drain(t);
        phase.arrive_and_wait();
      }
      without_alloc { std::vector<block>().swap(own); }
    });
  for (auto& th : pool) th.join();

  std::printf("threads %d x %d ops\n", threads, ops);
  std::printf("made == freed: %s\n", made == freed ? "yes" : "NO");
  std::printf("bytes made == bytes freed: %s\n",
              bytes_made == bytes_freed ? "yes" : "NO");
  std::printf("handed over: %zu, resets: %zu\n", handed.load(), resets.load());
  std::printf("corrupt blocks: %zu\n", corrupt.load());
  auto s = upstream.stats();
  std::printf("upstream live bytes: %zu, chunks returned: %s\n", s.live_bytes,
              s.allocations == s.deallocations ? "yes" : "NO");
  std::printf("foreign live: %zu, records left: %zu\n", foreign.live(),
              tacit::testing::foreign_live() - base);
}
