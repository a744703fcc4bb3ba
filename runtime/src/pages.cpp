// runtime/src/pages.cpp — which chunk holds a pointer.
//
//   the page table   one entry per page of the reserved range (range.cpp):
//                    the owning chunk, the innermost for nested chunks.
//   the page map     for chunks outside the range (taken from a foreign
//                    resource, or from malloc once the range is full):
//                    page -> chunk, a sharded hash.
//   buffer ranges    the first buffers users give arenas: exact ranges
//                    (they need not be page-aligned, so pages won't do).
//
// The last two are consulted only while g_foreign_live is nonzero.
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <mutex>

#include "containers.hpp"
#include "internal.hpp"

namespace tacit::detail {

namespace {

constinit sharded_map<chunk*> g_page_map;  // pages outside the range
alignas(64) constinit std::atomic<std::size_t> g_outside_chunks{0};

// First-buffer ranges, read without a lock: entries are never moved (a
// removed one becomes a tombstone that a later add may reuse), so a reader
// scanning [0, high_water) cannot miss a live range. A range is added before
// any block in it exists and removed after the last one is freed, so a
// reader never races with the change of a range its pointer is in.
struct buffer_range {
  std::atomic<std::uintptr_t> begin{0}, end{0};
  std::atomic<chunk*> owner{nullptr};
};
// The table grows in segments that never move: the first is static, the
// others are calloc'd when needed (zeroed memory is empty ranges).
constexpr int segment_size = 256;
constexpr int max_segments = 256;  // 65536 first buffers alive at once
struct buffer_state {
  spinlock lock;  // writers only
  std::atomic<int> high_water{0};
  buffer_range first_segment[segment_size];
  std::atomic<buffer_range*> segments[max_segments] = {};
};
constinit buffer_state g_buffers;

buffer_range& range_at(int i) noexcept {
  return g_buffers.segments[i / segment_size].load(
      std::memory_order_acquire)[i % segment_size];
}

alignas(64) constinit std::atomic<std::size_t> g_buffer_live{0};

// The innermost first buffer holding `p`: buffers can nest (a buffer carved
// from a block of another arena's buffer), and the innermost is the smallest.
chunk* buffer_owner(const void* p) noexcept {
  auto a = reinterpret_cast<std::uintptr_t>(p);
  int n = g_buffers.high_water.load(std::memory_order_acquire);
  chunk* best = nullptr;
  std::uintptr_t best_size = ~std::uintptr_t{0};
  for (int i = 0; i < n; ++i) {
    buffer_range& r = range_at(i);
    std::uintptr_t b = r.begin.load(std::memory_order_acquire);
    std::uintptr_t e = r.end.load(std::memory_order_acquire);
    if (a >= b && a < e && e - b < best_size) {
      best = r.owner.load(std::memory_order_acquire);
      best_size = e - b;
    }
  }
  return best;
}


}  // namespace

chunk* page_owner(const void* p) noexcept {
  std::uintptr_t off;
  if (in_range(p, off))
    return g_range.page_owner[off >> page_shift].load(
        std::memory_order_acquire);
  if (g_outside_chunks.load(std::memory_order_acquire) == 0) return nullptr;
  std::uintptr_t page = reinterpret_cast<std::uintptr_t>(p) >> page_shift;
  return g_page_map.with_shard(page, [&](word_map<chunk*>& m) -> chunk* {
    chunk** c = m.find(page);
    return c ? *c : nullptr;
  });
}

chunk* claim_pages(void* p, std::size_t size, chunk* c) noexcept {
  chunk* prev = page_owner(p);
  std::uintptr_t off;
  if (in_range(p, off)) {
    for (std::size_t i = 0; i < size >> page_shift; ++i)
      g_range.page_owner[(off >> page_shift) + i].store(
          c, std::memory_order_release);
    return prev;
  }
  std::uintptr_t first = reinterpret_cast<std::uintptr_t>(p) >> page_shift;
  for (std::size_t i = 0; i < size >> page_shift; ++i) {
    bool ok = g_page_map.with_shard(
        first + i, [&](word_map<chunk*>& m) { return m.put(first + i, c); });
    if (!ok) fatal("out of memory for the page map");
  }
  g_outside_chunks.fetch_add(1, std::memory_order_acq_rel);
  g_foreign_live.fetch_add(1, std::memory_order_acq_rel);
  return prev;
}

void restore_pages(void* p, std::size_t size, chunk* prev) noexcept {
  std::uintptr_t off;
  if (in_range(p, off)) {
    for (std::size_t i = 0; i < size >> page_shift; ++i)
      g_range.page_owner[(off >> page_shift) + i].store(
          prev, std::memory_order_release);
    return;
  }
  std::uintptr_t first = reinterpret_cast<std::uintptr_t>(p) >> page_shift;
  for (std::size_t i = 0; i < size >> page_shift; ++i)
    g_page_map.with_shard(first + i, [&](word_map<chunk*>& m) {
      return prev ? m.put(first + i, prev) : m.erase(first + i);
    });
  TACIT_ASSERT(g_outside_chunks.load() > 0 && g_foreign_live.load() > 0);
  g_outside_chunks.fetch_sub(1, std::memory_order_acq_rel);
  g_foreign_live.fetch_sub(1, std::memory_order_acq_rel);
}

// ---------------------------------------------------------------------------
bool add_buffer_range(chunk* c) noexcept {
  std::lock_guard<spinlock> hold(g_buffers.lock);
  if (!g_buffers.segments[0].load(std::memory_order_relaxed))
    g_buffers.segments[0].store(g_buffers.first_segment,
                                std::memory_order_release);
  int n = g_buffers.high_water.load(std::memory_order_relaxed);
  int i = 0;
  while (i < n && range_at(i).owner.load(std::memory_order_relaxed)) ++i;
  if (i == n) {  // a new slot, perhaps in a new segment
    if (i == segment_size * max_segments) return false;
    std::atomic<buffer_range*>& seg = g_buffers.segments[i / segment_size];
    if (!seg.load(std::memory_order_relaxed)) {
      auto* fresh = static_cast<buffer_range*>(
          std::calloc(segment_size, sizeof(buffer_range)));
      if (!fresh) return false;
      seg.store(fresh, std::memory_order_release);
    }
  }
  buffer_range& r = range_at(i);
  r.owner.store(c, std::memory_order_release);
  r.end.store(c->end, std::memory_order_release);
  r.begin.store(reinterpret_cast<std::uintptr_t>(c), std::memory_order_release);
  if (i == n) g_buffers.high_water.store(n + 1, std::memory_order_release);
  g_buffer_live.fetch_add(1, std::memory_order_acq_rel);
  g_foreign_live.fetch_add(1, std::memory_order_acq_rel);
  return true;
}

void remove_buffer_range(chunk* c) noexcept {
  std::lock_guard<spinlock> hold(g_buffers.lock);
  int n = g_buffers.high_water.load(std::memory_order_relaxed);
  for (int i = 0; i < n; ++i) {
    buffer_range& r = range_at(i);
    if (r.owner.load(std::memory_order_relaxed) == c) {
      r.begin.store(0, std::memory_order_release);
      r.end.store(0, std::memory_order_release);
      r.owner.store(nullptr, std::memory_order_release);
      g_buffer_live.fetch_sub(1, std::memory_order_acq_rel);
      g_foreign_live.fetch_sub(1, std::memory_order_acq_rel);
      return;
    }
  }
}

// ---------------------------------------------------------------------------
// The chunk a block of which `p` is: the innermost of the first buffers and
// the page owner (a chunk nested in a first buffer, or a first buffer inside
// another arena's chunk — the smaller one is inside the other).
chunk* chunk_of(const void* p) noexcept {
  chunk* page = page_owner(p);
  if (g_buffer_live.load(std::memory_order_acquire) == 0) return page;
  chunk* buffer = buffer_owner(p);
  if (!buffer) return page;
  if (!page) return buffer;
  std::uintptr_t buffer_size =
      buffer->end - reinterpret_cast<std::uintptr_t>(buffer);
  return page->size < buffer_size ? page : buffer;
}

}  // namespace tacit::detail
