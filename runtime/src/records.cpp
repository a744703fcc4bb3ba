// runtime/src/records.cpp — foreign blocks: one record per block a foreign
// resource (anything but a tacit::arena) made through operator new, with its
// resource, size and alignment, so the free reaches it exactly.
//
// Records are sharded by page (a record and its page's count in one shard,
// so adding or taking one is one lock) and consulted only while
// g_foreign_live is nonzero.
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <algorithm>
#include <mutex>

#include "containers.hpp"
#include "internal.hpp"

namespace tacit::detail {

// Shards holding records; nonzero means some record may exist (read by
// free_owned's emptying free, internal.hpp).
alignas(64) constinit std::atomic<std::size_t> g_record_count{0};

namespace {

// Block records, sharded by page: a record and its page's count live in the
// same shard, so adding or taking one is a single lock. The global gates
// move only when a shard goes from empty to not, so a busy foreign scope
// does not bounce one cache line between threads on every block.
struct alignas(64) record_shard {
  spinlock lock;
  std::size_t count = 0;           // records in this shard
  word_map<block_record> records;  // block address -> record
  word_map<std::size_t> pages;     // page -> records starting in it
};
constexpr int record_shards = 64;
constinit record_shard g_records[record_shards];

record_shard& shard_of_page(std::uintptr_t page) noexcept {
  return g_records[(page * fibonacci_multiplier) >> 58];
}

}  // namespace

bool add_record(void* p, const block_record& r) noexcept {
  if (TACIT_UNLIKELY(inject_failure())) return false;
  auto key = reinterpret_cast<std::uintptr_t>(p);
  // operator new's blocks are aligned (forget_records_in scans only those
  // addresses), whatever the resource returned.
  TACIT_ASSERT(key % default_new_align == 0 && r.align != 0 &&
               key % r.align == 0);
  std::uintptr_t page = key >> page_shift;
  record_shard& sh = shard_of_page(page);
  std::lock_guard<spinlock> hold(sh.lock);
  block_record fresh = r;
  fresh.shadowed = nullptr;
  block_record* older = sh.records.find(key);
  if (older) {
    auto* kept = static_cast<block_record*>(std::malloc(sizeof(block_record)));
    if (!kept) return false;
    *kept = *older;
    fresh.shadowed = kept;
  }
  // The page count first (a new page starts at 0), then the record: either
  // can run out of memory, and nothing is left half-made.
  bool new_page = sh.pages.find(page) == nullptr;
  if (new_page && !sh.pages.put(page, 0)) {
    std::free(fresh.shadowed);
    return false;
  }
  if (!sh.records.put(key, fresh)) {
    if (new_page) sh.pages.erase(page);
    std::free(fresh.shadowed);
    return false;
  }
  ++*sh.pages.find(page);
  if (sh.count++ == 0) {
    g_record_count.fetch_add(1, std::memory_order_acq_rel);
    g_foreign_live.fetch_add(1, std::memory_order_acq_rel);
  }
  return true;
}

namespace {
// Counts `dropped` records of `page` out of the (locked) shard.
void uncount_locked(record_shard& sh, std::uintptr_t page,
                    std::size_t dropped) noexcept {
  std::size_t* n = sh.pages.find(page);
  TACIT_ASSERT(n && *n >= dropped && sh.count >= dropped);
  if (n && (*n -= dropped) == 0) sh.pages.erase(page);
  if ((sh.count -= dropped) == 0) {
    g_record_count.fetch_sub(1, std::memory_order_acq_rel);
    g_foreign_live.fetch_sub(1, std::memory_order_acq_rel);
  }
}

// Takes the record of the block at `key` (see take_record) from its locked
// shard; with `all`, drops every record there.
take_result take_locked(record_shard& sh, std::uintptr_t key,
                        std::size_t size, block_record& out,
                        bool all = false) noexcept {
  block_record* top = sh.records.find(key);
  if (!top) return take_result::none;
  // The record wanted: the newest, unless a size names an older one.
  block_record* want = top;
  if (size != 0 && top->size != size) {
    std::size_t largest = top->size;
    want = nullptr;
    for (block_record* r = top->shadowed; r && !want; r = r->shadowed) {
      if (r->size == size) want = r;
      largest = std::max(largest, r->size);
    }
    // Larger than every block here: memory holding them, not one of them.
    if (!want && size > largest) return take_result::containing;
    if (!want) want = top;
  }
  out = *want;
  out.shadowed = nullptr;
  // Drop `want` and every newer record (with `all`, every record); keep
  // what it shadowed. `top` lives in the map; the older ones were malloc'd.
  block_record* below = all ? nullptr : want->shadowed;
  std::size_t dropped = 1;
  for (block_record* r = top->shadowed; r && r != below; ++dropped) {
    block_record* older = r->shadowed;
    std::free(r);
    r = older;
  }
  if (below) {
    *top = *below;
    std::free(below);
  } else {
    sh.records.erase(key);
  }
  uncount_locked(sh, key >> page_shift, dropped);
  return take_result::taken;
}
}  // namespace

take_result take_record(void* p, std::size_t size,
                        block_record& out) noexcept {
  if (g_record_count.load(std::memory_order_acquire) == 0)
    return take_result::none;
  auto key = reinterpret_cast<std::uintptr_t>(p);
  record_shard& sh = shard_of_page(key >> page_shift);
  std::lock_guard<spinlock> hold(sh.lock);
  return take_locked(sh, key, size, out);
}

namespace {
// Drops the records of blocks in [begin, end) that start in `page`, from its
// locked shard.
void forget_in_page_locked(record_shard& sh, std::uintptr_t page,
                           std::uintptr_t begin, std::uintptr_t end) noexcept {
  if (!sh.pages.find(page)) return;
  // Records are of blocks operator new asked for: at least 16-aligned.
  std::uintptr_t lo = std::max(begin, page << page_shift);
  std::uintptr_t hi = std::min(end, (page + 1) << page_shift);
  lo = (lo + default_new_align - 1) & ~(default_new_align - 1);
  block_record dropped;
  for (std::uintptr_t a = lo; a < hi && sh.pages.find(page);
       a += default_new_align)
    take_locked(sh, a, 0, dropped, /*all=*/true);
}
}  // namespace

void forget_records_in(const void* p, std::size_t size) noexcept {
  if (g_record_count.load(std::memory_order_acquire) == 0 || size == 0) return;
  std::uintptr_t begin = reinterpret_cast<std::uintptr_t>(p);
  std::uintptr_t end = begin + size;
  std::uintptr_t first = begin >> page_shift, last = (end - 1) >> page_shift;
  if (last - first < 64) {
    for (std::uintptr_t page = first; page <= last; ++page) {
      record_shard& sh = shard_of_page(page);
      std::lock_guard<spinlock> hold(sh.lock);
      forget_in_page_locked(sh, page, begin, end);
    }
    return;
  }
  // A large range (a big chunk going back): visit the pages that hold
  // records, shard by shard, not every page of the range (a 256 MiB chunk
  // is 65,536 pages, each a lock).
  for (record_shard& sh : g_records) {
    std::lock_guard<spinlock> hold(sh.lock);
    if (sh.count == 0) continue;
    for (;;) {
      std::uintptr_t found[64];
      int n = 0;
      sh.pages.each_key([&](std::uintptr_t page) {
        if (page >= first && page <= last && n < 64) found[n++] = page;
      });
      for (int i = 0; i < n; ++i) forget_in_page_locked(sh, found[i], begin, end);
      if (n < 64) break;  // else there may be more: look again
    }
  }
}

std::pmr::memory_resource* record_owner(const void* p) noexcept {
  auto key = reinterpret_cast<std::uintptr_t>(p);
  record_shard& sh = shard_of_page(key >> page_shift);
  std::lock_guard<spinlock> hold(sh.lock);
  block_record* rec = sh.records.find(key);
  return rec ? rec->resource : nullptr;
}

}  // namespace tacit::detail
