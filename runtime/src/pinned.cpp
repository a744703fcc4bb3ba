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
//   4. the next lane that needs a chunk adopts it: it becomes the lane's
//      current chunk, bumped from its tail, and its holes join the lane's
//      free lists. Later arenas fill the space around the blocks that live
//      on, as a heap fills the space around long-lived objects.
//
// Adoption takes the chunk back from counting: the lane becomes its holder
// (frees from then on reach it), `remote` is swapped for 0 and what it held
// (minus the live count, minus the pool's own count) becomes `live`. A free
// that read no holder just before counts in `remote` afterwards, which the
// lane's live - remote accounts for (see `chunk` in internal.hpp).
//
// A pinned chunk whose last block is freed while it waits stays in the pool
// (its pages mostly given back) until a lane adopts it as an empty chunk, or
// a sweep at the next abandonment returns it.
#include <algorithm>
#include <cstring>
#include <mutex>

#include "containers.hpp"
#include "internal.hpp"
#include <tacit/testing.hpp>

namespace tacit::detail {

namespace {

struct pinned_pool {
  spinlock lock;
  chunk* head = nullptr;  // linked through next / pool_prev, newest first
  std::size_t fresh = 0;  // bytes of the chunks whose pages are all kept
};
constinit pinned_pool g_pinned;
constinit std::atomic<std::size_t> g_pinned_bytes{0};

// The newest pinned chunks keep their free pages (the next arenas adopt
// them soon, and would fault the pages in again); past this many bytes of
// them, the older ones give theirs back, as mimalloc purges pages after a
// delay.
constexpr std::size_t fresh_bytes = std::size_t{1} << 20;

// Gives back the pages wholly inside [b, e), keeping the first `keep` bytes
// (a hole's link).
void purge(std::uintptr_t b, std::uintptr_t e, std::size_t keep) noexcept {
  std::uintptr_t from = (b + keep + page_size - 1) & ~(page_size - 1);
  std::uintptr_t to = e & ~(page_size - 1);
  if (to > from) os_discard(reinterpret_cast<void*>(from), to - from);
}

// A pinned chunk's free pages go back to the system (a hole keeps its
// link's page).
void purge_free_pages(chunk* c) noexcept {
  for (hole* h = c->holes; h; h = h->next) {
    auto b = reinterpret_cast<std::uintptr_t>(h);
    purge(b, b + h->size, sizeof(hole));
  }
  purge(c->tail, c->end, 0);
  c->purged = true;
}

// The pool, under its lock.
void link_locked(chunk* c) noexcept {
  c->pool_prev = nullptr;
  c->next = g_pinned.head;
  if (c->next) c->next->pool_prev = c;
  g_pinned.head = c;
  if (!c->purged) g_pinned.fresh += c->size;
  c->pooled.store(true, std::memory_order_relaxed);
}
void unlink_locked(chunk* c) noexcept {
  if (c->pool_prev)
    c->pool_prev->next = c->next;
  else
    g_pinned.head = c->next;
  if (c->next) c->next->pool_prev = c->pool_prev;
  if (!c->purged) g_pinned.fresh -= c->size;
  c->pooled.store(false, std::memory_order_relaxed);
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

namespace {

// Sorts a list of holes by address (a merge sort of the list itself: the
// runtime allocates nothing here).
hole* sorted(hole* list) noexcept {
  if (!list || !list->next) return list;
  hole* slow = list;
  for (hole* fast = list->next; fast && fast->next; fast = fast->next->next)
    slow = slow->next;
  hole* second = slow->next;
  slow->next = nullptr;
  hole* a = sorted(list);
  hole* b = sorted(second);
  hole head{nullptr, 0};
  hole* tail = &head;
  while (a && b) {
    hole*& least = a < b ? a : b;
    tail->next = least;
    tail = least;
    least = least->next;
  }
  tail->next = a ? a : b;
  return head.next;
}

// Merges neighbouring holes of `c` (and a hole that ends where the tail
// starts, into the tail): fewer, larger runs for the lane that adopts it.
// A hole keeps the start bit of its first block only.
void coalesce(chunk* c) noexcept {
  c->holes = sorted(c->holes);
  hole** link = &c->holes;
  while (hole* h = *link) {
    auto b = reinterpret_cast<std::uintptr_t>(h);
    while (h->next && b + h->size == reinterpret_cast<std::uintptr_t>(h->next)) {
      hole* n = h->next;
      clear_start(c, reinterpret_cast<std::uintptr_t>(n));
      h->size += n->size;
      h->next = n->next;
    }
    if (b + h->size == c->tail) {  // the last hole joins the tail
      clear_start(c, b);
      c->tail = b;
      *link = h->next;
      continue;
    }
    link = &h->next;
  }
}

}  // namespace

// A pinned chunk taken out of the pool with only the pool's count left:
// that count goes, and with it the chunk.
void release_emptied(chunk* c) noexcept {
  g_pinned_bytes.fetch_sub(c->size, std::memory_order_relaxed);
  counted_free(c);  // -1 -> 0: returns the chunk
}

void pinned_emptied(chunk* c) noexcept {
  {
    std::lock_guard<spinlock> hold(g_pinned.lock);
    // (An adopter may have taken it meanwhile: then it is the adopter's, as
    // an empty chunk.)
    if (!c->pooled.load(std::memory_order_relaxed) ||
        c->remote.load(std::memory_order_acquire) != -1)
      return;
    unlink_locked(c);
  }
  release_emptied(c);
}

std::size_t arena_access::abandon_pinned(lane& l) noexcept {
  if (!l.reuse) return 0;
  // Which chunks: from the reserved range (whole pages the runtime owns),
  // with blocks alive beyond those waiting in the lists.
  bool any = false;
  for (chunk* c = l.chunks; c; c = c->next) {
    std::int64_t alive = static_cast<std::int64_t>(c->live - c->parked) -
                         c->remote.load(std::memory_order_acquire);
    c->pinned = c->from == source::range && alive > 0;
    c->holes = nullptr;
    c->tail = c->end;
    if (c == l.current && c->pinned) {
      // What the bump has not reached: the tail, or (an adopted chunk bumped
      // in a free run of its middle) the rest of that run, marked as a block
      // start.
      // (The bump stops anywhere; blocks start 16-aligned.)
      std::uintptr_t from = (l.cur + 15) & ~std::uintptr_t{15};
      if (l.limit == c->end) {
        c->tail = std::min(from, c->end);
      } else if (l.limit > from) {
        auto* h = reinterpret_cast<hole*>(from);
        set_start(c, from);
        h->size = l.limit - from;
        h->next = nullptr;
        c->holes = h;
      }
    }
    any |= c->pinned;
  }
  if (!any) return 0;
  // Their blocks in the free lists become their holes.
  auto take_holes = [&](void*& head, bool large) {
    void** link = &head;
    while (auto* b = static_cast<parked_block*>(*link)) {
      chunk* c = b->in;
      if (!c->pinned) {
        link = reinterpret_cast<void**>(&b->next);
        continue;
      }
      *link = b->next;
      auto* h = reinterpret_cast<hole*>(b);
      h->size = block_extent(l, c, reinterpret_cast<std::uintptr_t>(b));
      h->next = c->holes;
      c->holes = h;
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
    coalesce(c);
    // Worth it with at least an eighth of the chunk free; else it is let go
    // as it is (its holes are free memory, not blocks: not counted), and
    // its last block returns it.
    std::size_t free = c->end - c->tail;
    for (hole* h = c->holes; h; h = h->next) free += h->size;
    if (free * 16 < c->end - c->begin) {
      c->pinned = false;
      link = &c->next;
      continue;
    }
    *link = c->next;
    c->purged = false;
    if (c == l.current) {
      l.current = &no_chunk;
      l.cur = l.end = l.limit = 0;
    }
    add_relaxed(l.chunk_count, std::size_t(-1));
    bytes += c->size;
    // Let go into the pool, with one count more: the pool's (no free
    // returns it while it waits there; the free that leaves only that count
    // takes it out, pinned_emptied).
    TACIT_ASSERT(c->parked == 0);
    c->holder.store(nullptr, std::memory_order_release);
    g_pinned_bytes.fetch_add(c->size, std::memory_order_relaxed);
    auto live = static_cast<std::int64_t>(c->live) + 1;
    std::lock_guard<spinlock> hold(g_pinned.lock);
    link_locked(c);
    c->remote.fetch_sub(live, std::memory_order_acq_rel);
    purge_old_locked();
  }
  return bytes;
}

chunk* arena_access::adopt_pinned(lane& l) noexcept {
  if (!l.reuse || g_pinned.head == nullptr) return nullptr;
  chunk* c;
  {
    std::lock_guard<spinlock> hold(g_pinned.lock);
    c = g_pinned.head;
    if (!c) return nullptr;
    unlink_locked(c);
  }
  arena& a = *l.of;
  if (reserve(a, c->size, c->size, true) == 0) {  // over the arena's limit
    {
      std::lock_guard<spinlock> hold(g_pinned.lock);
      link_locked(c);
      if (c->remote.load(std::memory_order_acquire) != -1) return nullptr;
      // (its last block went meanwhile, with no one to take it out)
      unlink_locked(c);
    }
    release_emptied(c);
    return nullptr;
  }
  g_pinned_bytes.fetch_sub(c->size, std::memory_order_relaxed);
  // Frees reach this lane from now on; those that came before are in
  // `remote`, with the pool's own count.
  c->holder.store(&l, std::memory_order_release);
  std::int64_t before = c->remote.exchange(0, std::memory_order_acq_rel);
  c->live = static_cast<std::size_t>(-before - 1);
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
