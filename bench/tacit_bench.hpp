// bench/tacit_bench.hpp — what the Tacit benchmark suites share: the peak
// resident set of the process as a counter, arena statistics as counters,
// the floor (floor_allocator: a bump inlined into the containers, no free),
// the request workload (bench/containers.cpp, bench/threads.cpp) and the
// node workload (bench/containers.cpp).
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <list>
#include <map>
#include <memory_resource>
#include <new>
#include <set>
#include <string>
#include <string_view>
#include <tacit/alloc.hpp>
#include <unordered_map>
#include <unordered_set>
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

// --- the floor ---------------------------------------------------------------
// What allocation costs when it is nothing but a bump inlined into the
// containers: the same stock containers instantiated with floor_allocator,
// whose allocate bumps a pointer through the current floor_arena and whose
// deallocate does nothing; the arena is rewound (reset()) once per request.
// No context to look up (one global pointer), no size class, no free, no
// reuse: allocation reduced to the bump, and every variant of the
// containers, churn and N4468 suites is compared with it ("× the floor").

// Big blocks taken with malloc, kept, and bumped through again after each
// reset(); a request that outgrows them takes another block (at least
// block_bytes, more for a larger request), so it never fails short of
// malloc failing (std::bad_alloc).
class floor_arena {
 public:
  static constexpr std::size_t block_bytes = std::size_t(1) << 20;

  floor_arena() { enter(take(0, block_bytes)); }
  floor_arena(const floor_arena&) = delete;
  floor_arena& operator=(const floor_arena&) = delete;
  ~floor_arena() {
    for (const block& b : blocks_) std::free(b.base);
  }

  // The whole fast path: align, compare, bump. `align` is a power of two.
  void* allocate(std::size_t bytes, std::size_t align) {
    const std::size_t pad = (std::size_t(0) - cur_) & (align - 1);
    if (bytes + pad <= end_ - cur_) [[likely]] {
      const std::uintptr_t p = cur_ + pad;
      cur_ = p + bytes;
      return reinterpret_cast<void*>(p);
    }
    return next_block(bytes, align);
  }

  // Everything allocated so far is dropped; the blocks are kept.
  void reset() { enter(0); }

 private:
  struct block {
    unsigned char* base;
    std::size_t size;
  };

  // Past the end of the current block: the next kept block if the request
  // fits in it, else a new block put before it (the smaller one is still
  // used later, after the next reset()).
  [[gnu::noinline]] void* next_block(std::size_t bytes, std::size_t align) {
    const std::size_t need = bytes + align;  // room for any padding
    std::size_t i = current_ + 1;
    if (i == blocks_.size() || blocks_[i].size < need)
      take(i, need > block_bytes ? need : block_bytes);
    enter(i);
    return allocate(bytes, align);  // fits: need > bytes + pad
  }

  std::size_t take(std::size_t at, std::size_t size) {
    void* base = std::malloc(size);
    if (!base) throw std::bad_alloc();
    blocks_.insert(blocks_.begin() + std::ptrdiff_t(at),
                   block{static_cast<unsigned char*>(base), size});
    return at;
  }

  void enter(std::size_t i) {
    current_ = i;
    cur_ = reinterpret_cast<std::uintptr_t>(blocks_[i].base);
    end_ = cur_ + blocks_[i].size;
  }

  std::uintptr_t cur_ = 0, end_ = 0;
  std::size_t current_ = 0;
  std::vector<block> blocks_;
};

// The arena floor_allocator bumps: set by a floor_scope.
inline floor_arena* floor_current = nullptr;

// Makes `a` the current floor arena for the scope's lifetime.
class floor_scope {
 public:
  explicit floor_scope(floor_arena& a) : prev_(floor_current) {
    floor_current = &a;
  }
  floor_scope(const floor_scope&) = delete;
  floor_scope& operator=(const floor_scope&) = delete;
  ~floor_scope() { floor_current = prev_; }

 private:
  floor_arena* prev_;
};

// A stateless allocator: every instance bumps the current floor arena, so
// nested containers (a vector of strings) need nothing passed to them.
template <class T>
struct floor_allocator {
  using value_type = T;

  floor_allocator() = default;
  template <class U>
  floor_allocator(const floor_allocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    if (n > std::size_t(PTRDIFF_MAX) / sizeof(T))
      throw std::bad_array_new_length();
    return static_cast<T*>(floor_current->allocate(n * sizeof(T), alignof(T)));
  }
  void deallocate(T*, std::size_t) noexcept {}

  template <class U>
  bool operator==(const floor_allocator<U>&) const noexcept {
    return true;
  }
};

// The standard containers on the floor, named as std::pmr names its own.
namespace floor {
using string =
    std::basic_string<char, std::char_traits<char>, floor_allocator<char>>;
template <class T>
using vector = std::vector<T, floor_allocator<T>>;
template <class T>
using list = std::list<T, floor_allocator<T>>;
template <class K, class C = std::less<K>>
using set = std::set<K, C, floor_allocator<K>>;
template <class K, class V, class C = std::less<K>>
using map = std::map<K, V, C, floor_allocator<std::pair<const K, V>>>;
template <class T, class H = std::hash<T>, class E = std::equal_to<T>>
using unordered_set = std::unordered_set<T, H, E, floor_allocator<T>>;
template <class K, class V, class H = std::hash<K>, class E = std::equal_to<K>>
using unordered_map =
    std::unordered_map<K, V, H, E, floor_allocator<std::pair<const K, V>>>;
}  // namespace floor

}  // namespace tacit_bench

// floor::string hashes as std::string does (the same bytes, the same hash).
template <>
struct std::hash<tacit_bench::floor::string> {
  std::size_t operator()(const tacit_bench::floor::string& s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};
#if defined(__GLIBCXX__)
// And like std::string's, libstdc++ is told the hash is slow, so that an
// unordered_map keeps each node's hash (as it does for std::string) instead
// of hashing every key again when it rehashes: the same container, or the
// floor would not be the stock code's floor.
template <>
struct std::__is_fast_hash<std::hash<tacit_bench::floor::string>>
    : std::false_type {};
#endif

namespace tacit_bench {

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

// The same request on the floor (a floor_scope open around it).
inline std::size_t floor_request() {
  floor::vector<floor::string> words;
  floor::unordered_map<floor::string, int> counts;
  floor::map<int, floor::vector<floor::string>> by_count;
  floor::string reply;
  return request<floor::string>(words, counts, by_count, reply);
}

// --- the node workload ------------------------------------------------------
// One request: build and destroy an unordered_set<int>, a map<int, int>, a
// list<int> and a set<string> of 4,096 elements each, one after the other,
// the keys in a scrambled order; each string (22 to 25 characters) is longer
// than the short-string buffer, so it is a block of its own too. Almost
// nothing but node allocations and frees: where an allocator's pair shows.

constexpr int node_elements = 4096;

// The i-th key inserted: a permutation of 0 ... node_elements - 1.
constexpr int node_key(int i) { return (i * 2053) & (node_elements - 1); }

inline const std::vector<std::string>& node_strings() {
  static const std::vector<std::string> s = [] {
    std::vector<std::string> v;
    for (int i = 0; i < node_elements; ++i)
      v.push_back("node-" + std::to_string(i) + "-of-the-workload");
    return v;
  }();
  return s;
}

// Stock code again: the containers come made, empty.
template <class USet, class Map, class List, class Set>
std::size_t nodes(USet& us, Map& m, List& l, Set& s) {
  const auto& strings = node_strings();
  for (int i = 0; i < node_elements; ++i) us.insert(node_key(i));
  for (int i = 0; i < node_elements; ++i) m.emplace(node_key(i), i);
  for (int i = 0; i < node_elements; ++i) l.push_back(node_key(i));
  for (int i = 0; i < node_elements; ++i) {
    const std::string& k = strings[std::size_t(node_key(i))];
    s.emplace(k.data(), k.size());
  }
  return us.size() + m.size() + l.size() + s.size() + s.begin()->size() +
         std::size_t(m.rbegin()->second + l.back());
}

inline std::size_t stock_nodes() {
  std::unordered_set<int> us;
  std::map<int, int> m;
  std::list<int> l;
  std::set<std::string> s;
  return nodes(us, m, l, s);
}

// std::pmr types, `r` passed by hand.
inline std::size_t pmr_nodes(std::pmr::memory_resource& r) {
  std::pmr::unordered_set<int> us(&r);
  std::pmr::map<int, int> m(&r);
  std::pmr::list<int> l(&r);
  std::pmr::set<std::pmr::string> s(&r);
  return nodes(us, m, l, s);
}

// On the floor (a floor_scope open around it).
inline std::size_t floor_nodes() {
  floor::unordered_set<int> us;
  floor::map<int, int> m;
  floor::list<int> l;
  floor::set<floor::string> s;
  return nodes(us, m, l, s);
}

}  // namespace tacit_bench
