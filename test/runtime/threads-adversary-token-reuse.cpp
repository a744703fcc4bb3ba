// Threads that end while their lane holds live blocks, and new threads that
// come back with the same thread token (glibc reuses a finished thread's
// stack, and the token is the address of its thread-local block):
// docs/reference.md, "Limits and decisions": the new thread takes the old
// one's lane, whose state was that thread's alone.
// 1. Two hundred threads, one after the other, in one arena: each frees (as
//    the owner of the lane, if its token came back) the blocks the last one
//    left, and leaves 2,000 of its own; the home thread frees half of those
//    first (into the mailbox of a lane whose thread is gone).
// 2. An arena made on a thread that then ends (its home thread): later
//    threads — perhaps with the same token, then its home again — free what
//    it left, allocate, reset it outside their scopes.
// Every block keeps its contents and its owner; the arena has one lane per
// distinct token (and its home lane), and, with reuse, stays small.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
// Checked mode: blocks outlive the scopes that made them on purpose
// (reported as such); nothing else may be reported.
// RUN: env TACIT_CHECK=1 %t 2>&1 | FileCheck %s --check-prefixes=CHECK,CHECKED
// CHECKED-NOT: tacit check: {{double free|unknown pointer|size mismatch|cross-thread}}
#include <tacit/alloc.hpp>

#include <cstdio>
#include <cstring>
#include <memory>
#include <set>
#include <thread>
#include <unistd.h>
#include <vector>

#include "ledger.hpp"

constexpr std::size_t KiB = 1024;

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

struct blk {
  char* p;
  std::size_t n;
  char tag;
};

bool intact(const blk& b) {
  return b.p[0] == b.tag && b.p[b.n / 2] == b.tag && b.p[b.n - 1] == b.tag;
}

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  alarm(60);
  bool reuse = reuse_on();
  int bad = 0;

  {  // 1.
    tacit::arena a;
    std::vector<blk> left;  // what the last thread left
    left.reserve(4000);
    std::set<std::uintptr_t> tokens;
    for (int round = 0; round < 200; ++round) {
      std::vector<blk> made;
      made.reserve(2000);
      std::uintptr_t token = 0;
      std::thread t([&] {
        token = tacit::detail::thread_token();
        with_alloc(a) {
          for (const blk& b : left) {
            if (!intact(b)) ++bad;
            ::operator delete[](b.p, b.n);
          }
          for (int i = 0; i < 2000; ++i) {
            std::size_t n = 64 + (i % 8) * 32 + (i % 100 == 0 ? 3000 : 0);
            blk b{static_cast<char*>(::operator new[](n)), n,
                  static_cast<char>('A' + round % 26)};
            std::memset(b.p, b.tag, n);
            without_alloc made.push_back(b);
          }
        }
      });
      t.join();  // the thread is gone; its lane holds its blocks
      tokens.insert(token);
      left.clear();
      for (std::size_t i = 0; i < made.size(); ++i) {
        if (tacit::owner_of(made[i].p) != &a) ++bad;
        if (i % 2) {
          if (!intact(made[i])) ++bad;
          ::operator delete[](made[i].p);  // unsized, into a gone thread's lane
        } else {
          left.push_back(made[i]);
        }
      }
    }
    auto s = a.stats();
    bool lanes_ok = s.threads == tokens.size() + 1;  // and the home lane
    // Each thread holds about 300 KiB at once; one lane per token.
    bool small =
        !reuse || s.peak_chunk_bytes <= (tokens.size() + 1) * 1024 * KiB;
    std::printf(
        "1. 200 threads: blocks %s, one lane per thread token %s, "
        "chunk memory %s\n",
        bad ? "DAMAGED" : "intact", lanes_ok ? "yes" : "NO",
        small ? "small" : "GROWS");
    if (!lanes_ok || !small)
      std::printf("  %zu tokens, %zu lanes, peak %zu\n", tokens.size(),
                  s.threads, s.peak_chunk_bytes);
    for (const blk& b : left) {
      if (!intact(b)) ++bad;
      ::operator delete[](b.p, b.n);
    }
  }
  // CHECK: 1. 200 threads: blocks intact, one lane per thread token yes, chunk memory small

  {  // 2.
    std::unique_ptr<tacit::arena> a;
    std::vector<blk> left;
    left.reserve(500);
    std::uintptr_t home = 0;
    std::thread maker([&] {
      home = tacit::detail::thread_token();
      without_alloc a = std::make_unique<tacit::arena>();
      with_alloc(*a) for (int i = 0; i < 500; ++i) {
        blk b{static_cast<char*>(::operator new(200)), 200, 'h'};
        std::memset(b.p, 'h', 200);
        without_alloc left.push_back(b);
      }
    });
    maker.join();  // the arena's home thread is gone
    int homes_again = 0;
    tacit::arena* owner = a.get();  // of the blocks left (null once reset)
    for (int round = 0; round < 50; ++round) {
      std::thread t([&] {
        homes_again += tacit::detail::thread_token() == home;
        with_alloc(*a) {
          for (const blk& b : left) {
            if (!intact(b) || tacit::owner_of(b.p) != owner) ++bad;
            ::operator delete(b.p, b.n);
          }
          left.clear();
          owner = a.get();
          for (int i = 0; i < 500; ++i) {
            blk b{static_cast<char*>(::operator new(200)), 200,
                  static_cast<char>('a' + round % 26)};
            std::memset(b.p, b.tag, 200);
            without_alloc left.push_back(b);
          }
        }
        if (round % 10 == 9) {
          // Outside its scope, while no other thread is inside: allowed.
          a->reset();  // the blocks left live on in the chunks let go
          owner = nullptr;
          for (const blk& b : left)
            if (!intact(b) || tacit::owner_of(b.p) != nullptr) ++bad;
        }
      });
      t.join();
    }
    for (const blk& b : left) {
      if (!intact(b)) ++bad;
      ::operator delete(b.p, b.n);
    }
    a.reset();  // destroyed on another thread than the one that made it
    std::printf(
        "2. an arena whose home thread ended: blocks %s (home token "
        "back %s)\n",
        bad ? "DAMAGED" : "intact", homes_again ? "sometimes" : "never");
  }
  // CHECK: 2. an arena whose home thread ended: blocks intact (home token back {{sometimes|never}})
}
