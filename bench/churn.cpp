// bench/churn.cpp — reuse under churn: one long-lived scope in which document
// trees are built and destroyed, thousands of times (a server loop, a test
// run). Each document is a tree of small nodes with std::string and
// std::vector members; every iteration builds one, walks it, destroys it.
//
// Every variant runs a fixed number of iterations (kDocuments) so that the
// peak resident set (peak_rss_bytes, from VmHWM) measures the same work;
// bench/run runs each variant in a process of its own for that reason.
//
//   BM_churn_global_heap            stock types, no scope
//   BM_churn_tacit_arena            stock types, ONE with_alloc(arena) around
//                                   the whole loop (the target)
//   BM_churn_tacit_arena_reset      the same, arena.reset() after each
//                                   document (what works without reuse)
//   BM_churn_tacit_pool             stock types in with_alloc(pool), one
//                                   unsynchronized_pool_resource
//   BM_churn_pmr_pool_explicit      pmr:: types, the pool passed by hand
//   BM_churn_pmr_monotonic_explicit pmr:: types, one monotonic_buffer_resource
//                                   passed by hand: the bump baseline, which
//                                   never reuses
//   BM_churn_floor                  the floor: the same node of stock
//                                   containers on floor_allocator (a bump
//                                   inlined into them, no free), the memory
//                                   reset after each document
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "tacit_bench.hpp"

#include <cstdint>
#include <memory_resource>
#include <string>
#include <utility>
#include <vector>

namespace {

constexpr int kDocuments = 2000;  // iterations, in one scope
constexpr int kNodes = 1000;      // nodes per document (about)

// A node of stock types: knows nothing of allocators.
struct node {
  std::string tag;
  std::string text;
  std::vector<std::pair<std::string, std::string>> attrs;
  std::vector<node> children;
};

// The same node on the floor (tacit_bench.hpp): no free, reset per document.
struct floor_node {
  tacit_bench::floor::string tag;
  tacit_bench::floor::string text;
  tacit_bench::floor::vector<
      std::pair<tacit_bench::floor::string, tacit_bench::floor::string>>
      attrs;
  tacit_bench::floor::vector<floor_node> children;
};

// The hand-written std::pmr node: allocator-aware, so that the vectors pass
// their resource to the nodes and strings inside them.
struct pmr_node {
  using allocator_type = std::pmr::polymorphic_allocator<>;
  std::pmr::string tag;
  std::pmr::string text;
  std::pmr::vector<std::pair<std::pmr::string, std::pmr::string>> attrs;
  std::pmr::vector<pmr_node> children;

  explicit pmr_node(allocator_type a = {})
      : tag(a), text(a), attrs(a), children(a) {}
  pmr_node(const pmr_node& o, allocator_type a)
      : tag(o.tag, a), text(o.text, a), attrs(o.attrs, a),
        children(o.children, a) {}
  pmr_node(pmr_node&& o, allocator_type a)
      : tag(std::move(o.tag), a), text(std::move(o.text), a),
        attrs(std::move(o.attrs), a), children(std::move(o.children), a) {}
  pmr_node(pmr_node&&) noexcept = default;
  pmr_node& operator=(pmr_node&&) noexcept = default;
};

struct rng {
  std::uint64_t s;
  std::uint32_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return std::uint32_t(s);
  }
  std::size_t below(std::size_t n) { return next() % n; }
};

const char kText[] =
    "Tacit gives C++ scoped implicit allocator contexts: every operator new "
    "in the block and everything it calls comes from the scope's resource, "
    "a bump arena or any std::pmr::memory_resource, with no change to code.";

// The string of build()'s temporaries: std::string for the stock and pmr
// nodes (a pmr node's attributes copy theirs, as hand-written code does),
// the floor's own for the floor's, moved in as the stock node's are.
template <class Node>
struct temp_string {
  using type = std::string;
};
template <>
struct temp_string<floor_node> {
  using type = tacit_bench::floor::string;
};

// Builds a subtree under `n`, about `budget` nodes; the shape varies with the
// seed, so documents differ in size and order (as requests do).
template <class Node>
void build(Node& n, rng& r, int depth, int& budget) {
  n.tag.assign("element-");
  n.tag.append(std::to_string(r.below(100000)));
  n.text.assign(kText + r.below(40), r.below(4) == 0 ? 60 + r.below(80)
                                                     : r.below(14));
  using S = typename temp_string<Node>::type;
  const std::size_t attrs = r.below(4);
  for (std::size_t i = 0; i < attrs; ++i)
    n.attrs.emplace_back(S("attribute-" + std::to_string(i)),
                         S(kText + r.below(60), 4 + r.below(30)));
  if (depth > 6) return;
  const std::size_t kids = r.below(7);
  for (std::size_t i = 0; i < kids && budget > 0; ++i) {
    --budget;
    build(n.children.emplace_back(), r, depth + 1, budget);
  }
}

template <class Node>
std::size_t walk(const Node& n) {
  std::size_t s = n.tag.size() + n.text.size() + n.attrs.size();
  for (const auto& c : n.children) s += walk(c);
  return s;
}

// One document: build, walk, destroy.
template <class Node = node>
std::size_t document(std::uint64_t seed) {
  rng r{seed * 0x9E3779B97F4A7C15ull + 1};
  Node root;
  std::size_t total = 0;
  for (int budget = kNodes; budget > 0;) {
    --budget;
    build(root.children.emplace_back(), r, 1, budget);
  }
  total += walk(root);
  return total;
}

std::size_t pmr_document(std::uint64_t seed, std::pmr::memory_resource& res) {
  rng r{seed * 0x9E3779B97F4A7C15ull + 1};
  pmr_node root{std::pmr::polymorphic_allocator<>(&res)};
  std::size_t total = 0;
  for (int budget = kNodes; budget > 0;) {
    --budget;
    build(root.children.emplace_back(), r, 1, budget);
  }
  total += walk(root);
  return total;
}

// The most bytes one document holds at once: the `live` in chunk_ratio.
double document_peak_bytes() {
  std::size_t peak = 0;
  for (std::uint64_t i = 0; i < 16; ++i) {
    tacit::counting_resource one;
    with_alloc(one) benchmark::DoNotOptimize(document(i));
    if (one.stats().peak_bytes > peak) peak = one.stats().peak_bytes;
  }
  return double(peak);
}

void BM_churn_global_heap(benchmark::State& state) {
  std::uint64_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(document(i++));
  tacit_bench::report_peak_rss(state);
}
BENCHMARK(BM_churn_global_heap)->Iterations(kDocuments);

void BM_churn_tacit_arena(benchmark::State& state) {
  const double live = document_peak_bytes();
  tacit::arena a;
  std::uint64_t i = 0;
  with_alloc(a) {
    for (auto _ : state) benchmark::DoNotOptimize(document(i++));
  }
  tacit_bench::report_peak_rss(state);
  tacit_bench::report_chunk_ratio(state, a, live);
}
BENCHMARK(BM_churn_tacit_arena)->Iterations(kDocuments);

void BM_churn_tacit_arena_reset(benchmark::State& state) {
  const double live = document_peak_bytes();
  tacit::arena a;
  std::uint64_t i = 0;
  for (auto _ : state) {
    with_alloc(a) benchmark::DoNotOptimize(document(i++));
    a.reset();
  }
  tacit_bench::report_peak_rss(state);
  tacit_bench::report_chunk_ratio(state, a, live);
}
BENCHMARK(BM_churn_tacit_arena_reset)->Iterations(kDocuments);

void BM_churn_tacit_pool(benchmark::State& state) {
  std::pmr::unsynchronized_pool_resource pool;
  std::uint64_t i = 0;
  with_alloc(pool) {
    for (auto _ : state) benchmark::DoNotOptimize(document(i++));
  }
  tacit_bench::report_peak_rss(state);
}
BENCHMARK(BM_churn_tacit_pool)->Iterations(kDocuments);

void BM_churn_pmr_pool_explicit(benchmark::State& state) {
  std::pmr::unsynchronized_pool_resource pool;
  std::uint64_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(pmr_document(i++, pool));
  tacit_bench::report_peak_rss(state);
}
BENCHMARK(BM_churn_pmr_pool_explicit)->Iterations(kDocuments);

void BM_churn_pmr_monotonic_explicit(benchmark::State& state) {
  std::pmr::monotonic_buffer_resource mono;
  std::uint64_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(pmr_document(i++, mono));
  tacit_bench::report_peak_rss(state);
}
BENCHMARK(BM_churn_pmr_monotonic_explicit)->Iterations(kDocuments);

void BM_churn_floor(benchmark::State& state) {
  tacit_bench::floor_arena a;
  tacit_bench::floor_scope use(a);
  std::uint64_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(document<floor_node>(i++));
    a.reset();
  }
  tacit_bench::report_peak_rss(state);
}
BENCHMARK(BM_churn_floor)->Iterations(kDocuments);

}  // namespace

BENCHMARK_MAIN();
