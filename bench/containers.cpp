// bench/containers.cpp — stock containers on allocation-heavy work: the
// request workload and the node workload (both in tacit_bench.hpp). The
// same work several ways:
//
//   BM_request_global_heap        stock types, no scope: the program's malloc
//                                 (bench/run preloads jemalloc, mimalloc,
//                                 tcmalloc in turn)
//   BM_request_tacit_arena        the same stock code inside with_alloc(arena),
//                                 a fresh arena per request; reports the
//                                 arena's chunk efficiency (chunk_ratio)
//   BM_request_tacit_arena_reused one arena, reset() between requests
//   BM_request_pmr_explicit       hand-written std::pmr: pmr:: types, a
//                                 monotonic_buffer_resource passed by hand
//   BM_request_tacit_monotonic    stock code in with_alloc(monotonic)
//   BM_request_pmr_pool_explicit  pmr:: types, an unsynchronized_pool_resource
//                                 passed by hand (one pool for the run)
//   BM_request_tacit_pool         stock code in with_alloc(that pool): the
//                                 foreign-resource path
//   BM_request_floor              the floor: the same containers on
//                                 floor_allocator (a bump inlined into them,
//                                 no free), the memory reset per request
//
//   BM_node_global_heap           the node workload, stock types, no scope
//                                 (bench/run preloads the other heaps)
//   BM_node_tacit_arena_reused    stock code in with_alloc(arena), one arena
//                                 reset() between requests
//   BM_node_pmr_explicit          pmr:: types, a monotonic_buffer_resource
//                                 per request passed by hand
//   BM_node_floor                 the floor, reset per request
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "tacit_bench.hpp"

#include <memory_resource>

namespace {

using tacit_bench::pmr_request;
using tacit_bench::stock_request;

void BM_request_global_heap(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(stock_request());
}
BENCHMARK(BM_request_global_heap);

void BM_request_tacit_arena(benchmark::State& state) {
  for (auto _ : state) {
    tacit::arena a;
    with_alloc(a) benchmark::DoNotOptimize(stock_request());
  }
  // One more request, untimed, for the arena's statistics.
  tacit::arena a;
  with_alloc(a) benchmark::DoNotOptimize(stock_request());
  tacit_bench::report_chunk_ratio(state, a);
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
    benchmark::DoNotOptimize(pmr_request(mono));
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

void BM_request_pmr_pool_explicit(benchmark::State& state) {
  std::pmr::unsynchronized_pool_resource pool;
  for (auto _ : state) benchmark::DoNotOptimize(pmr_request(pool));
}
BENCHMARK(BM_request_pmr_pool_explicit);

void BM_request_tacit_pool(benchmark::State& state) {
  std::pmr::unsynchronized_pool_resource pool;
  for (auto _ : state) {
    with_alloc(pool) benchmark::DoNotOptimize(stock_request());
  }
}
BENCHMARK(BM_request_tacit_pool);

void BM_request_floor(benchmark::State& state) {
  tacit_bench::floor_arena a;
  tacit_bench::floor_scope use(a);
  for (auto _ : state) {
    benchmark::DoNotOptimize(tacit_bench::floor_request());
    a.reset();
  }
}
BENCHMARK(BM_request_floor);

// --- the node workload ---

void BM_node_global_heap(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(tacit_bench::stock_nodes());
}
BENCHMARK(BM_node_global_heap);

void BM_node_tacit_arena_reused(benchmark::State& state) {
  tacit::arena a;
  for (auto _ : state) {
    with_alloc(a) benchmark::DoNotOptimize(tacit_bench::stock_nodes());
    a.reset();
  }
}
BENCHMARK(BM_node_tacit_arena_reused);

void BM_node_pmr_explicit(benchmark::State& state) {
  for (auto _ : state) {
    std::pmr::monotonic_buffer_resource mono;
    benchmark::DoNotOptimize(tacit_bench::pmr_nodes(mono));
  }
}
BENCHMARK(BM_node_pmr_explicit);

void BM_node_floor(benchmark::State& state) {
  tacit_bench::floor_arena a;
  tacit_bench::floor_scope use(a);
  for (auto _ : state) {
    benchmark::DoNotOptimize(tacit_bench::floor_nodes());
    a.reset();
  }
}
BENCHMARK(BM_node_floor);

}  // namespace

BENCHMARK_MAIN();
