// bench/n4468.cpp — the container-growth benchmark of N4468 / P0089 (Lakos,
// Mendelsohn, Meredith, Myers, "On Quantifying Memory-Allocation
// Strategies", benchmark I): create a container, grow it, destroy it, for
// twelve data structures and several allocation strategies.
//
// Data structures, as in the paper (T: int, or a string of 33 to 1000
// characters cut from a buffer of random characters):
//   DS1/DS2   vector<T>                       2^M elements
//   DS3/DS4   unordered_set<T>                2^M elements
//   DS5/DS6   vector<vector<T>>               2^M copies of one inner
//   DS7/DS8   vector<unordered_set<T>>        container of 128 elements
//   DS9/DS10  unordered_set<vector<T>>        (outer sets hash and compare
//   DS11/DS12 unordered_set<unordered_set<T>>  by address, as in the paper)
// The outer container is reserve()d first, as in the paper.
//
// Strategies (the paper's allocation strategies, in std::pmr terms, plus
// Tacit's), each with a fresh resource per container, as in the paper:
//   global_heap             std:: types, operator new/delete (AS1)
//   tacit_arena             std:: types inside with_alloc(tacit::arena)
//   tacit_pool              std:: types inside with_alloc(pool)
//   pmr_monotonic           pmr:: types, monotonic_buffer_resource, the
//                           container destroyed normally (monotonic, AS4)
//   pmr_monotonic_drop      the same, the container never destroyed: its
//                           memory is dropped with the resource ("drop")
//   pmr_pool                pmr:: types, unsynchronized_pool_resource
//                           (multipool, AS10)
//   pmr_pool_monotonic_drop a pool over a monotonic resource, container and
//                           pool dropped with the monotonic (AS14)
//   floor                   the floor: the same containers on
//                           tacit_bench::floor_allocator (a bump inlined into
//                           them, no free), one arena for the benchmark, its
//                           memory reset after each container
// Not taken from the paper: its compile-time-bound allocator variants (the
// standard has no such resource), and its 1 GiB preallocated buffer for the
// monotonic allocators (here resources grow from the global heap, like the
// arena). Tacit has no "drop": an arena keeps a chunk alive while a block
// in it is live, so a container never destroyed would be leaked.
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "tacit_bench.hpp"

#include <cstring>
#include <memory_resource>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

namespace {

// --- elements ---------------------------------------------------------------
char trash[1 << 16];
std::minstd_rand engine;
std::uniform_int_distribution<int> pos_dist(0, sizeof(trash) - 1001);
std::uniform_int_distribution<int> len_dist(33, 1000);

void fill_trash() {
  std::uniform_int_distribution<int> c('!', '~');
  for (char& ch : trash) ch = char(c(engine));
}

// Touch memory so that the work is not optimised away.
inline void touch(const void* p) {
  benchmark::DoNotOptimize(p);
  benchmark::ClobberMemory();
}

template <class C>
void add_int(C& c, int v) {
  if constexpr (requires { c.emplace_back(v); }) {
    c.emplace_back(v);
    touch(&c.back());
  } else {
    c.emplace(v);
  }
}
template <class C>
void add_string(C& c) {
  const char* p = trash + pos_dist(engine);
  const std::size_t n = std::size_t(len_dist(engine));
  if constexpr (requires { c.emplace_back(p, n); }) {
    c.emplace_back(p, n);
    touch(c.back().data());
  } else {
    c.emplace(p, n);
  }
}

// Outer sets of containers hash and compare by address, as in the paper.
template <class T>
struct by_address_hash {
  std::size_t operator()(const T& t) const noexcept {
    return 1048583u * (1 + reinterpret_cast<std::uintptr_t>(&t));
  }
};
template <class T>
struct by_address_equal {
  bool operator()(const T& a, const T& b) const noexcept { return &a == &b; }
};

// --- type families: std::, std::pmr:: or the floor's --------------------------
struct std_types {
  using string = std::string;
  template <class T>
  using vector = std::vector<T>;
  template <class T, class H = std::hash<T>, class E = std::equal_to<T>>
  using uset = std::unordered_set<T, H, E>;
};
struct pmr_types {
  using string = std::pmr::string;
  template <class T>
  using vector = std::pmr::vector<T>;
  template <class T, class H = std::hash<T>, class E = std::equal_to<T>>
  using uset = std::pmr::unordered_set<T, H, E>;
};
struct floor_types {
  using string = tacit_bench::floor::string;
  template <class T>
  using vector = tacit_bench::floor::vector<T>;
  template <class T, class H = std::hash<T>, class E = std::equal_to<T>>
  using uset = tacit_bench::floor::unordered_set<T, H, E>;
};

// --- the twelve data structures ---------------------------------------------
// Each: a type (given the family) and the work: grow `c` (empty, reserved).
template <class F>
struct ds_vec_int {
  using type = typename F::template vector<int>;
  static void work(type& c, int n) {
    for (int i = 0; i < n; ++i) add_int(c, i);
  }
};
template <class F>
struct ds_vec_str {
  using type = typename F::template vector<typename F::string>;
  static void work(type& c, int n) {
    for (int i = 0; i < n; ++i) add_string(c);
  }
};
template <class F>
struct ds_set_int {
  using type = typename F::template uset<int>;
  static void work(type& c, int n) {
    for (int i = 0; i < n; ++i) add_int(c, i);
  }
};
template <class F>
struct ds_set_str {
  using type = typename F::template uset<typename F::string>;
  static void work(type& c, int n) {
    for (int i = 0; i < n; ++i) add_string(c);
  }
};

// Nested: one inner container of 128 elements, then 2^M copies of it.
template <class Inner, bool Str>
Inner make_inner(const typename Inner::allocator_type& a) {
  Inner s(a);
  if constexpr (requires { s.reserve(128); }) s.reserve(128);
  for (int i = 0; i < 128; ++i) {
    if constexpr (Str)
      add_string(s);
    else
      add_int(s, int(engine()));
  }
  return s;
}
template <class Outer>
void copy_inner(Outer& c, int n) {
  if constexpr (requires { c.emplace_back(c.back()); }) {
    for (int i = 0; i < n; ++i) c.emplace_back(c.back());
  } else {
    for (int i = 0; i < n; ++i) c.emplace(*c.begin());
  }
}
template <class Outer, class Inner, bool Str>
void nested_work(Outer& c, int n) {
  Inner first = make_inner<Inner, Str>(c.get_allocator());
  if constexpr (requires { c.push_back(std::move(first)); })
    c.push_back(std::move(first));
  else
    c.emplace(std::move(first));
  copy_inner(c, n);
}

template <class F, template <class> class InnerOf, template <class, class> class OuterOf,
          bool Str>
struct ds_nested {
  using elem = std::conditional_t<Str, typename F::string, int>;
  using inner = InnerOf<elem>;
  using type = OuterOf<F, inner>;
  static void work(type& c, int n) { nested_work<type, inner, Str>(c, n); }
};
template <class F, class Inner>
using outer_vec = typename F::template vector<Inner>;
template <class F, class Inner>
using outer_set =
    typename F::template uset<Inner, by_address_hash<Inner>, by_address_equal<Inner>>;

template <class F> struct inner_of {
  template <class T> using vec = typename F::template vector<T>;
  template <class T> using set = typename F::template uset<T>;
};

template <class F> using ds5 = ds_nested<F, inner_of<F>::template vec, outer_vec, false>;
template <class F> using ds6 = ds_nested<F, inner_of<F>::template vec, outer_vec, true>;
template <class F> using ds7 = ds_nested<F, inner_of<F>::template set, outer_vec, false>;
template <class F> using ds8 = ds_nested<F, inner_of<F>::template set, outer_vec, true>;
template <class F> using ds9 = ds_nested<F, inner_of<F>::template vec, outer_set, false>;
template <class F> using ds10 = ds_nested<F, inner_of<F>::template vec, outer_set, true>;
template <class F> using ds11 = ds_nested<F, inner_of<F>::template set, outer_set, false>;
template <class F> using ds12 = ds_nested<F, inner_of<F>::template set, outer_set, true>;

// --- strategies ---------------------------------------------------------------
template <class C>
void grow(C& c, int n, void (*work)(C&, int)) {
  c.reserve(std::size_t(n));
  work(c, n);
}

template <template <class> class DS>
struct strategies {
  using S = typename DS<std_types>::type;
  using P = typename DS<pmr_types>::type;
  using F = typename DS<floor_types>::type;

  static void global_heap(benchmark::State& state) {
    const int n = 1 << state.range(0);
    for (auto _ : state) {
      S c;
      grow(c, n, &DS<std_types>::work);
    }
  }
  static void tacit_arena(benchmark::State& state) {
    const int n = 1 << state.range(0);
    for (auto _ : state) {
      tacit::arena a;
      with_alloc(a) {
        S c;
        grow(c, n, &DS<std_types>::work);
      }
    }
  }
  static void tacit_pool(benchmark::State& state) {
    const int n = 1 << state.range(0);
    for (auto _ : state) {
      std::pmr::unsynchronized_pool_resource pool;
      with_alloc(pool) {
        S c;
        grow(c, n, &DS<std_types>::work);
      }
    }
  }
  static void pmr_monotonic(benchmark::State& state) {
    const int n = 1 << state.range(0);
    for (auto _ : state) {
      std::pmr::monotonic_buffer_resource mono;
      P c(&mono);
      grow(c, n, &DS<pmr_types>::work);
    }
  }
  static void pmr_monotonic_drop(benchmark::State& state) {
    const int n = 1 << state.range(0);
    for (auto _ : state) {
      std::pmr::monotonic_buffer_resource mono;
      P* c = std::pmr::polymorphic_allocator<>(&mono).new_object<P>();
      grow(*c, n, &DS<pmr_types>::work);
    }
  }
  static void pmr_pool(benchmark::State& state) {
    const int n = 1 << state.range(0);
    for (auto _ : state) {
      std::pmr::unsynchronized_pool_resource pool;
      P c(&pool);
      grow(c, n, &DS<pmr_types>::work);
    }
  }
  static void pmr_pool_monotonic_drop(benchmark::State& state) {
    const int n = 1 << state.range(0);
    for (auto _ : state) {
      std::pmr::monotonic_buffer_resource mono;
      auto* pool = std::pmr::polymorphic_allocator<>(&mono)
                       .new_object<std::pmr::unsynchronized_pool_resource>(&mono);
      P* c = std::pmr::polymorphic_allocator<>(pool).new_object<P>();
      grow(*c, n, &DS<pmr_types>::work);
    }
  }
  static void floor(benchmark::State& state) {
    const int n = 1 << state.range(0);
    tacit_bench::floor_arena a;
    tacit_bench::floor_scope use(a);
    for (auto _ : state) {
      {
        F c;
        grow(c, n, &DS<floor_types>::work);
        touch(&c);  // the allocator is inline: keep the container
      }
      a.reset();
    }
  }

  static void add(const char* ds, bool flat) {
    struct {
      const char* name;
      void (*fn)(benchmark::State&);
    } const all[] = {{"global_heap", &global_heap},
                     {"tacit_arena", &tacit_arena},
                     {"tacit_pool", &tacit_pool},
                     {"pmr_monotonic", &pmr_monotonic},
                     {"pmr_monotonic_drop", &pmr_monotonic_drop},
                     {"pmr_pool", &pmr_pool},
                     {"pmr_pool_monotonic_drop", &pmr_pool_monotonic_drop},
                     {"floor", &floor}};
    for (const auto& s : all) {
      auto* b = benchmark::RegisterBenchmark(
          (std::string("n4468/") + ds + "/" + s.name).c_str(), s.fn);
      b->ArgName("M")->Arg(4)->Arg(8);
      // Flat containers also at 2^12 elements (a nested one would hold half
      // a million strings).
      if (flat) b->Arg(12);
    }
  }
};

}  // namespace

int main(int argc, char** argv) {
  fill_trash();
  strategies<ds_vec_int>::add("DS1", true);
  strategies<ds_vec_str>::add("DS2", true);
  strategies<ds_set_int>::add("DS3", true);
  strategies<ds_set_str>::add("DS4", true);
  strategies<ds5>::add("DS5", false);
  strategies<ds6>::add("DS6", false);
  strategies<ds7>::add("DS7", false);
  strategies<ds8>::add("DS8", false);
  strategies<ds9>::add("DS9", false);
  strategies<ds10>::add("DS10", false);
  strategies<ds11>::add("DS11", false);
  strategies<ds12>::add("DS12", false);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
