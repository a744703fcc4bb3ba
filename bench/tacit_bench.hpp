// bench/tacit_bench.hpp — what the Tacit benchmark suites share: the peak
// resident set of the process as a counter, arena statistics as counters,
// and the request workload (bench/containers.cpp, bench/threads.cpp).
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <tacit/alloc.hpp>
#include <unordered_map>
#include <vector>

namespace tacit_bench {

// Peak resident set of this process so far, in bytes (VmHWM). bench/run
// runs each variant that reports it in a fresh process, so the figure is
// that variant's own.
inline double peak_rss_bytes() {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (!f) return 0;
  char line[256];
  double kib = 0;
  while (std::fgets(line, sizeof line, f))
    if (std::strncmp(line, "VmHWM:", 6) == 0) {
      kib = std::strtod(line + 6, nullptr);
      break;
    }
  std::fclose(f);
  return kib * 1024.0;
}

inline void report_peak_rss(benchmark::State& state) {
  state.counters["peak_rss_bytes"] = peak_rss_bytes();
}

// Chunk efficiency: bytes of chunk memory the arena took at its peak, per
// byte requested by the blocks it handed out (`live` when given: the most
// bytes live at once, for a long-lived arena whose blocks are freed).
inline void report_chunk_ratio(benchmark::State& state, const tacit::arena& a,
                               double live = 0) {
  const auto s = a.stats();
  const double requested = live > 0 ? live : double(s.bytes);
  state.counters["peak_chunk_bytes"] = double(s.peak_chunk_bytes);
  state.counters["chunk_ratio"] =
      requested > 0 ? double(s.peak_chunk_bytes) / requested : 0;
  // Over the whole run: the chunk memory held at the peak per byte the run
  // asked for in all (what reuse brings below 1 in a long-lived scope).
  state.counters["chunk_per_requested"] =
      s.bytes > 0 ? double(s.peak_chunk_bytes) / double(s.bytes) : 0;
  state.counters["reused_share"] =
      s.allocations > 0 ? double(s.reused) / double(s.allocations) : 0;
}

// --- the request workload ---------------------------------------------------
// One "request": split a text into words (std::vector<std::string>), count
// them (std::unordered_map<std::string, int>), index them by count
// (std::map<int, std::vector<std::string>>), format a reply (std::string,
// std::to_string).

inline const std::vector<std::string>& corpus() {
  static const std::vector<std::string> words = [] {
    std::vector<std::string> w;
    const char* base[] = {
        "allocation", "arena",   "context", "capability", "scope",    "the",
        "a",          "of",      "memory",  "resource",   "vector",   "string",
        "implicit",   "checked", "safe",    "stock",      "compiler", "plugin"};
    for (int i = 0; i < 4000; ++i)
      w.push_back(std::string(base[i % 18]) + "_" + std::to_string(i % 700));
    return w;
  }();
  return words;
}

// Stock code: knows nothing of allocators.
template <class String, class Vector, class Map, class Index>
std::size_t request(Vector& words, Map& counts, Index& by_count,
                    String& reply) {
  for (const auto& w : corpus()) words.emplace_back(w.data(), w.size());
  for (const auto& w : words) ++counts[w];
  for (const auto& [w, n] : counts) by_count[n].push_back(w);
  for (const auto& [n, ws] : by_count) {
    reply += std::to_string(n).c_str();
    reply += ": ";
    reply += ws.front();
    reply += "\n";
  }
  return reply.size() + counts.size();
}

inline std::size_t stock_request() {
  std::vector<std::string> words;
  std::unordered_map<std::string, int> counts;
  std::map<int, std::vector<std::string>> by_count;
  std::string reply;
  return request<std::string>(words, counts, by_count, reply);
}

// The same request with std::pmr types and `r` passed by hand.
inline std::size_t pmr_request(std::pmr::memory_resource& r) {
  std::pmr::vector<std::pmr::string> words(&r);
  std::pmr::unordered_map<std::pmr::string, int> counts(&r);
  std::pmr::map<int, std::pmr::vector<std::pmr::string>> by_count(&r);
  std::pmr::string reply(&r);
  return request<std::pmr::string>(words, counts, by_count, reply);
}

}  // namespace tacit_bench
