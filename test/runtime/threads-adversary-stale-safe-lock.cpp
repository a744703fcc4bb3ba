// A resource that is not thread-safe, made at an address where a
// std::pmr::synchronized_pool_resource lived before (a stack slot reused by
// the next function, a loop body, placement new), must still be called one
// thread at a time: by the lanes of an arena taking chunks from it, and by
// operator new once tacit::bind has carried it to other threads.
//
// Found failing: whether a resource is thread-safe was decided once per
// address, so the resource made later at the same address was never locked
// ("overlaps: 1"). Now it is decided at each call, by the resource's type.
//
// Each call of the resource waits (up to 1 s) for a second thread to come
// in: called one at a time, none ever does.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
#include <tacit/alloc.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory_resource>
#include <new>
#include <thread>
#include <unistd.h>
#include <vector>

#include "ledger.hpp"
#include "threads.hpp"

// Both start at once: each waits for the other.
template <class F>
void two_threads(F f) {
  std::atomic<int> ready{0};
  auto job = tacit::bind([&] {
    ++ready;
    while (ready.load() < 2) std::this_thread::yield();
    f();
  });
  std::thread a, b;
  without_alloc {
    a = std::thread(job);
    b = std::thread(job);
  }
  a.join();
  b.join();
}

alignas(64) unsigned char slot[sizeof(std::pmr::synchronized_pool_resource) +
                               sizeof(one_at_a_time)];

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  alarm(20);

  // 1. Arena chunks. A synchronized pool at `slot`, an arena's upstream.
  {
    auto* sp = new (slot) std::pmr::synchronized_pool_resource();
    {
      tacit::arena a(*sp);
      with_alloc(a) {
        std::vector<char> v(100000);
        keep(v);
      }
    }
    sp->~synchronized_pool_resource();
  }
  {
    auto* r = new (slot) one_at_a_time(/*armed=*/false);  // the same address
    {
      tacit::arena a(*r);
      r->armed = true;
      with_alloc(a) two_threads([] {
        std::vector<char> v(100000);  // each lane takes a chunk from r
        keep(v);
      });
      r->armed = false;
    }
    std::printf("arena chunks: %d calls, overlaps: %d\n", r->calls.load(),
                r->overlaps.load());
    r->~one_at_a_time();
  }
  // CHECK: arena chunks: {{[0-9]+}} calls, overlaps: 0

  // 2. operator new. A synchronized pool at `slot`, carried by tacit::bind.
  {
    auto* sp = new (slot) std::pmr::synchronized_pool_resource();
    with_alloc(*sp) two_threads([] {
      int* p = new int(1);
      keep(p);
      delete p;
    });
    sp->~synchronized_pool_resource();
  }
  {
    auto* r = new (slot) one_at_a_time(/*armed=*/false);
    r->armed = true;
    with_alloc(*r) two_threads([] {
      char* p = new char[64];  // r->allocate, through operator new
      keep(p);
      delete[] p;
    });
    r->armed = false;
    std::printf("operator new: %d calls, overlaps: %d\n", r->calls.load(),
                r->overlaps.load());
    r->~one_at_a_time();
  }
  // CHECK: operator new: {{[0-9]+}} calls, overlaps: 0
}
