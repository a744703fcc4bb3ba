// bench/pinned.cpp — memory follows live data: one tacit::arena per request,
// each request building transient data (300 strings and a std::map of them)
// and leaving a 4 KiB block and a 512-byte node alive for long (a database's
// memtable block, a work-queue node), pushed into tables that live for the
// whole run. Only the push is under without_alloc, as in
// test/runtime/arena-pinned.cpp: the blocks themselves are made in the
// request's arena, so each arena's chunk outlives it ("pinned") and later
// arenas fill the space around them (docs/internals.md, "Memory follows live
// data").
//
// Every variant runs kRequests requests, so that the peak resident set
// (peak_rss_bytes, VmHWM) measures the same work; bench/run runs each
// variant in a process of its own for that reason.
//
//   BM_pinned_global_heap           stock code, no scope
//   BM_pinned_tacit_arena           a fresh arena per request (the target)
//   BM_pinned_tacit_arena_reset     ONE arena, reset() after each request
//   BM_pinned_tacit_blocks_on_heap  an arena per request, the long-lived
//                                   blocks made under without_alloc too (what
//                                   a programmer who knows writes by hand)
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "tacit_bench.hpp"

#include <tacit/testing.hpp>

#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace {

constexpr int kRequests = 4000;  // iterations per variant (peak RSS: same work)

struct node {
  char bytes[512];
};

// The long-lived tables: made on the global heap before the run, for good.
struct tables {
  std::vector<std::unique_ptr<char[]>> memtable;
  std::vector<std::unique_ptr<node>> queue;
  tables() {
    memtable.reserve(kRequests);
    queue.reserve(kRequests);
  }
};

// Stock code: one request. `heap_blocks`: make the long-lived blocks under
// without_alloc as well (the hand-written variant).
std::size_t request(tables& t, int i, bool heap_blocks) {
  std::map<int, std::string> index;
  std::vector<std::string> words;
  for (int k = 0; k < 300; ++k) {
    words.push_back(std::string(60 + (k * 7 + i) % 120, char('a' + k % 26)));
    index[k] = words.back();
  }
  std::unique_ptr<char[]> block;
  std::unique_ptr<node> n;
  if (heap_blocks) {
    without_alloc {
      block = std::make_unique<char[]>(4096);
      n = std::make_unique<node>();
    }
  } else {
    block = std::make_unique<char[]>(4096);
    n = std::make_unique<node>();
  }
  std::memset(block.get(), i & 0xff, 4096);
  std::memset(n->bytes, (i + 1) & 0xff, 512);
  without_alloc {  // the tables themselves live for the whole run
    t.memtable.push_back(std::move(block));
    t.queue.push_back(std::move(n));
  }
  return index.size() + words.size();
}

// The blocks left behind are intact (an arena that reused a pinned block's
// memory would have overwritten it).
void check(benchmark::State& state, const tables& t) {
  for (std::size_t i = 0; i < t.memtable.size(); ++i)
    if (t.memtable[i][4095] != char(i & 0xff) ||
        t.queue[i]->bytes[0] != char((i + 1) & 0xff)) {
      state.SkipWithError("a block left behind was overwritten");
      return;
    }
}

void report(benchmark::State& state, const tables& t) {
  tacit_bench::report_peak_rss(state);
  state.counters["pinned_chunk_bytes"] =
      double(tacit::testing::pinned_chunk_bytes());
  check(state, t);
}

void BM_pinned_global_heap(benchmark::State& state) {
  auto* t = new tables;
  int i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(request(*t, i++, false));
  report(state, *t);
  delete t;
}
BENCHMARK(BM_pinned_global_heap)->Iterations(kRequests);

void BM_pinned_tacit_arena(benchmark::State& state) {
  auto* t = new tables;
  int i = 0;
  for (auto _ : state) {
    tacit::arena a;  // this request's
    with_alloc(a) benchmark::DoNotOptimize(request(*t, i++, false));
  }
  report(state, *t);
  delete t;
}
BENCHMARK(BM_pinned_tacit_arena)->Iterations(kRequests);

void BM_pinned_tacit_arena_reset(benchmark::State& state) {
  auto* t = new tables;
  tacit::arena a;
  int i = 0;
  for (auto _ : state) {
    with_alloc(a) benchmark::DoNotOptimize(request(*t, i++, false));
    a.reset();
  }
  report(state, *t);
  delete t;
}
BENCHMARK(BM_pinned_tacit_arena_reset)->Iterations(kRequests);

void BM_pinned_tacit_blocks_on_heap(benchmark::State& state) {
  auto* t = new tables;
  int i = 0;
  for (auto _ : state) {
    tacit::arena a;
    with_alloc(a) benchmark::DoNotOptimize(request(*t, i++, true));
  }
  report(state, *t);
  delete t;
}
BENCHMARK(BM_pinned_tacit_blocks_on_heap)->Iterations(kRequests);

}  // namespace

BENCHMARK_MAIN();
