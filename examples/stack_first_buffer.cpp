// examples/stack_first_buffer.cpp — an arena that starts on the stack.
//
// tacit::arena(buffer, size) bumps through `buffer` first and asks its
// upstream for nothing until the buffer is full: a small request is served
// with no heap traffic at all. When the buffer overflows, the arena takes
// chunks from its upstream as usual. Here the upstream is a
// tacit::counting_resource, so the program can show exactly when the heap is
// first touched.
//
// The buffer is yours: it cannot be kept alive like an arena chunk, so no
// block made in it may outlive it (here: nothing escapes `handle`).
//
// Build: build/bin/tacit++ -std=c++20 -O2 examples/stack_first_buffer.cpp -o stack_first_buffer
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <cstddef>
#include <cstdio>
#include <string>
#include <tacit/alloc.hpp>
#include <vector>

tacit::counting_resource heap;  // upstream of the arenas below: counts

// Handles one request of `n` names with a 4 KiB arena on the stack.
void handle(int n) {
  alignas(std::max_align_t) unsigned char buffer[4096];
  tacit::arena scratch(buffer, sizeof buffer, heap);
  std::size_t heap_before = heap.stats().allocations;
  bool first_in_buffer = false;
  with_alloc(scratch) {
    std::vector<std::string> names;
    names.reserve(8);
    for (int i = 0; i < n; ++i)
      names.push_back("customer-" + std::to_string(i) + "-with-a-long-name");
    const unsigned char* p =
        reinterpret_cast<const unsigned char*>(names.front().data());
    first_in_buffer = p >= buffer && p < buffer + sizeof buffer;
  }
  auto s = scratch.stats();
  std::printf(
      "%4d names: first one in the stack buffer: %s; %zu arena allocations, "
      "%zu heap chunk(s), %zu heap allocation(s)\n",
      n, first_in_buffer ? "yes" : "no", s.allocations, s.chunks,
      heap.stats().allocations - heap_before);
}

int main() {
  handle(4);    // fits in the buffer: heapless
  handle(40);   // overflows: the arena takes chunks from `heap`
  handle(400);  // more chunks, each larger (a quarter of what the arena holds)
  return 0;
}
