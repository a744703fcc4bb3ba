// bench/containers.cpp — stock containers on an allocation-heavy request.
//
// One "request": split a text into words (std::vector<std::string>), count
// them (std::unordered_map<std::string, int>), index them by count
// (std::map<int, std::vector<std::string>>), format a reply (std::string,
// std::to_string). The same work four ways:
//
//   BM_request_global_heap      stock types, no scope: the program's malloc
//                               (run under LD_PRELOAD for jemalloc, mimalloc,
//                               tcmalloc: see bench/run)
//   BM_request_tacit_arena      the same stock code inside with_alloc(arena)
//   BM_request_pmr_explicit     hand-written std::pmr: pmr:: types, a
//                               monotonic_buffer_resource passed by hand
//   BM_request_tacit_monotonic  the stock code inside with_alloc(monotonic):
//                               the foreign-resource path
#include <benchmark/benchmark.h>

#include <map>
#include <memory_resource>
#include <string>
#include <tacit/alloc.hpp>
#include <unordered_map>
#include <vector>

namespace {

const std::vector<std::string>& corpus() {
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

std::size_t stock_request() {
  std::vector<std::string> words;
  std::unordered_map<std::string, int> counts;
  std::map<int, std::vector<std::string>> by_count;
  std::string reply;
  return request<std::string>(words, counts, by_count, reply);
}

void BM_request_global_heap(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(stock_request());
}
BENCHMARK(BM_request_global_heap);

void BM_request_tacit_arena(benchmark::State& state) {
  for (auto _ : state) {
    tacit::arena a;
    with_alloc(a) benchmark::DoNotOptimize(stock_request());
  }
}
BENCHMARK(BM_request_tacit_arena);

void BM_request_tacit_arena_reused(benchmark::State& state) {
  tacit::arena a;
  for (auto _ : state) {
    with_alloc(a) benchmark::DoNotOptimize(stock_request());
    a.reset();
  }
}
BENCHMARK(BM_request_tacit_arena_reused);

void BM_request_pmr_explicit(benchmark::State& state) {
  for (auto _ : state) {
    std::pmr::monotonic_buffer_resource mono;
    std::pmr::vector<std::pmr::string> words(&mono);
    std::pmr::unordered_map<std::pmr::string, int> counts(&mono);
    std::pmr::map<int, std::pmr::vector<std::pmr::string>> by_count(&mono);
    std::pmr::string reply(&mono);
    benchmark::DoNotOptimize(
        request<std::pmr::string>(words, counts, by_count, reply));
  }
}
BENCHMARK(BM_request_pmr_explicit);

void BM_request_tacit_monotonic(benchmark::State& state) {
  for (auto _ : state) {
    std::pmr::monotonic_buffer_resource mono;
    with_alloc(mono) benchmark::DoNotOptimize(stock_request());
  }
}
BENCHMARK(BM_request_tacit_monotonic);

}  // namespace

BENCHMARK_MAIN();
