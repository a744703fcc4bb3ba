// tacit::arena reuses what its home thread frees while it lives: a long
// scope with churn stays near its working set instead of growing without
// bound, and each freed block, chunk or bump tail is reused exactly where the
// rules say (and nowhere it would overlap a live block).
// UNSUPPORTED: tacit-asan, tacit-check
// (reuse is off by design under AddressSanitizer, which keeps freed blocks
// poisoned, and in checked mode, which tracks each freed block until its
// memory is bumped over: see docs/internals.md)
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t -lpthread && %t | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "ledger.hpp"

namespace {

// A document tree: nodes with a name, text and children, like a DOM.
struct node {
  std::string name;
  std::string text;
  std::vector<std::unique_ptr<node>> children;
};

std::unique_ptr<node> build(int depth, int fanout, int& made) {
  auto n = std::make_unique<node>();
  n->name = "element-" + std::to_string(made++);
  n->text = std::string(20 + made % 50, 'x');
  if (depth > 0)
    for (int i = 0; i < fanout; ++i) n->children.push_back(build(depth - 1, fanout, made));
  return n;
}

bool overlaps(const void* a, std::size_t n, const void* b, std::size_t m) {
  auto x = reinterpret_cast<std::uintptr_t>(a), y = reinterpret_cast<std::uintptr_t>(b);
  return x < y + m && y < x + n;
}

}  // namespace

int main() {
  // 1. Churn: build and destroy a tree of ~1,100 nodes 2,000 times in one
  // scope. Without reuse the arena would take ~2,000 trees' worth of chunks.
  {
    tacit::arena a;
    std::size_t after_first = 0;
    with_alloc(a) {
      for (int i = 0; i < 2000; ++i) {
        int made = 0;
        auto tree = build(3, 10, made);
        if (made != 1111) std::printf("wrong tree: %d nodes\n", made);
        tree.reset();
        if (i == 0) after_first = a.stats().peak_chunk_bytes;
      }
    }
    auto s = a.stats();
    std::printf("churn: %zu allocations, peak chunk bytes %s first tree's x2\n",
                s.allocations,
                s.peak_chunk_bytes <= 2 * after_first ? "within" : "BEYOND");
    std::printf("churn: %s of the allocations reused freed memory\n",
                s.reused * 10 >= s.allocations * 9 ? "90 % or more" : "less than 90 %");
  }
  // CHECK: churn: {{[0-9]+}} allocations, peak chunk bytes within first tree's x2
  // CHECK-NEXT: churn: 90 % or more of the allocations reused freed memory

  // 2. A block of its own chunk (10 KB > a quarter of the first chunk),
  // allocated and freed 1,000 times: one chunk, reused.
  {
    tacit::arena a;
    with_alloc(a) {
      for (int i = 0; i < 1000; ++i) {
        auto* p = static_cast<char*>(::operator new(10 * 1024));
        p[0] = 1;
        ::operator delete(p);  // unsized: the chunk empties and waits idle
      }
    }
    std::printf("10 KB x 1000: %zu chunk(s)\n", a.stats().chunks);
  }
  // CHECK-NEXT: 10 KB x 1000: 1 chunk(s)

  // 3. The last block bumped gives its bytes back: a new/delete pair in a
  // loop uses one address.
  {
    tacit::arena a;
    void* first = nullptr;
    bool same = true;
    with_alloc(a) {
      for (int i = 0; i < 100; ++i) {
        auto* p = new std::uint64_t[8];
        if (!first) first = p;
        same = same && p == first;
        delete[] p;
        auto* q = new std::pair<long, long>{1, 2};
        same = same && static_cast<void*>(q) == first;
        delete q;
      }
    }
    std::printf("pairs: %s\n", same ? "one address" : "addresses moved");
  }
  // CHECK-NEXT: pairs: one address

  // 4. A block freed in the middle waits in its size's list and serves the
  // next allocation of that size (any size rounding to the same 16 bytes),
  // never one of another size, and never overlaps a live block.
  {
    tacit::arena a;
    with_alloc(a) {
      auto* x = static_cast<char*>(::operator new(40));
      auto* keep = static_cast<char*>(::operator new(100));
      std::memset(keep, 7, 100);
      ::operator delete(x, 40);  // not the last block: parked
      void* other = ::operator new(100);  // another size: bumped
      void* y = ::operator new(33);       // 33..48 share 40's list
      std::printf("reuse by size: other %s, same class %s\n",
                  other == x ? "REUSED" : "fresh", y == x ? "reused" : "FRESH");
      bool intact = true;
      for (int i = 0; i < 100; ++i) intact = intact && keep[i] == 7;
      std::printf("live block intact: %s, overlap: %s\n", intact ? "yes" : "NO",
                  overlaps(y, 33, keep, 100) || overlaps(y, 33, other, 100) ? "YES" : "none");
      ::operator delete(y, 33);
      ::operator delete(other, 100);
      ::operator delete(keep, 100);
    }
    std::printf("reused: %zu\n", a.stats().reused);
  }
  // CHECK-NEXT: reuse by size: other fresh, same class reused
  // CHECK-NEXT: live block intact: yes, overlap: none
  // CHECK-NEXT: reused: 1

  // 5. reset() and destruction with blocks waiting in the lists and one
  // still alive: the live block stays valid, and the chunks go back to
  // upstream once it is freed, every one of them (the ledger aborts on a
  // free it did not make).
  ledger up("upstream");
  {
    std::string* survivor = nullptr;
    {
      tacit::arena a(up);
      with_alloc(a) {
        std::vector<std::string*> v;
        for (int i = 0; i < 3000; ++i) v.push_back(new std::string(40, 'a' + i % 26));
        survivor = v[1234];
        for (int i = 0; i < 3000; i += 2)
          if (i != 1234) delete v[i];
        a.reset();  // the lists are forgotten; the odd strings are still alive
        void* fresh = ::operator new(64);
        bool clash = false;
        for (int i = 1; i < 3000; i += 2) clash = clash || overlaps(fresh, 64, v[i], sizeof(std::string));
        std::printf("after reset: fresh block overlaps a live one: %s\n", clash ? "YES" : "no");
        ::operator delete(fresh, 64);
        for (int i = 1; i < 3000; i += 2) delete v[i];
        for (int i = 0; i < 100; ++i) delete new std::string(40, 'z');  // parks again
      }
    }  // the arena ends with blocks parked and the survivor alive
    std::printf("survivor: %s, upstream live after the arena: %s\n",
                survivor->substr(0, 3).c_str(), up.live() > 0 ? "some" : "none");
    delete survivor;
    std::printf("upstream live after the last free: %zu\n", up.live());
  }
  // CHECK-NEXT: after reset: fresh block overlaps a live one: no
  // CHECK-NEXT: survivor: mmm, upstream live after the arena: some
  // CHECK-NEXT: upstream live after the last free: 0

  // 6. Frees on another thread count, and never touch the free lists (the
  // arena is single-thread); an arena carried by tacit::bind stops reusing.
  {
    tacit::arena a;
    std::vector<int*> blocks(1000);
    with_alloc(a) {
      for (int i = 0; i < 1000; ++i) blocks[i] = new int(i);
    }
    std::thread([&] {
      for (int* p : blocks) delete p;
    }).join();
    std::size_t reused_before = a.stats().reused;
    with_alloc(a) {
      auto task = tacit::bind([] { delete new int(1); });
      std::thread(task).join();
      int* p = new int(2);
      int* q = new int(3);
      delete p;  // not the last block, but the arena is shared: only counted
      int* r = new int(4);
      std::printf("remote frees: reused %zu, shared arena reuses: %s\n",
                  a.stats().reused - reused_before, r == p ? "YES" : "no");
      delete q;
      delete r;
    }
  }
  // CHECK-NEXT: remote frees: reused 0, shared arena reuses: no

  // 7. A nested arena's chunks are blocks of its host: when the nested one
  // ends, its chunk goes back to the host, which reuses it.
  {
    tacit::arena host;
    std::size_t chunks_after_first = 0;
    with_alloc(host) {
      for (int i = 0; i < 200; ++i) {
        tacit::arena inner;  // upstream: the host
        with_alloc(inner) {
          std::map<int, std::string> m;
          for (int k = 0; k < 50; ++k) m[k] = std::string(30, 'm');
        }
        if (i == 0) chunks_after_first = host.stats().chunk_bytes;
      }
    }
    std::printf("nested: host chunk bytes %s after 200 inner arenas\n",
                host.stats().chunk_bytes == chunks_after_first ? "unchanged" : "GREW");
  }
  // CHECK-NEXT: nested: host chunk bytes unchanged after 200 inner arenas

  // 8. Over-aligned blocks are freed exactly, never parked for a plain one.
  {
    tacit::arena a;
    bool aligned = true;
    with_alloc(a) {
      for (int i = 0; i < 100; ++i) {
        void* keep = ::operator new(8);
        void* p = ::operator new(48, std::align_val_t{64});
        ::operator delete(p, 48, std::align_val_t{64});
        void* q = ::operator new(48, std::align_val_t{64});
        aligned = aligned && reinterpret_cast<std::uintptr_t>(q) % 64 == 0;
        ::operator delete(q, 48, std::align_val_t{64});
        ::operator delete(keep, 8);
      }
    }
    std::printf("over-aligned: %s\n", aligned ? "aligned" : "MISALIGNED");
  }
  // CHECK-NEXT: over-aligned: aligned
}
