// runtime/src/ownership.cpp — who owns a pointer.
//
// operator delete must send every block back to the resource that made it,
// from any thread, at any time, while staying as cheap as free() for blocks
// of the global heap. Four structures answer "whose is this?":
//
//   the reserved range   one large reservation of address space that system
//                        chunks (arena chunks taken at top level) are carved
//                        from; "is it ours?" is a subtract and a compare, and
//                        a flat page table names the owning chunk.
//   the page map         for chunks outside the range (taken from a foreign
//                        resource, or from malloc once the range is full):
//                        page -> chunk, a sharded hash.
//   buffer ranges        the first buffers users give arenas: exact ranges
//                        (they need not be page-aligned, so pages won't do).
//   block records        one per block a foreign resource (anything but a
//                        tacit::arena) made through operator new: its
//                        resource, size and alignment.
//
// The last three are consulted only while g_foreign_live is nonzero.
#include <malloc.h>

#include <bit>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "internal.hpp"

namespace tacit::detail {

constinit ownership_globals g_range{0, 0, nullptr};
alignas(64) constinit std::atomic<std::size_t> g_foreign_live{0};

namespace {

// A small spinlock: critical sections here are a few dozen instructions.
class spinlock {
 public:
  void lock() noexcept {
    while (flag_.exchange(true, std::memory_order_acquire))
      while (flag_.load(std::memory_order_relaxed)) __builtin_ia32_pause();
  }
  void unlock() noexcept { flag_.store(false, std::memory_order_release); }

 private:
  std::atomic<bool> flag_{false};
};

// An open-addressing hash map from a nonzero word to a value, one shard of
// the maps below. Storage comes from calloc (never operator new).
template <class V>
class word_map {
 public:
  V* find(std::uintptr_t key) noexcept {
    if (size_ == 0) return nullptr;
    for (std::size_t i = slot(key);; i = (i + 1) & mask_) {
      if (keys_[i] == key) return &values_[i];
      if (keys_[i] == 0) return nullptr;
    }
  }

  // Inserts or overwrites. False when memory ran out.
  bool put(std::uintptr_t key, const V& v) noexcept {
    if ((size_ + 1) * 2 > capacity() && !grow()) return false;
    std::size_t i = slot(key);
    for (; keys_[i] != 0; i = (i + 1) & mask_) {
      if (keys_[i] == key) {
        values_[i] = v;
        return true;
      }
    }
    keys_[i] = key;
    values_[i] = v;
    ++size_;
    return true;
  }

  bool erase(std::uintptr_t key, V* out = nullptr) noexcept {
    if (size_ == 0) return false;
    std::size_t i = slot(key);
    for (; keys_[i] != key; i = (i + 1) & mask_)
      if (keys_[i] == 0) return false;
    if (out) *out = values_[i];
    // Backward-shift deletion: no tombstones.
    std::size_t hole = i;
    for (std::size_t j = (i + 1) & mask_; keys_[j] != 0; j = (j + 1) & mask_) {
      std::size_t home = slot(keys_[j]);
      if (((j - home) & mask_) >= ((j - hole) & mask_)) {
        keys_[hole] = keys_[j];
        values_[hole] = values_[j];
        hole = j;
      }
    }
    keys_[hole] = 0;
    --size_;
    return true;
  }

  std::size_t size() const noexcept { return size_; }

  // Calls f(key) for every key (no insertion or erasure meanwhile).
  template <class F>
  void each_key(F&& f) const noexcept {
    for (std::size_t i = 0; i < capacity(); ++i)
      if (keys_[i] != 0) f(keys_[i]);
  }

 private:
  std::size_t capacity() const noexcept { return keys_ ? mask_ + 1 : 0; }
  std::size_t slot(std::uintptr_t key) const noexcept {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> 20) &
           mask_;
  }
  bool grow() noexcept {
    std::size_t cap = keys_ ? (mask_ + 1) * 2 : 64;
    auto* keys =
        static_cast<std::uintptr_t*>(std::calloc(cap, sizeof(std::uintptr_t)));
    auto* values = static_cast<V*>(std::calloc(cap, sizeof(V)));
    if (!keys || !values) {
      std::free(keys);
      std::free(values);
      return false;
    }
    std::uintptr_t* old_keys = keys_;
    V* old_values = values_;
    std::size_t old_cap = capacity();
    keys_ = keys;
    values_ = values;
    mask_ = cap - 1;
    size_ = 0;
    for (std::size_t i = 0; i < old_cap; ++i)
      if (old_keys[i] != 0) put(old_keys[i], old_values[i]);
    std::free(old_keys);
    std::free(old_values);
    return true;
  }

  std::uintptr_t* keys_ = nullptr;
  V* values_ = nullptr;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

// A word_map split into locked shards, so frees on many threads rarely meet.
template <class V>
class sharded_map {
 public:
  template <class F>
  auto with_shard(std::uintptr_t key, F&& f) noexcept {
    shard& s = shards_[(key * 0x9E3779B97F4A7C15ull) >> 58];
    std::lock_guard<spinlock> hold(s.lock);
    return f(s.map);
  }

 private:
  struct alignas(64) shard {
    spinlock lock;
    word_map<V> map;
  };
  shard shards_[64];
};

// ---------------------------------------------------------------------------
// The reserved range.
constexpr std::size_t max_reserve = std::size_t{64} << 30;  // 64 GiB
constexpr std::size_t min_reserve = std::size_t{256} << 20;
constexpr int size_classes = 48;  // runs of 2^k pages

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
    g_range.base = reinterpret_cast<std::uintptr_t>(base);
    g_range.page_owner = table;
    __atomic_store_n(&g_range.span, span, __ATOMIC_RELEASE);
    return true;
  }
  return false;
}

int size_class(std::size_t pages) noexcept {
  return std::bit_width(pages - 1);  // ceil(log2(pages))
}

constinit sharded_map<chunk*> g_page_map;  // pages outside the range

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
alignas(64) constinit std::atomic<std::size_t> g_outside_chunks{0};

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
// Shards holding records; nonzero means some record may exist.
alignas(64) constinit std::atomic<std::size_t> g_record_count{0};

record_shard& shard_of_page(std::uintptr_t page) noexcept {
  return g_records[(page * 0x9E3779B97F4A7C15ull) >> 58];
}

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

// ---------------------------------------------------------------------------
void* range_take(std::size_t& size) noexcept {
  std::size_t pages = (size + page_size - 1) >> page_shift;
  int k = size_class(pages);
  if (k >= size_classes) return nullptr;
  pages = std::size_t{1} << k;
  std::size_t bytes = pages << page_shift;

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
  int k = size_class(size >> page_shift);
  TACIT_ASSERT(std::has_single_bit(size >> page_shift) &&
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

// ---------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------
namespace {
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
}  // namespace

std::pmr::memory_resource* find_owner(const void* p) noexcept {
  auto key = reinterpret_cast<std::uintptr_t>(p);
  {
    record_shard& sh = shard_of_page(key >> page_shift);
    std::lock_guard<spinlock> hold(sh.lock);
    if (block_record* rec = sh.records.find(key)) return rec->resource;
  }
  if (chunk* c = chunk_of(p)) return c->holder;
  return &global();
}

void free_slow(void* p, std::size_t size, std::size_t align) noexcept {
  if (!p) return;
  if (TACIT_UNLIKELY(check_mode != 0) && !check_free(p, size, align)) return;
  block_record r;
  take_result found = take_record(p, size, r);
  if (found == take_result::taken) {
    enclosing_context outside(r.resource);
    r.resource->deallocate(static_cast<char*>(p) - r.offset,
                           r.asked ? r.asked : r.size, r.align);
    return;
  }
  if (chunk* c = chunk_of(p)) {
    // A resource's chunk, a block of this arena, going back: the blocks it
    // made inside it are gone with it.
    if (found == take_result::containing) forget_records_in(p, size);
    return chunk_free(c, p, size, align);
  }
  std::uintptr_t off;
  if (in_range(p, off))
    fatal(
        "operator delete(%p): the pointer is inside the arena range but "
        "in no live chunk (a double free, or a pointer tacit never made)",
        p);
  // A block of the global heap. If foreign blocks lived inside it (their
  // resource kept its memory here and never freed them), forget them: the
  // address may come back from malloc for something else.
  std::size_t len = size ? size : malloc_usable_size(p);
  forget_records_in(p, len);
  if (TACIT_UNLIKELY(check_mode != 0)) {
    auto b = reinterpret_cast<std::uintptr_t>(p);
    check_forget(b, b + len);
  }
  std::free(p);
}

}  // namespace tacit::detail
