// A resource's own upstream traffic is never matched to the blocks it
// handed out. A std::pmr::monotonic_buffer_resource places its first block at
// the very start of the chunk it takes from upstream (new_delete_resource,
// so operator new); when it is destroyed it frees that chunk, sized, at the
// address of the block. That free must free the chunk, not be taken for a
// free of the block (which would call the resource's no-op deallocate and
// leak the chunk: ~11 MB per 10,000 resources). Likewise for pools, and with
// the resources' upstream served by an enclosing arena.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
#include <malloc.h>
#include <tacit/alloc.hpp>

#include <cstdio>
#include <memory_resource>

#include "ledger.hpp"

int* volatile sink;

std::size_t heap_in_use() { return mallinfo2().uordblks + mallinfo2().hblkhd; }

template <class R>
void loop(const char* name) {
  for (int i = 0; i < 200; ++i) {  // warm up: tables reach their size
    R r;
    with_alloc(r) { sink = new int[10]; }
  }
  std::size_t before = heap_in_use();
  for (int i = 0; i < 10000; ++i) {
    R r;
    with_alloc(r) { sink = new int[10]; }  // dropped with r (std::pmr rule)
  }
  std::size_t after = heap_in_use();
  long grown = static_cast<long>(after) - static_cast<long>(before);
  std::printf("%s: heap grew %s\n", name,
              grown < 256 * 1024 ? "by less than 256 KiB" : "LEAKED");
  if (grown >= 256 * 1024) std::printf("  (%ld bytes)\n", grown);
}

int main() {
  loop<std::pmr::monotonic_buffer_resource>("monotonic");
  // CHECK: monotonic: heap grew by less than 256 KiB
  loop<std::pmr::unsynchronized_pool_resource>("unsynchronized_pool");
  // CHECK: unsynchronized_pool: heap grew by less than 256 KiB
  loop<std::pmr::synchronized_pool_resource>("synchronized_pool");
  // CHECK: synchronized_pool: heap grew by less than 256 KiB

  // The resource's upstream is a tacit::arena (the scope around it): the
  // chunks go back to the arena, whose memory is then all free.
  tacit::arena outer;
  for (int i = 0; i < 2000; ++i) {
    with_alloc(outer) {
      std::pmr::monotonic_buffer_resource r;
      with_alloc(r) { sink = new int[10]; }
    }
  }
  outer.reset();
  std::printf("arena after reset: %zu chunk(s)\n", outer.stats().chunks);
  // CHECK: arena after reset: {{[01]}} chunk(s)

  // A block freed by the user, sized, still reaches the resource; the
  // resource's later upstream free still frees the chunk.
  ledger up("upstream");
  {
    std::pmr::monotonic_buffer_resource r(&up);
    int* p;
    with_alloc(r) { p = new int[10]; }
    delete[] p;
    with_alloc(r) { p = new int(5); }
    delete p;
  }
  std::printf("upstream live after: %zu\n", up.live());
  // CHECK: upstream live after: 0
}
