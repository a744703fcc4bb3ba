// The reserved range is reserved at the first arena chunk the process takes
// — here on a worker thread, while the main thread frees a block of the
// global heap. operator delete reads the range's bounds (is the block in
// it?) on every thread, before and after it exists; no free may race the
// range's publication.
//
// Found failing under ThreadSanitizer: in_range() read base and span with
// plain loads, no acquire; a stale base of 0 with the new span would take
// any block below 64 GiB for an arena block. Now span is read first with
// acquire, base after it (atomic, relaxed), and reserve_range() publishes
// span last with release.
// Elsewhere the test only checks that the frees are right.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t 2>&1 | FileCheck %s
// CHECK-NOT: ThreadSanitizer
// CHECK: worker took the first chunk; main freed 1000 heap blocks meanwhile
#include <tacit/alloc.hpp>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <unistd.h>
#include <vector>

#include "ledger.hpp"

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  alarm(20);
  // Heap blocks, made before any arena chunk exists.
  std::vector<int*> heap;
  for (int i = 0; i < 1000; ++i) heap.push_back(new int(i));
  tacit::arena a;  // (no chunk yet: the first is taken on the worker)
  std::atomic<int> stage{0};
  std::thread worker;
  with_alloc(a) {
    auto job = tacit::bind([&] {
      std::vector<char> v(1000);  // the process's first arena chunk
      keep(v);
      // (relaxed: no happens-before with the main thread's frees)
      stage.store(1, std::memory_order_relaxed);
      while (stage.load(std::memory_order_relaxed) != 2)
        std::this_thread::yield();
    });
    without_alloc worker = std::thread(std::move(job));
  }
  while (stage.load(std::memory_order_relaxed) != 1) std::this_thread::yield();
  int wrong = 0;
  for (int i = 0; i < 1000; ++i) {
    wrong += *heap[i] != i;
    delete heap[i];  // reads the range's bounds
  }
  stage.store(2, std::memory_order_relaxed);
  worker.join();
  std::printf(
      "worker took the first chunk; main freed %d heap blocks meanwhile\n",
      1000 - wrong);
}
