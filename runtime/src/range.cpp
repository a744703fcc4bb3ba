// runtime/src/range.cpp — the reserved range: where top-level arena chunks
// come from.
//
// One large reservation of address space (64 GiB, less if the system
// refuses), carved into page-aligned runs with one free list per size class;
// the classes step by a quarter of a power of two (1, 2, 3, 4, 5, 6, 7, 8,
// 10, 12, 14, 16, 20, … pages, as jemalloc's size classes), so a run is at
// most 25 % larger than asked and arenas can grow gently (lanes.cpp,
// take_chunk).
// "Is this pointer an arena block?" is then a subtract and a compare
// (in_range, internal.hpp), and a flat page table beside it names each
// page's chunk (pages.cpp).
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <bit>
#include <cstring>
#include <mutex>

#include "containers.hpp"
#include "internal.hpp"

namespace tacit::detail {

constinit ownership_globals g_range{0, 0, nullptr};

namespace {

// The reserved range.
constexpr std::size_t max_reserve = std::size_t{64} << 30;  // 64 GiB
constexpr std::size_t min_reserve = std::size_t{256} << 20;
constexpr int size_classes = 4 * 40;  // see run_class

struct range_state {
  spinlock lock;
  bool tried = false;
  std::uintptr_t frontier = 0;  // offset of the first never-used byte
  void* free_runs[size_classes] = {};
};
constinit range_state g_range_state;

bool reserve_range() noexcept {
  for (std::size_t span = max_reserve; span >= min_reserve; span /= 2) {
    void* base = os_reserve(span);
    if (!base) continue;
    auto* table = static_cast<std::atomic<chunk*>*>(
        os_reserve((span >> page_shift) * sizeof(std::atomic<chunk*>)));
    if (!table) {
      os_unreserve(base, span);
      continue;
    }
    // Page-aligned by mmap; every chunk in it is page-aligned.
    __atomic_store_n(&g_range.base, reinterpret_cast<std::uintptr_t>(base),
                     __ATOMIC_RELAXED);
    g_range.page_owner = table;
    __atomic_store_n(&g_range.span, span, __ATOMIC_RELEASE);
    return true;
  }
  return false;
}

}  // namespace

std::size_t range_round_up(std::size_t size) noexcept {
  std::size_t pages = (size + page_size - 1) >> page_shift;
  return run_pages(run_class(pages ? pages : 1)) << page_shift;
}

std::size_t range_round_down(std::size_t size) noexcept {
  std::size_t pages = size >> page_shift;
  if (pages == 0) return 0;
  int k = run_class(pages);
  if (run_pages(k) > pages) --k;
  return run_pages(k) << page_shift;
}

void* range_take(std::size_t& size) noexcept {
  std::size_t pages = (size + page_size - 1) >> page_shift;
  int k = run_class(pages ? pages : 1);
  if (k >= size_classes) return nullptr;
  std::size_t bytes = run_pages(k) << page_shift;

  std::lock_guard<spinlock> hold(g_range_state.lock);
  if (!g_range_state.tried) {
    g_range_state.tried = true;
    reserve_range();
  }
  if (g_range.span == 0) return nullptr;
  void* p = nullptr;
  // Under AddressSanitizer, fresh addresses first: a freed chunk stays
  // poisoned as long as possible, so a late use of it is caught. Only in
  // the first GiB, though: poison lives in shadow memory, and a long run
  // walking all 64 GiB of fresh addresses would commit gigabytes of it.
  bool fresh_first =
      asan_linked() && g_range_state.frontier < (std::size_t{1} << 30);
  if (!fresh_first && g_range_state.free_runs[k]) {
    p = g_range_state.free_runs[k];
    std::memcpy(&g_range_state.free_runs[k], p, sizeof(void*));
  } else if (g_range_state.frontier + bytes <= g_range.span) {
    p = reinterpret_cast<void*>(g_range.base + g_range_state.frontier);
    g_range_state.frontier += bytes;
  } else if (g_range_state.free_runs[k]) {
    p = g_range_state.free_runs[k];
    std::memcpy(&g_range_state.free_runs[k], p, sizeof(void*));
  }
  if (!p) return nullptr;
  size = bytes;
  return p;
}

void range_give(void* p, std::size_t size) noexcept {
  int k = run_class(size >> page_shift);
  TACIT_ASSERT(run_pages(k) << page_shift == size &&
               (reinterpret_cast<std::uintptr_t>(p) - g_range.base) %
                       page_size == 0 &&
               reinterpret_cast<std::uintptr_t>(p) - g_range.base <
                   g_range.span);
  // Large runs give their memory back to the system; small ones stay
  // committed for the next arena (a request arena per request is common).
  // (Under AddressSanitizer every run: fresh addresses come first, so a run
  // may wait long before it is used again.)
  if (size >= (std::size_t{1} << 20) || asan_linked()) os_discard(p, size);
  // The free list's link lives in the run's first word: the one word of it
  // kept addressable under AddressSanitizer (the rest stays poisoned).
  asan_unpoison(p, sizeof(void*));
  std::lock_guard<spinlock> hold(g_range_state.lock);
  std::memcpy(p, &g_range_state.free_runs[k], sizeof(void*));
  g_range_state.free_runs[k] = p;
}

}  // namespace tacit::detail
