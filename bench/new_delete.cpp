// bench/new_delete.cpp — the cost of one operator new + delete.
//
// Built twice from this one source: `bench_new_delete` links the Tacit
// runtime, `bench_new_delete_plain` does not (the C++ library's operator
// new). Comparing BM_new_delete across the two is the price a program pays
// for linking Tacit and opening no scope; BM_malloc_free is the floor.
// Scoped variants exist only in the Tacit build.
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory_resource>
#include <new>
#include <vector>

#ifdef TACIT_BENCH
#include <tacit/alloc.hpp>
#endif

namespace {

constexpr std::size_t block = 64;

void BM_malloc_free(benchmark::State& state) {
  for (auto _ : state) {
    void* p = std::malloc(block);
    benchmark::DoNotOptimize(p);
    std::free(p);
  }
}
BENCHMARK(BM_malloc_free);

void BM_new_delete(benchmark::State& state) {
  for (auto _ : state) {
    void* p = ::operator new(block);
    benchmark::DoNotOptimize(p);
    ::operator delete(p, block);
  }
}
BENCHMARK(BM_new_delete);

// Many live blocks, freed in a batch: closer to a container's life.
void BM_new_delete_batch(benchmark::State& state) {
  std::vector<void*> ptrs(1024);
  for (auto _ : state) {
    for (auto& p : ptrs) p = ::operator new(block);
    benchmark::DoNotOptimize(ptrs.data());
    for (auto* p : ptrs) ::operator delete(p, block);
  }
  state.SetItemsProcessed(state.iterations() * ptrs.size());
}
BENCHMARK(BM_new_delete_batch);

// The floor for the bump path: a bump pointer written by hand, inline, over
// one buffer (a bounds check, no chunk growth, no free): what
// BM_new_delete_in_arena would cost if operator new were nothing but the bump.
__attribute__((noinline)) void* bump_exhausted() { throw std::bad_alloc(); }
void BM_bump_baseline(benchmark::State& state) {
  alignas(16) static unsigned char buffer[1024 * block];
  std::vector<void*> ptrs(1024);
  for (auto _ : state) {
    unsigned char* cur = buffer;
    unsigned char* end = buffer + sizeof buffer;
    benchmark::DoNotOptimize(end);
    for (auto& p : ptrs) {
      if (static_cast<std::size_t>(end - cur) < block) {
        p = bump_exhausted();
        continue;
      }
      p = cur;
      cur += block;
    }
    benchmark::DoNotOptimize(ptrs.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * ptrs.size());
}
BENCHMARK(BM_bump_baseline);

#ifdef TACIT_BENCH
// Inside with_alloc(arena): the inline bump path and the counter decrement.
void BM_new_delete_in_arena(benchmark::State& state) {
  tacit::arena a;
  std::vector<void*> ptrs(1024);
  with_alloc(a) {
    for (auto _ : state) {
      for (auto& p : ptrs) p = ::operator new(block);
      benchmark::DoNotOptimize(ptrs.data());
      for (auto* p : ptrs) ::operator delete(p, block);
      a.reset();
    }
  }
  state.SetItemsProcessed(state.iterations() * ptrs.size());
}
BENCHMARK(BM_new_delete_in_arena);

// The same blocks from a monotonic_buffer_resource, passed by hand (the
// explicit std::pmr baseline): allocate/deallocate through the resource.
void BM_pmr_monotonic_explicit(benchmark::State& state) {
  std::pmr::monotonic_buffer_resource mono;
  std::vector<void*> ptrs(1024);
  for (auto _ : state) {
    for (auto& p : ptrs) p = mono.allocate(block, 16);
    benchmark::DoNotOptimize(ptrs.data());
    for (auto* p : ptrs) mono.deallocate(p, block, 16);
    mono.release();
  }
  state.SetItemsProcessed(state.iterations() * ptrs.size());
}
BENCHMARK(BM_pmr_monotonic_explicit);

// The pool called by hand: the floor for the scoped pool below.
void BM_pmr_pool_explicit(benchmark::State& state) {
  std::pmr::unsynchronized_pool_resource pool;
  std::vector<void*> ptrs(1024);
  for (auto _ : state) {
    for (auto& p : ptrs) p = pool.allocate(block, 16);
    benchmark::DoNotOptimize(ptrs.data());
    for (auto* p : ptrs) pool.deallocate(p, block, 16);
  }
  state.SetItemsProcessed(state.iterations() * ptrs.size());
}
BENCHMARK(BM_pmr_pool_explicit);

// A foreign resource as the scope: a record per block.
void BM_new_delete_in_pool(benchmark::State& state) {
  std::pmr::unsynchronized_pool_resource pool;
  std::vector<void*> ptrs(1024);
  with_alloc(pool) {
    for (auto _ : state) {
      for (auto& p : ptrs) p = ::operator new(block);
      benchmark::DoNotOptimize(ptrs.data());
      for (auto* p : ptrs) ::operator delete(p, block);
    }
  }
  state.SetItemsProcessed(state.iterations() * ptrs.size());
}
BENCHMARK(BM_new_delete_in_pool);

// No scope, but one foreign block alive somewhere: every delete takes the
// slow path while it lives.
void BM_new_delete_foreign_alive(benchmark::State& state) {
  std::pmr::unsynchronized_pool_resource pool;
  void* held;
  with_alloc(pool) held = ::operator new(block);
  for (auto _ : state) {
    void* p = ::operator new(block);
    benchmark::DoNotOptimize(p);
    ::operator delete(p, block);
  }
  ::operator delete(held, block);
}
BENCHMARK(BM_new_delete_foreign_alive);

// No scope, an arena with a first buffer alive.
void BM_new_delete_buffer_arena_alive(benchmark::State& state) {
  alignas(64) static char buffer[4096];
  tacit::arena a(buffer, sizeof buffer);
  for (auto _ : state) {
    void* p = ::operator new(block);
    benchmark::DoNotOptimize(p);
    ::operator delete(p, block);
  }
}
BENCHMARK(BM_new_delete_buffer_arena_alive);

// Opening and closing a scope.
void BM_scope_open_close(benchmark::State& state) {
  tacit::arena a;
  for (auto _ : state) {
    with_alloc(a) benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_scope_open_close);

// [[tacit::uses(alloc)]]'s entry check, as the plugin inserts it, with
// checked mode off (TACIT_CHECK unset): a load of check_mode and a branch.
// Compare with the same function without it. (Run with TACIT_CHECK=1 to see
// the checked cost; the arena benchmarks then show the slow path, which
// checked mode always takes.)
__attribute__((noinline)) int plain_callee(int x) {
  benchmark::DoNotOptimize(x);
  return x + 1;
}
__attribute__((noinline)) int checked_callee(int x) {
  ::tacit::detail::uses_check __tacit_uses_alloc("checked_callee", __FILE__,
                                                 __LINE__);
  benchmark::DoNotOptimize(x);
  return x + 1;
}
// One benchmark, two callees: the names are the ones the tables use.
template <int (*Callee)(int)>
void BM_call(benchmark::State& state) {
  tacit::arena a;
  int x = 0;
  with_alloc(a) {
    for (auto _ : state) x = Callee(x);
  }
  benchmark::DoNotOptimize(x);
}
BENCHMARK(BM_call<plain_callee>)->Name("BM_call_without_uses_check");
BENCHMARK(BM_call<checked_callee>)->Name("BM_call_with_uses_check");
#endif

}  // namespace

BENCHMARK_MAIN();
