// runtime/src/pinned.cpp — chunks that blocks outliving their arena keep
// alive ("pinned" chunks): their memory follows the live data.
//
// A request arena whose request leaves a block behind (a cache entry, a
// database's memtable block, a queue node) cannot return the chunk holding
// it: the block keeps the whole chunk alive. One arena per request, each
// leaving 4.5 KiB behind, held 7 times the heap's memory that way. So, when
// an arena lets go of a chunk from the reserved range that blocks still
// live in (at its end, or a reset):
//
//   1. its free blocks (those waiting in the lane's free lists) become the
//      chunk's holes, linked through themselves; the part never bumped is
//      its tail;
//   2. it waits in a pool, with one count of its own in `remote` so no free
//      can return it meanwhile;
//   3. once newer pinned chunks hold more than fresh_bytes, the pages wholly
//      inside its holes and tail go back to the system (madvise, as mimalloc
//      purges pages after a delay): it then costs about the pages its live
//      blocks touch;
//   4. the next lane of a top-level arena that needs a chunk adopts the
//      fullest that serves it (the pool's bins, below): it becomes the
//      lane's current chunk, bumped through its largest free run (its
//      tail, or a hole larger than the tail), and its other holes join the
//      lane's free lists (those a list can hold). Later arenas fill the
//      space around the blocks that live on, as a heap fills the space
//      around long-lived objects.
//
// Adoption takes the chunk back from counting: the lane becomes its holder
// (frees from then on reach it), `remote` is swapped for 0 and what it held
// (minus the live count, minus the pool's own count) becomes `live`. A free
// that read no holder just before counts in `remote` afterwards, which the
// lane's live - remote accounts for (see `chunk` in internal.hpp).
//
// A pinned chunk whose last block is freed while it waits is returned by
// that free: its add leaves `remote` at minus the pool's count, so it takes
// the chunk out of the pool and returns it (pinned_emptied). An adopter
// that took it first has it as an empty chunk.
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <algorithm>
#include <bit>
#include <cstring>
#include <mutex>

#include "containers.hpp"
#include "internal.hpp"
#include <tacit/testing.hpp>

namespace tacit::detail {

namespace {

// Pinned chunks wait in bins by their free bytes, and the next lane adopts
// the fullest that serves it: the blocks that outlive their requests then
// gather in few chunks, filling the pages around each other, instead of
// each chunk taking a few more and keeping its partly used pages for long
// (adopting the newest first, the blocks bench/pinned.cpp leaves behind
// touched 1.20 times the pages they touch on the heap; the fullest first,
// 1.09). Bin k holds the chunks with [2^k, 2^(k+1)) pages free (bin 0:
// under two). The age list, newest first, says which chunks keep their
// free pages (purge_old_locked).
inline constexpr int pool_bins = 16;
struct pinned_pool {
  spinlock lock;
  chunk* head = nullptr;  // the age list: through next / pool_prev
  chunk* bins[pool_bins] = {};  // through bin_next / bin_prev
  std::size_t fresh = 0;  // bytes of the chunks whose pages are all kept
};
constinit pinned_pool g_pinned;
constinit std::atomic<std::size_t> g_pinned_bytes{0};

// The newest pinned chunks keep their free pages (one pinned a moment ago
// is often adopted soon, and would fault its pages in again); past this
// many bytes of them, the older ones give theirs back, as mimalloc purges
// pages after a delay.
constexpr std::size_t fresh_bytes = std::size_t{1} << 20;

// Gives back the pages wholly inside [b, e), keeping the first `keep` bytes
// (a hole's link).
void purge(std::uintptr_t b, std::uintptr_t e, std::size_t keep) noexcept {
  std::uintptr_t from = (b + keep + page_size - 1) & ~(page_size - 1);
  std::uintptr_t to = e & ~(page_size - 1);
  if (to > from) os_discard(reinterpret_cast<void*>(from), to - from);
}

// A pinned chunk's free pages go back to the system. Its holes are listed
// outside it first (a hole's link would keep its page), to be linked again
// when it is adopted; with no memory for that list, each hole keeps its
// link's page.
void purge_free_pages(chunk* c) noexcept {
  std::size_t n = 0;
  for (hole* h = c->holes; h; h = h->next) ++n;
  auto* list = static_cast<hole*>(std::malloc((n + 1) * sizeof(hole)));
  std::size_t keep = list ? 0 : sizeof(hole);
  if (list) {
    // list[0]: the count; then each hole's address and size.
    list[0] = {nullptr, n};
    std::size_t i = 1;
    for (hole* h = c->holes; h; h = h->next) list[i++] = {h, h->size};
  }
  for (hole* h = c->holes; h;) {
    hole* next = h->next;
    auto b = reinterpret_cast<std::uintptr_t>(h);
    purge(b, b + h->size, keep);
    h = next;
  }
  purge(c->tail, c->end, 0);
  if (list) c->holes = list;  // (read back by relink_holes)
  c->listed = list != nullptr;
  c->purged = true;
}

// An adopted chunk whose free pages went back: its holes linked again.
void relink_holes(chunk* c) noexcept {
  if (!c->listed) return;
  c->listed = false;
  hole* list = c->holes;
  std::size_t n = list[0].size;
  hole** last = &c->holes;
  for (std::size_t i = 1; i <= n; ++i) {
    hole* h = list[i].next;  // (its address)
    h->size = list[i].size;
    *last = h;
    last = &h->next;
  }
  *last = nullptr;
  std::free(list);
}

unsigned char bin_of(std::size_t free) noexcept {
  int k = std::bit_width(free >> page_shift) - 1;
  return static_cast<unsigned char>(std::clamp(k, 0, pool_bins - 1));
}

// The pool, under its lock.
void link_locked(chunk* c) noexcept {
  c->pool_prev = nullptr;
  c->next = g_pinned.head;
  if (c->next) c->next->pool_prev = c;
  g_pinned.head = c;
  chunk*& bin = g_pinned.bins[c->bin];
  c->bin_prev = nullptr;
  c->bin_next = bin;
  if (bin) bin->bin_prev = c;
  bin = c;
  if (!c->purged) g_pinned.fresh += c->size;
  c->pooled = true;
}
void unlink_locked(chunk* c) noexcept {
  if (c->pool_prev)
    c->pool_prev->next = c->next;
  else
    g_pinned.head = c->next;
  if (c->next) c->next->pool_prev = c->pool_prev;
  if (c->bin_prev)
    c->bin_prev->bin_next = c->bin_next;
  else
    g_pinned.bins[c->bin] = c->bin_next;
  if (c->bin_next) c->bin_next->bin_prev = c->bin_prev;
  if (!c->purged) g_pinned.fresh -= c->size;
  c->pooled = false;
}

// The fullest chunk whose largest free run holds `need` bytes (a glance at
// a few of each bin: a bin's chunks differ by less than twice in free bytes).
chunk* fullest_locked(std::size_t need) noexcept {
  for (int k = 0; k < pool_bins; ++k) {
    if (need > (std::size_t{2} << k << page_shift)) continue;  // none so free
    int looked = 0;
    for (chunk* c = g_pinned.bins[k]; c && looked < 8; c = c->bin_next, ++looked)
      if (c->largest >= need) return c;
  }
  return nullptr;
}

// Past the newest fresh_bytes of chunks with their pages, the older ones
// give their free pages back.
void purge_old_locked() noexcept {
  if (g_pinned.fresh <= fresh_bytes) return;
  std::size_t kept = 0;
  for (chunk* c = g_pinned.head; c; c = c->next) {
    if (c->purged) continue;
    kept += c->size;
    if (kept <= fresh_bytes) continue;
    purge_free_pages(c);
    g_pinned.fresh -= c->size;
    if (g_pinned.fresh <= fresh_bytes) return;
  }
}

}  // namespace


// A pinned chunk taken out of the pool with only the pool's count left:
// that count goes, and with it the chunk.
void release_emptied(chunk* c) noexcept {
  g_pinned_bytes.fetch_sub(c->size, std::memory_order_relaxed);
  if (c->listed) std::free(c->holes);
  c->listed = false;
  // The pool's count goes: 0, and the chunk with it.
  if (c->remote.fetch_add(pool_count, std::memory_order_acq_rel) +
          pool_count == 0)
    release_chunk(c);
}

void pinned_emptied(chunk* c) noexcept {
  {
    std::lock_guard<spinlock> hold(g_pinned.lock);
    // (An adopter may have taken it meanwhile: then it is the adopter's, as
    // an empty chunk.)
    if (!c->pooled ||
        c->remote.load(std::memory_order_acquire) != -pool_count)
      return;
    unlink_locked(c);
  }
  release_emptied(c);
}

namespace {

// One bit per 16 bytes of each chunk being pinned: where its free blocks
// start. Scratch memory of the thread that resets or ends an arena, grown on
// malloc as needed (never operator new), kept for the next time.
struct scratch {
  std::uint64_t* words = nullptr;
  std::size_t size = 0;
};
thread_local constinit scratch t_scratch
    __attribute__((tls_model("initial-exec"))) = {nullptr, 0};

std::uint64_t* scratch_words(std::size_t n) noexcept {
  if (n > t_scratch.size) {
    void* p = std::realloc(t_scratch.words, n * sizeof(std::uint64_t));
    if (!p) return nullptr;
    t_scratch.words = static_cast<std::uint64_t*>(p);
    t_scratch.size = n;
  }
  std::memset(t_scratch.words, 0, n * sizeof(std::uint64_t));
  return t_scratch.words;
}

std::size_t bitmap_words(const chunk* c) noexcept {
  return start_bitmap_bytes(c->size) / sizeof(std::uint64_t);
}

// The holes of pinned chunk `c`: its free blocks (`freed`: their starts) in
// address order, each run of neighbours merged into one (a hole keeps the
// start bit of its first block only), up to `stop` (what the bump reached);
// a hole that ends there joins the tail. Returns the free bytes.
std::size_t find_holes(chunk* c, const std::uint64_t* freed,
                       std::uintptr_t stop) noexcept {
  std::uintptr_t base = reinterpret_cast<std::uintptr_t>(c);
  const std::uint64_t* starts = start_bits(c);
  hole** last = &c->holes;
  std::uintptr_t open = 0;  // the start of the hole being built, or 0
  std::size_t free = 0, largest = 0;
  auto close = [&](std::uintptr_t at) {
    auto* h = reinterpret_cast<hole*>(open);
    h->size = at - open;
    h->next = nullptr;
    *last = h;
    last = &h->next;
    free += h->size;
    largest = h->size > largest ? h->size : largest;
    open = 0;
  };
  std::size_t first = (c->begin - base) >> 10, end_word = ((stop - base) + 1023) >> 10;
  for (std::size_t w = first; w < end_word; ++w) {
    for (std::uint64_t bits = starts[w]; bits; bits &= bits - 1) {
      std::uintptr_t p = base + ((w << 6 | std::uintptr_t(__builtin_ctzll(bits))) << 4);
      if (p < c->begin || p >= stop) continue;
      bool is_free = freed[w] >> ((p - base) >> 4 & 63) & 1;
      if (is_free) {
        if (open)
          clear_start(c, p);  // merged into the hole before it
        else
          open = p;
      } else if (open) {
        close(p);
      }
    }
  }
  if (open) {  // the last hole reaches what the bump reached: the tail
    clear_start(c, open);
    c->tail = open;
  }
  if (c->tail != c->end) {
    free += c->end - c->tail;
    largest = c->end - c->tail > largest ? c->end - c->tail : largest;
  }
  c->largest = largest;
  return free;
}

}  // namespace

std::size_t arena_access::abandon_pinned(lane& l) noexcept {
  if (!l.reuse.load(std::memory_order_relaxed)) return 0;
  // Which chunks: from the reserved range (whole pages the runtime owns),
  // with blocks alive beyond those waiting in the lists. Each gets its part
  // of the scratch bitmap (its offset, in words, kept in `tail` meanwhile).
  std::size_t words = 0;
  for (chunk* c = l.chunks; c; c = c->next) {
    std::int64_t alive = static_cast<std::int64_t>(c->live - c->parked) -
                         c->remote.load(std::memory_order_acquire);
    c->pinned = c->from == source::range && alive > 0;
    if (!c->pinned) continue;
    c->tail = words;
    words += bitmap_words(c);
  }
  if (words == 0) return 0;
  std::uint64_t* freed = scratch_words(words);
  if (!freed) return 0;  // (no memory: let go as they are)
  // Their blocks in the free lists: out of the lists, marked free.
  auto mark = [&](chunk* c, std::uintptr_t p) {
    std::uintptr_t o = p - reinterpret_cast<std::uintptr_t>(c);
    freed[c->tail + (o >> 10)] |= std::uint64_t{1} << (o >> 4 & 63);
  };
  auto take_holes = [&](void*& head, bool large) {
    void** link = &head;
    while (auto* b = static_cast<parked_block*>(*link)) {
      chunk* c = b->in;
      if (!c->pinned) {
        link = reinterpret_cast<void**>(&b->next);
        continue;
      }
      *link = b->next;
      mark(c, reinterpret_cast<std::uintptr_t>(b));
      --c->parked;
      --c->live;
      --l.parked;
      if (large) --l.large_parked;
    }
  };
  for (void*& head : l.free_) take_holes(head, false);
  for (void*& head : l.large_free_) take_holes(head, true);
  std::size_t bytes = 0;
  chunk** link = &l.chunks;
  while (chunk* c = *link) {
    if (!c->pinned) {
      link = &c->next;
      continue;
    }
    std::uint64_t* mine = freed + c->tail;
    // What the bump has not reached: the tail; or, in an adopted chunk
    // bumped in a free run of its middle, the rest of that run (a free
    // block, its start marked). The bump stops anywhere; blocks start
    // 16-aligned.
    std::uintptr_t stop = c->end;
    c->tail = c->end;
    c->holes = nullptr;
    if (c == l.current) {
      std::uintptr_t from = (l.cur + 15) & ~std::uintptr_t{15};
      if (l.limit == c->end) {
        stop = c->tail = std::min(from, c->end);
      } else if (l.limit > from) {
        set_start(c, from);
        std::uintptr_t o = from - reinterpret_cast<std::uintptr_t>(c);
        mine[o >> 10] |= std::uint64_t{1} << (o >> 4 & 63);
      }
    }
    std::size_t free = find_holes(c, mine, stop);
    c->bin = bin_of(free);
    // Worth it with at least a sixteenth of the chunk free; else it is let
    // go as it is (its free blocks are free memory, not blocks: not
    // counted), and its last block returns it.
    if (free * 16 < c->end - c->begin) {
      c->pinned = false;
      link = &c->next;
      continue;
    }
    *link = c->next;
    c->purged = false;
    c->listed = false;
    if (c == l.current) {
      l.current = &no_chunk;
      l.cur = l.end = l.limit = 0;
    }
    add_relaxed(l.chunk_count, std::size_t(-1));
    bytes += c->size;
    // Let go into the pool, with the pool's count (no free returns it
    // while it waits there; the free that leaves only that count takes it
    // out, pinned_emptied).
    TACIT_ASSERT(c->parked == 0);
    c->holder.store(nullptr, std::memory_order_release);
    g_pinned_bytes.fetch_add(c->size, std::memory_order_relaxed);
    auto live = static_cast<std::int64_t>(c->live) + pool_count;
    std::lock_guard<spinlock> hold(g_pinned.lock);
    link_locked(c);
    c->remote.fetch_sub(live, std::memory_order_acq_rel);
    purge_old_locked();
  }
  return bytes;
}

chunk* arena_access::adopt_pinned(lane& l, std::size_t need) noexcept {
  // (An unlocked glance at the pool's bytes, not its head: a chunk just
  // pooled is found by the next refill.)
  if (!l.reuse.load(std::memory_order_relaxed) ||
      g_pinned_bytes.load(std::memory_order_relaxed) == 0)
    return nullptr;
  chunk* c;
  {
    std::lock_guard<spinlock> hold(g_pinned.lock);
    c = fullest_locked(need);
    if (!c) return nullptr;
    unlink_locked(c);
  }
  arena& a = *l.of();
  if (reserve(a, c->size, c->size, true) == 0) {  // over the arena's limit
    {
      std::lock_guard<spinlock> hold(g_pinned.lock);
      link_locked(c);
      if (c->remote.load(std::memory_order_acquire) != -pool_count)
      return nullptr;
      // (its last block went meanwhile, with no one to take it out)
      unlink_locked(c);
    }
    release_emptied(c);
    return nullptr;
  }
  relink_holes(c);
  g_pinned_bytes.fetch_sub(c->size, std::memory_order_relaxed);
  // Frees reach this lane from now on; those that came before are in
  // `remote`, with the pool's own count.
  c->holder.store(&l, std::memory_order_release);
  std::int64_t before = c->remote.exchange(0, std::memory_order_acq_rel);
  c->live = static_cast<std::size_t>(-before - pool_count);
  c->parked = 0;
  c->pinned = false;
  c->used = true;
  c->next = l.chunks;
  l.chunks = c;
  add_relaxed(l.chunk_count, std::size_t{1});
  // The bump runs through the largest free run: the tail, or a hole. The
  // other holes wait in the lane's free lists (as blocks its thread freed),
  // those a list can hold.
  std::uintptr_t run = c->tail, run_end = c->end;
  if (c->live == 0) {
    // Every block left behind is gone: an empty chunk.
    std::memset(start_bits(c), 0, start_bitmap_bytes(c->size));
    forget_records_in(reinterpret_cast<void*>(c->begin), c->end - c->begin);
    run = c->begin;
  } else {
    hole* largest = nullptr;
    for (hole* h = c->holes; h; h = h->next)
      if (h->size > run_end - run) {
        largest = h;
        run = reinterpret_cast<std::uintptr_t>(h);
        run_end = run + h->size;
      }
    if (largest && c->tail != c->end) {
      // The tail becomes a hole, its first block start marked so the block
      // before it ends there.
      auto* t = reinterpret_cast<hole*>(c->tail);
      t->size = c->end - c->tail;
      set_start(c, c->tail);
      t->next = c->holes;
      c->holes = t;
    }
    for (hole* h = c->holes; h;) {
      hole* next = h->next;
      std::size_t size = h->size;
      auto* b = reinterpret_cast<parked_block*>(h);
      void** head = nullptr;
      if (h == largest) {
        // (its start bit stays: the block before it ends there)
      } else if (size >= 16 && size <= park_max) {
        head = &l.free_[free_class(size)];
      } else if (size > park_max && size <= large_max &&
                 large_class_below(size) >= large_class_above(park_max + 1)) {
        head = &l.large_free_[large_class_below(size)];
        ++l.large_parked;
      }
      if (head) {  // (a hole too large for a list waits for the chunk to empty)
        b->in = c;
        b->next = static_cast<parked_block*>(*head);
        *head = b;
        ++c->live;
        ++c->parked;
        ++l.parked;
      }
      h = next;
    }
  }
  c->holes = nullptr;
  asan_unpoison(reinterpret_cast<void*>(run), run_end - run);
  // The chunk left behind is idle if nothing of it is alive.
  chunk* old = l.current;
  if (old != &no_chunk && old->live == 0) ++l.idle_chunks;
  l.current = c;
  l.cur = run;
  l.limit = run_end;
  l.end = arenas_slow() ? 0 : run_end;
  add_relaxed(l.reused, std::size_t{1});
  return c;
}

}  // namespace tacit::detail

std::size_t tacit::testing::pinned_chunk_bytes() noexcept {
  return tacit::detail::g_pinned_bytes.load(std::memory_order_relaxed);
}
