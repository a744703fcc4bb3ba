// examples/counting_and_tracing.cpp — see every allocation a block makes.
//
// tacit::counting_resource counts what passes through it (allocations,
// frees, bytes, live and peak bytes); tacit::tracing_resource writes one line
// per call, naming the with_alloc that asked for it (file and line). Both are
// ordinary std::pmr::memory_resources that forward to an upstream, so they
// stack: here the trace forwards to the counter, which forwards to the global
// heap, and any block of code can be watched without touching it.
//
// Build: build/bin/tacit++ -std=c++20 -O2 examples/counting_and_tracing.cpp -o counting_and_tracing
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <cstdio>
#include <map>
#include <string>
#include <tacit/alloc.hpp>
#include <vector>

// Ordinary code: it does not know it is being watched.
std::map<std::string, int> tally(const std::vector<std::string>& words) {
  std::map<std::string, int> counts;
  for (const auto& w : words) ++counts[w];
  return counts;
}

std::string greet(const char* name) {
  return std::string("hello, ") + name + ", from a traced scope";
}

void print(const char* what, const tacit::counting_resource& c) {
  auto s = c.stats();
  std::printf("%s: %zu allocations, %zu frees, %zu bytes, %zu live, peak %zu\n",
              what, s.allocations, s.deallocations, s.bytes, s.live_bytes,
              s.peak_bytes);
}

int main() {
  // 1. Counting: how much does this block allocate?
  tacit::counting_resource counter;  // upstream: the global heap
  with_alloc(counter) {
    std::vector<std::string> words = {"a", "rose", "is", "a", "rose"};
    auto counts = tally(words);
    std::printf("distinct words: %zu\n", counts.size());
  }
  print("counted", counter);

  // 2. Tracing: which allocations, and which scope asked? The trace goes to
  // stdout and forwards to a second counter.
  tacit::counting_resource traced_counter;
  tacit::tracing_resource trace(traced_counter, stdout);
  with_alloc(trace) {
    std::string greeting = greet("Barbara Liskov");
    std::printf("%s\n", greeting.c_str());
  }
  with_alloc(trace) {
    auto counts = tally({"to", "be", "or", "not", "to", "be"});
    std::printf("distinct words: %zu\n", counts.size());
  }  // the vector and the map are freed here: their deallocate lines follow
  print("traced", traced_counter);
  std::fflush(stdout);
  return 0;
}
