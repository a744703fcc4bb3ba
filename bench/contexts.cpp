// bench/contexts.cpp — what a user-declared context costs (issue 18, SPEC §6:
// "opening one allocates nothing; reading one is a thread-local load"),
// beside the two ways C++ code carries such a value today.
//
//   BM_context_get            tacit::get<logger>() in a with_context scope
//   BM_context_find           tacit::find<logger>()
//   BM_thread_local_by_hand   the same read of a thread_local pointer written
//                             by hand (what get is meant to cost)
//   BM_parameter_by_hand      the value passed down as a parameter (the
//                             explicit baseline: a call that takes it)
//   BM_context_scope          opening and closing with_context(logger, ...)
//   BM_thread_local_scope_by_hand  the same save, set and restore by hand
//   BM_bind_no_contexts       tacit::bind of a lambda, no user context in
//                             effect (what a program that uses none pays)
//   BM_bind_two_contexts      the same with two user contexts in effect
//
// Each read feeds a noinline consumer, so that it is not hoisted out of the
// loop; the consumer's own cost is in every row alike.
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <benchmark/benchmark.h>

#include <tacit/alloc.hpp>

namespace {

struct Logger {
  int level;
};
TACIT_CONTEXT(logger, Logger);
TACIT_CONTEXT(request_id, long);

thread_local Logger* t_logger = nullptr;  // the hand-written thread_local

__attribute__((noinline)) int use(const Logger& l) {
  benchmark::DoNotOptimize(&l);
  return l.level;
}
__attribute__((noinline)) int read_get() { return use(tacit::get<logger>()); }
__attribute__((noinline)) int read_find() { return use(*tacit::find<logger>()); }
__attribute__((noinline)) int read_thread_local() { return use(*t_logger); }
__attribute__((noinline)) int read_parameter(const Logger& l) { return use(l); }

void BM_context_get(benchmark::State& state) {
  Logger l{1};
  with_context(logger, l) {
    for (auto _ : state) benchmark::DoNotOptimize(read_get());
  }
}
BENCHMARK(BM_context_get);

void BM_context_find(benchmark::State& state) {
  Logger l{1};
  with_context(logger, l) {
    for (auto _ : state) benchmark::DoNotOptimize(read_find());
  }
}
BENCHMARK(BM_context_find);

void BM_thread_local_by_hand(benchmark::State& state) {
  Logger l{1};
  t_logger = &l;
  for (auto _ : state) benchmark::DoNotOptimize(read_thread_local());
  t_logger = nullptr;
}
BENCHMARK(BM_thread_local_by_hand);

void BM_parameter_by_hand(benchmark::State& state) {
  Logger l{1};
  for (auto _ : state) benchmark::DoNotOptimize(read_parameter(l));
}
BENCHMARK(BM_parameter_by_hand);

void BM_context_scope(benchmark::State& state) {
  Logger l{1};
  for (auto _ : state) {
    with_context(logger, l) benchmark::DoNotOptimize(read_get());
  }
}
BENCHMARK(BM_context_scope);

void BM_thread_local_scope_by_hand(benchmark::State& state) {
  Logger l{1};
  for (auto _ : state) {
    Logger* saved = t_logger;
    t_logger = &l;
    benchmark::DoNotOptimize(read_thread_local());
    t_logger = saved;
  }
}
BENCHMARK(BM_thread_local_scope_by_hand);

void BM_bind_no_contexts(benchmark::State& state) {
  int x = 0;
  for (auto _ : state) {
    auto f = tacit::bind([&] { ++x; });
    f();
    benchmark::DoNotOptimize(x);
  }
}
BENCHMARK(BM_bind_no_contexts);

void BM_bind_two_contexts(benchmark::State& state) {
  int x = 0;
  Logger l{1};
  with_context(logger, l) with_context(request_id, 42L) {
    for (auto _ : state) {
      auto f = tacit::bind([&] { x += tacit::get<logger>().level; });
      f();
      benchmark::DoNotOptimize(x);
    }
  }
}
BENCHMARK(BM_bind_two_contexts);

}  // namespace

BENCHMARK_MAIN();
