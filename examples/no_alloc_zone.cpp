// examples/no_alloc_zone.cpp — prove a hot loop allocation-free.
//
// tacit::deny() is a resource that refuses every allocation. Run a region in
// with_alloc(tacit::deny()) and any operator new inside it — yours, a
// container growing, a std::string too long for its small buffer, a
// std::function holding a large lambda — throws std::bad_alloc (nothrow forms
// return null). A test that runs the hot path this way fails the day someone
// adds an allocation to it.
//
// Set-up (reserving, building lookup tables) happens before the zone; the
// zone itself must only use memory it already has.
//
// Build: build/bin/tacit++ -std=c++20 -O2 examples/no_alloc_zone.cpp -o no_alloc_zone
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <cstdio>
#include <new>
#include <string>
#include <tacit/alloc.hpp>
#include <vector>

struct Sample {
  double value;
  int channel;
};

// The hot loop: filters samples into `out`, whose capacity is reserved.
void filter(const std::vector<Sample>& in, std::vector<Sample>& out,
            double threshold) {
  out.clear();
  for (const Sample& s : in)
    if (s.value > threshold) out.push_back(s);
}

// The same loop after a "harmless" change: a label per sample.
void filter_and_label(const std::vector<Sample>& in, std::vector<Sample>& out,
                      std::vector<std::string>& labels, double threshold) {
  out.clear();
  labels.clear();
  for (const Sample& s : in)
    if (s.value > threshold) {
      out.push_back(s);
      labels.push_back("channel " + std::to_string(s.channel) +
                       " over threshold");
    }
}

int main() {
  std::vector<Sample> in;
  for (int i = 0; i < 1000; ++i) in.push_back({(i * 37 % 101) / 100.0, i % 8});
  std::vector<Sample> out;
  out.reserve(in.size());  // set-up: allocate before the zone
  std::vector<std::string> labels;
  labels.reserve(in.size());

  // 1. The loop as written: no allocation, so deny() never refuses.
  try {
    with_alloc(tacit::deny()) {
      for (int round = 0; round < 100; ++round) filter(in, out, 0.5);
    }
    std::printf("filter: allocation-free (%zu samples kept)\n", out.size());
  } catch (const std::bad_alloc&) {
    std::printf("filter: ALLOCATES\n");
  }

  // 2. The changed loop: its label strings allocate, and deny() says so.
  try {
    with_alloc(tacit::deny()) { filter_and_label(in, out, labels, 0.5); }
    std::printf("filter_and_label: allocation-free\n");
  } catch (const std::bad_alloc&) {
    std::printf(
        "filter_and_label: allocates (std::bad_alloc after %zu labels)\n",
        labels.size());
  }

  // 3. Nothrow forms return null instead of throwing.
  with_alloc(tacit::deny()) {
    void* p = ::operator new(64, std::nothrow);
    std::printf("operator new(64, std::nothrow) in the zone: %s\n",
                p ? "allocated" : "null");
    ::operator delete(p);
  }
  return 0;
}
