// bench/json.cpp — nlohmann::json (Debian nlohmann-json3-dev): parse a
// document, traverse it, destroy it. Stock code that knows nothing of
// allocators, run on each allocation strategy:
//
//   BM_json_global_heap         no scope: the program's malloc
//   BM_json_tacit_arena         with_alloc(arena), a fresh arena per document;
//                               reports chunk_ratio
//   BM_json_tacit_arena_reused  one arena, reset() between documents
//   BM_json_tacit_pool          with_alloc(unsynchronized_pool_resource)
//
// No hand-written std::pmr peer: nlohmann::basic_json cannot be instantiated
// with std::pmr::polymorphic_allocator (its allocator's construct() makes a
// uses-allocator construction that basic_json and its strings do not accept
// with nlohmann 3.11.2), so the stock code in a scope is the only way to give
// this library a resource.
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "tacit_bench.hpp"

#include <cstdint>
#include <map>
#include <memory_resource>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {

// A document shaped like an API response: 2000 records with strings,
// numbers, a nested object and arrays (about 0.6 MB of text).
const std::string& text() {
  static const std::string t = [] {
    std::string s = "{\"records\":[";
    for (int i = 0; i < 2000; ++i) {
      if (i) s += ',';
      const std::string n = std::to_string(i);
      s += "{\"id\":" + n + ",\"name\":\"user " + n +
           " of the tacit benchmark\",\"email\":\"user" + n +
           "@example.org\",\"score\":" + std::to_string(i * 1.25) +
           ",\"active\":" + (i % 3 ? "true" : "false") +
           ",\"address\":{\"street\":\"" + n +
           " Allocation Street\",\"city\":\"Arena\",\"zip\":\"" + n +
           "\"},\"tags\":[\"scope\",\"stock\",\"implicit\",\"t" + n +
           "\"],\"history\":[" + n + ",1,2,3,5,8,13,21]}";
    }
    s += "],\"count\":2000}";
    return s;
  }();
  return t;
}

template <class Json>
std::size_t traverse(const Json& j) {
  std::size_t s = 0;
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it)
      s += it.key().size() + traverse(it.value());
  } else if (j.is_array()) {
    for (const auto& e : j) s += traverse(e);
  } else if (j.is_string()) {
    s += j.template get_ref<const typename Json::string_t&>().size();
  } else if (j.is_number()) {
    s += std::size_t(j.template get<double>()) & 1;
  } else {
    s += 1;
  }
  return s;
}

// Parse, traverse, destroy.
std::size_t one_document() {
  const nlohmann::json j = nlohmann::json::parse(text());
  return traverse(j);
}

void BM_json_global_heap(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(one_document());
}
BENCHMARK(BM_json_global_heap);

void BM_json_tacit_arena(benchmark::State& state) {
  for (auto _ : state) {
    tacit::arena a;
    with_alloc(a) benchmark::DoNotOptimize(one_document());
  }
  tacit::arena a;  // one more, untimed, for the arena's statistics
  with_alloc(a) benchmark::DoNotOptimize(one_document());
  tacit_bench::report_chunk_ratio(state, a);
}
BENCHMARK(BM_json_tacit_arena);

void BM_json_tacit_arena_reused(benchmark::State& state) {
  tacit::arena a;
  for (auto _ : state) {
    with_alloc(a) benchmark::DoNotOptimize(one_document());
    a.reset();
  }
}
BENCHMARK(BM_json_tacit_arena_reused);

void BM_json_tacit_pool(benchmark::State& state) {
  std::pmr::unsynchronized_pool_resource pool;
  for (auto _ : state) {
    with_alloc(pool) benchmark::DoNotOptimize(one_document());
  }
}
BENCHMARK(BM_json_tacit_pool);

}  // namespace

BENCHMARK_MAIN();
