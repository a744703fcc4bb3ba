// runtime/src/lanes.cpp — a lane: one thread's part of a tacit::arena.
//
// A lane bumps a pointer through its current chunk. When the chunk is full
// it takes an idle chunk of its own, a chunk another arena left pinned
// (top-level arenas, pinned.cpp), or a new one from the arena's upstream
// (chunks.cpp). It reuses what is freed (docs/internals.md, "Arenas reuse what
// is freed"): the last block bumped gives its bytes back to the bump; other
// blocks of up to 64 KiB wait in free lists, which allocations ask before
// they bump; a chunk whose blocks are all freed starts again (the current
// one) or waits idle for the next refill. Blocks other threads free come
// back through the lane's mailbox, which the lane takes in on its own
// thread when it refills, before it asks its lists, bumps out of line or
// takes a chunk (docs/internals.md, "Arenas that threads share").
//
// Lanes are found through the arena (a list, newest first) behind a one-entry
// per-thread cache, and come from a pool they go back to when their arena
// ends: they are never freed, so a stale lane pointer is always a lane.
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>

#include "containers.hpp"
#include "internal.hpp"

namespace tacit::detail {

namespace {

// Lanes no arena uses, their mailboxes closed.
struct lane_pool {
  spinlock lock;
  lane* free = nullptr;
};
constinit lane_pool g_lanes;

// The last lane this thread found, by its arena's id (ids are never reused,
// so an entry never names a lane that has since served another arena).
struct lane_cache {
  std::uint64_t arena_id;
  lane* found;
};
thread_local constinit lane_cache t_lane
    __attribute__((tls_model("initial-exec"))) = {0, nullptr};

}  // namespace

lane* take_lane(arena& a, std::uint64_t id, std::uintptr_t thread,
                bool reuse, bool owned) noexcept {
  lane* l;
  {
    std::lock_guard<spinlock> hold(g_lanes.lock);
    l = g_lanes.free;
    if (l) g_lanes.free = l->next;
  }
  if (!l) {
    void* mem = std::aligned_alloc(64, (sizeof(lane) + 63) & ~std::size_t{63});
    if (!mem) return nullptr;
    l = new (mem) lane{};
  }
  // What a stale free may read (mailbox, reuse) is written last, and the
  // mailbox opens only once the lane is ready to take it in.
  l->cur = 0;
  l->end = 0;
  l->limit = 0;
  l->current = &no_chunk;
  l->parked = 0;
  l->large_parked = 0;
  for (void*& head : l->free_) head = nullptr;
  for (void*& head : l->large_free_) head = nullptr;
  l->allocations.store(0, std::memory_order_relaxed);
  l->bytes.store(0, std::memory_order_relaxed);
  l->reused.store(0, std::memory_order_relaxed);
  l->remote_frees.store(0, std::memory_order_relaxed);
  l->chunk_count.store(0, std::memory_order_relaxed);
  l->chunks = nullptr;
  l->idle_chunks = 0;
  l->next_chunk_size = first_chunk_size;
  l->of_.store(&a, std::memory_order_relaxed);
  l->arena_id = id;
  l->thread = thread;
  l->next = nullptr;
  l->owning.store(owned ? thread : 0, std::memory_order_relaxed);
  l->entered = 0;
  l->reuse.store(reuse, std::memory_order_relaxed);
  l->plain_reuse = reuse && !asan_linked();
  l->mailbox.store(nullptr, std::memory_order_release);
  return l;
}

void give_lane(lane* l) noexcept {
  TACIT_ASSERT(l->mailbox.load() == mailbox_closed && l->chunks == nullptr);
  l->of_.store(nullptr, std::memory_order_relaxed);
  l->current = &no_chunk;
  l->owning.store(0, std::memory_order_relaxed);
  std::lock_guard<spinlock> hold(g_lanes.lock);
  l->next = g_lanes.free;
  g_lanes.free = l;
}

lane* arena_access::find_lane(arena& a) noexcept {
  if (t_lane.arena_id == a.id_) return t_lane.found;
  std::uintptr_t me = thread_token();
  lane* head = a.lanes_.load(std::memory_order_acquire);
  for (lane* l = head; l; l = l->next)
    if (l->thread == me) {
      t_lane = {a.id_, l};
      return l;
    }
  lane* l = take_lane(a, a.id_, me, a.reuse_, false);
  if (!l) return nullptr;
  l->next = head;
  while (!a.lanes_.compare_exchange_weak(l->next, l, std::memory_order_release,
                                         std::memory_order_acquire)) {
  }
  t_lane = {a.id_, l};
  return l;
}

lane* find_lane(arena& a) noexcept { return arena_access::find_lane(a); }

lane* arena_access::enter(arena& a) noexcept {
  lane* l = find_lane(a);
  if (l && l->entered++ == 0) {
    // (Another thread may hold the lane for a moment, giving back its idle
    // chunks: release_idle_for.)
    std::uintptr_t was = 0;
    while (!l->owning.compare_exchange_weak(was, l->thread,
                                            std::memory_order_acquire,
                                            std::memory_order_relaxed)) {
      if (was != lane_claimed) break;  // (never: 0 or claimed)
      was = 0;
      __builtin_ia32_pause();
    }
    a.running_.fetch_add(1, std::memory_order_acq_rel);
  }
  return l;
}

void arena_access::leave(lane& l) noexcept {
  TACIT_ASSERT(l.entered > 0 && l.thread == thread_token());
  if (--l.entered == 0) {
    // Every plain free of this thread happens before reset() or the
    // destructor sees running_ drop.
    l.owning.store(0, std::memory_order_release);
    l.of()->running_.fetch_sub(1, std::memory_order_acq_rel);
  }
}

void enter_lane(frame& f, arena& a) noexcept {
  f.fast = arena_access::enter(a);
  if (f.fast) f.flags |= frame_flag::entered;
}

// ---------------------------------------------------------------------------
// Allocation.

void* arena_access::allocate(arena& a, std::size_t n, std::size_t align) {
  lane* l = a.lane_here();
  if (TACIT_UNLIKELY(!l)) throw std::bad_alloc();
  if (void* p = try_bump(*l, n, align)) return p;
  return refill(*l, n, align);
}

// free_owned's uncommon cases: an unsized free (its extent from the start
// bits), a block over park_max, reuse off, AddressSanitizer in the program.
void arena_access::free_owned_rest(lane& l, chunk* c, void* p,
                                   std::size_t size,
                                   std::size_t align) noexcept {
  auto b = reinterpret_cast<std::uintptr_t>(p);
  bool reuse = l.reuse.load(std::memory_order_relaxed);
  // Under AddressSanitizer reuse is off (freed blocks stay poisoned, see
  // chunk_free_slow) unless the runtime was built to test it.
  if (!asan_linked() || reuse) {
    if (size == 0 && reuse && align <= default_new_align)
      size = block_extent(l, c, b);  // an unsized free
    if (size - 1 < park_max && reuse && align <= default_new_align) {
      if (b + size == l.cur) {
        // (Memory past the bump is addressable: a block popped from a free
        // list for fewer bytes than its size kept its tail poisoned.)
        if (asan_linked()) asan_unpoison(p, size);
        return give_back(l, c, b);
      }
      park(l, c, p, size);
      if (asan_linked())
        asan_poison(static_cast<parked_block*>(p) + 1,
                    ((size + 15) & ~std::size_t{15}) - 16);
      return;
    }
    if (size - 1 < large_max && reuse && align <= default_new_align)
      return free_large(l, c, b, size);
    if (asan_linked() && size) asan_poison(p, size);
    if (TACIT_UNLIKELY(--c->live == 0) && reuse) chunk_emptied(l, c);
    return;
  }
  // AddressSanitizer, reuse off: poisoned for good, counted.
  if (size) asan_poison(p, size);
  --c->live;
}

void* arena_access::refill(lane& l, std::size_t n, std::size_t align) {
  // Here when the inline path failed: no freed block of this size and the
  // chunk is full, or l.end is 0 — every arena allocation comes here
  // (checked mode, TACIT_STATS, failure injection: arenas_slow()).
  TACIT_ASSERT(l.thread == thread_token());
  bool slow = arenas_slow();
  if (TACIT_UNLIKELY(slow) && TACIT_UNLIKELY(inject_failure()))
    throw std::bad_alloc();
  std::size_t asked_align = align;
  const std::size_t asked = n;  // what checked mode records
  if (align < 1 || (align & (align - 1))) align = default_new_align;
  // What other threads freed, first: it may serve this request, and it
  // keeps a fan-out near its live data.
  if (l.mailbox.load(std::memory_order_relaxed) != nullptr)
    take_mailbox(l, false);
  void* p = nullptr;
  // Out of line, as inline: a freed block of this size first, then the bump
  // against l.limit (the chunk's end, or the end of an adopted pinned
  // chunk's free run); then a chunk. Larger blocks ask their lists here only
  // (try_bump leaves them to refill while any waits, and so does not bump
  // them).
  if ((slow || l.parked != 0) && n <= park_max && align <= default_new_align)
    p = pop_freed(l, n);
  if (n > park_max && n <= large_max) n = large_size(n);  // as try_bump
  if (!p && l.large_parked != 0 && n > park_max) p = pop_large(l, n, align);
  if (!p) p = checked_bump(l, n, align);
  if (!p) p = take_chunk(l, n, align);
  if (check_mode) {
    frame* f = tls_context.top;
    check_alloc(p, asked, asked_align, l.of(),
                f && f->resource == l.of() ? f : nullptr, true);
  }
  return p;
}

// The bump of try_bump, against l.limit rather than l.end (which is 0 while
// arenas_slow()): refill's and take_chunk's, also for the large requests
// try_bump leaves to refill while blocks wait in the large lists.
void* arena_access::checked_bump(lane& l, std::size_t n,
                                 std::size_t align) noexcept {
  return bump(l, n, align, l.limit);
}

void* arena_access::take_chunk(lane& l, std::size_t n, std::size_t align) {
  if (n > (std::size_t{1} << 46) || align > max_chunk_size)
    throw std::bad_alloc();
  // (refill, the one caller, made `align` a power of two.)
  // The chunk header is 64-aligned; larger alignments need padding.
  std::size_t need = chunk_header_size + n + (align > 64 ? align : 0);
  // And the start bitmap of whatever chunk comes: a chunk of S bytes keeps
  // at least S * 127/128 - 64 of them past it.
  need += 64 + (need + 64) / 127 + 1;
  // A block larger than a quarter of the next chunk gets a chunk of its own;
  // the current chunk stays current.
  bool dedicated = need > l.next_chunk_size / 4;
  chunk* c = nullptr;
  if (l.idle_chunks != 0 && l.reuse.load(std::memory_order_relaxed))
    c = take_idle(l, n, align);
  // (A block of its own size, up to 64 KiB, may take a pinned chunk whose
  // largest free run holds it.)
  if (!c && (!dedicated || n <= large_max) &&
      l.of()->upstream_kind_ == static_cast<unsigned char>(source::range) &&
      adopt_pinned(l, dedicated ? n + align : 0)) {
    // A chunk another arena left pinned: its tail, or one of its holes, may
    // serve this request; otherwise it waits, and a chunk is taken.
    void* p = nullptr;
    if (n <= park_max && align <= default_new_align)
      p = pop_freed(l, n);
    else if (n > park_max && n <= large_max)
      p = pop_large(l, n, align);
    if (!p) p = checked_bump(l, n, align);
    if (p) return p;
  }
  if (c) {
    add_relaxed(l.reused, std::size_t{1});
    c->used = true;
  } else {
    c = acquire_chunk(l, need, dedicated ? need : l.next_chunk_size);
    c->next = l.chunks;
    l.chunks = c;
    c->used = true;
    add_relaxed(l.chunk_count, std::size_t{1});
    // A chunk of a block's own counts towards growth only for blocks the
    // free lists hold (up to 64 KiB): an arena of such blocks alone then
    // grows until they share chunks. Larger ones would make the next shared
    // chunks so large that blocks no list holds stop getting chunks of
    // their own, which empty and are taken again.
    if (!dedicated || n <= large_max)
      l.next_chunk_size =
          std::min(l.next_chunk_size + l.next_chunk_size / 4, max_chunk_size);
  }
  if (dedicated) {
    std::uintptr_t p = (c->begin + align - 1) & ~(align - 1);
    set_start(c, p);
    c->live = 1;
    add_relaxed(l.allocations, std::size_t{1});
    add_relaxed(l.bytes, n);
    return reinterpret_cast<void*>(p);
  }
  // The chunk left behind is idle if nothing of it is alive.
  chunk* old = l.current;
  if (old != &no_chunk && old->live == 0 &&
      l.reuse.load(std::memory_order_relaxed))
    ++l.idle_chunks;
  l.current = c;
  l.cur = c->begin;
  l.limit = c->end;
  l.end = arenas_slow() ? 0 : c->end;
  // (The bump itself: try_bump would leave a large block to the lists.)
  void* p = checked_bump(l, n, align);
  if (!p) fatal("arena refill produced a chunk too small for %zu bytes", n);
  return p;
}

// An idle chunk of the lane (all its blocks freed, not the current one)
// with room for `n` bytes aligned to `align`; null if none.
chunk* arena_access::take_idle(lane& l, std::size_t n,
                               std::size_t align) noexcept {
  for (chunk* c = l.chunks; c; c = c->next) {
    if (c == l.current || c->live != 0 ||
        c->remote.load(std::memory_order_relaxed) != 0)
      continue;
    std::uintptr_t p = (c->begin + align - 1) & ~(align - 1);
    if (p > c->end || n > c->end - p) continue;
    --l.idle_chunks;
    asan_unpoison(reinterpret_cast<void*>(c->begin), c->end - c->begin);
    return c;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------
// Frees.

void arena_access::chunk_emptied(lane& l, chunk* c) noexcept {
  TACIT_ASSERT(c->live == 0 && c->parked == 0 && c->holder.load() == &l);
  // Its memory is handed out again: foreign blocks recorded inside it (a
  // resource that kept its memory here and freed it unsized) are stale.
  forget_records_in(reinterpret_cast<void*>(c->begin), c->end - c->begin);
  // The current chunk that every block went back to the bump of, one by
  // one (the commonest short scope: one temporary at a time): each took its
  // start bit with it (no block starts at or past the bump: block_extent),
  // and under AddressSanitizer each was made addressable again. Nothing
  // else to do: emptying costs no more than any other free.
  if (c == l.current && l.cur == c->begin && l.limit == c->end) return;
  std::memset(start_bits(c), 0, start_bitmap_bytes(c->size));
  if (c == l.current) {
    l.cur = c->begin;  // nothing of it is alive: bump from the start
    l.limit = c->end;
    if (l.end != 0) l.end = c->end;
    asan_unpoison(reinterpret_cast<void*>(c->begin), c->end - c->begin);
  } else {
    ++l.idle_chunks;
  }
}

void arena_access::take_mailbox(lane& l, bool close) noexcept {
  parked_block* blk = l.mailbox.exchange(close ? mailbox_closed : nullptr,
                                         std::memory_order_acquire);
  if (blk == mailbox_closed) blk = nullptr;
  while (blk) {
    parked_block* next = blk->next;
    chunk* c = blk->in;
    // Held by this lane: freed as on its own thread (the extent from the
    // start bitmap). Let go since it was posted (a reset), or never held by
    // this lane (a free that read a stale holder): counted.
    if (c->holder.load(std::memory_order_relaxed) == &l)
      free_owned(l, c, blk, 0, default_new_align);
    else
      counted_free(c);
    blk = next;
  }
}

void arena_access::drop_free_lists(lane& l) noexcept {
  if (l.parked != 0) {
    for (chunk* c = l.chunks; c; c = c->next) {
      c->live -= c->parked;
      c->parked = 0;
    }
    for (void*& head : l.free_) head = nullptr;
    for (void*& head : l.large_free_) head = nullptr;
    l.parked = 0;
    l.large_parked = 0;
  }
  l.idle_chunks = 0;
}

std::size_t arena_access::block_extent(lane& l, chunk* c,
                                       std::uintptr_t p) noexcept {
  // No block starts at or past the bump of the current chunk (a block given
  // back clears its start); past a full chunk's last block, nothing is ever
  // handed out, so that block may take the tail.
  // (An adopted pinned chunk may be bumped in a free run in its middle:
  // blocks past the run are bounded by their neighbours' starts.)
  std::uintptr_t bound = c == l.current && p < l.cur ? l.cur : c->end;
  std::uintptr_t base = reinterpret_cast<std::uintptr_t>(c);
  // (A start exactly large_max bytes on still ends a block of large_max.)
  std::uintptr_t o_end = std::min(bound, p + large_max + 1) - base;
  const std::uint64_t* bits = start_bits(c);
  std::size_t n = bound - p <= large_max ? bound - p : 0;  // no start found
  for (std::uintptr_t o = p - base + 16; o < o_end;) {
    std::uint64_t w = bits[o >> 10] >> ((o >> 4) & 63);
    if (w) {
      std::uintptr_t next = o + (std::uintptr_t(__builtin_ctzll(w)) << 4);
      if (next < o_end) n = next + base - p;
      break;
    }
    o = (o | 1023) + 1;  // the next word's first bit
  }
  forget_records_in(reinterpret_cast<void*>(p), n);
  return n;
}

void* arena_access::pop_large(lane& l, std::size_t n,
                              std::size_t align) noexcept {
  int first = large_class_above(n);
  for (int k = first; k < first + 3 && k < large_classes; ++k) {
    auto* blk = static_cast<parked_block*>(l.large_free_[k]);
    // An over-aligned request (a nested arena's chunk: page-aligned) takes
    // the list's first block if it is aligned so (a chunk freed by another
    // nested arena is).
    if (!blk || (reinterpret_cast<std::uintptr_t>(blk) & (align - 1))) continue;
    l.large_free_[k] = blk->next;
    TACIT_ASSERT(blk->in->parked > 0 && blk->in->holder.load() == &l);
    --blk->in->parked;  // still counted in its chunk's live blocks
    if constexpr (asan_reuse) asan_unpoison(blk, n);
    --l.parked;
    --l.large_parked;
    add_relaxed(l.allocations, std::size_t{1});
    add_relaxed(l.reused, std::size_t{1});
    add_relaxed(l.bytes, n);
    return blk;
  }
  return nullptr;
}

void arena_access::free_large(lane& l, chunk* c, std::uintptr_t b,
                              std::size_t extent) noexcept {
  // The block's whole extent, not the size this free names: a block popped
  // for fewer bytes than it has would otherwise drop a class at each reuse.
  if (std::size_t whole = block_extent(l, c, b)) extent = whole;
  if (c->live == 1 && c->parked == 0 && c != l.current) {
    // The last block of a chunk the lane left behind (a block with a chunk
    // of its own, say): the chunk empties and is taken again whole, for any
    // size, before the lane asks upstream.
    if (TACIT_UNLIKELY(asan_linked()))
      asan_poison(reinterpret_cast<void*>(b), extent);
    --c->live;
    chunk_emptied(l, c);
    return;
  }
  if (b + extent == l.cur) {
    // The last block bumped: its bytes go back to the bump (see free_owned).
    l.cur = b;
    clear_start(c, b);
    if (TACIT_UNLIKELY(asan_linked()))
      asan_unpoison(reinterpret_cast<void*>(b), extent);
    if (--c->live == 0) chunk_emptied(l, c);
    return;
  }
  int k = large_class_below(extent);
  if (k < large_class_above(park_max + 1)) {
    // Too small to serve any larger request: back with its chunk.
    if (TACIT_UNLIKELY(asan_linked()))
      asan_poison(reinterpret_cast<void*>(b), extent);
    if (--c->live == 0) chunk_emptied(l, c);
    return;
  }
  auto* blk = reinterpret_cast<parked_block*>(b);
  // (Under AddressSanitizer the block may be poisoned already: a nested
  // arena's chunk is, when it comes back.)
  if (TACIT_UNLIKELY(asan_linked())) asan_unpoison(blk, sizeof *blk);
  blk->next = static_cast<parked_block*>(l.large_free_[k]);
  blk->in = c;
  l.large_free_[k] = blk;
  ++c->parked;
  ++l.parked;
  ++l.large_parked;
  if (TACIT_UNLIKELY(asan_linked()))
    asan_poison(blk + 1, ((extent + 15) & ~std::size_t{15}) - 16);
}

}  // namespace tacit::detail
