// bench/threads.cpp — per-thread arenas on 1, 2, ... N threads (N: the
// machine's hardware threads, std::thread::hardware_concurrency()). Each
// thread serves requests (the workload of bench/containers.cpp) with an
// arena of its own, reset between requests; the global heap runs the same
// threads with no scope. Wall time (UseRealTime): requests per second per
// thread should stay flat as threads are added, up to N.
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "tacit_bench.hpp"

#include <algorithm>
#include <thread>

namespace {

using tacit_bench::stock_request;

int max_threads() {
  return int(std::max(1u, std::thread::hardware_concurrency()));
}

void BM_threads_global_heap(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(stock_request());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_threads_global_heap)
    ->DenseThreadRange(1, max_threads())
    ->UseRealTime();

void BM_threads_tacit_arena(benchmark::State& state) {
  tacit::arena a;  // this thread's own
  for (auto _ : state) {
    with_alloc(a) benchmark::DoNotOptimize(stock_request());
    a.reset();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_threads_tacit_arena)
    ->DenseThreadRange(1, max_threads())
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
