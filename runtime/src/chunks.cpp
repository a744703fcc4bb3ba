// runtime/src/chunks.cpp — the life of an arena's chunks: taken from the
// arena's upstream, held by one lane, let go, and returned upstream by the
// free of their last block.
//
//   upstream            chunk memory from               pages registered in
//   the system          the reserved range (malloc      the range's page table
//                       once it is full)                (page map for malloc)
//   another arena       a block of that arena (the      the table or the map,
//                       calling thread's lane of it)    over the host's pages
//   any other resource  resource.allocate(size, page)   the table or the map
//                       (one thread at a time)
//
// Chunks outlive the arena while blocks in them are live (see `chunk` in
// internal.hpp): destruction and reset() let go of each chunk, and the last
// free of a let-go chunk sends it back upstream.
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

#include "internal.hpp"

namespace tacit::detail {

constinit chunk no_chunk{};

// Returns a let-go chunk whose last block was freed to where it came from.
void release_chunk(chunk* c) noexcept {
  void* mem = c;
  std::size_t size = c->size;
  // Let go of, and its last block freed.
  TACIT_ASSERT(c->holder.load() == nullptr);
  TACIT_ASSERT(c->remote.load() == 0);
  // A chunk owns its pages until it is released (first buffers: a range).
  TACIT_ASSERT(c->from == source::buffer ||
               (page_owner(mem) == c &&
                page_owner(static_cast<char*>(mem) + size - 1) == c));
  // Foreign blocks made inside this chunk and never freed: forget them
  // before the memory can be reused.
  forget_records_in(reinterpret_cast<void*>(c->begin), c->end - c->begin);
  if (check_mode) check_forget(c->begin, c->end);
  switch (c->from) {
    case source::buffer:
      remove_buffer_range(c);  // the user's memory again: addressable again
      asan_unpoison(mem, c->end - reinterpret_cast<std::uintptr_t>(mem));
      return;
    case source::malloc:
      restore_pages(mem, size, c->prev_owner);
      std::free(mem);
      return;
    case source::range:
      restore_pages(mem, size, c->prev_owner);
      lsan_remove_root(mem, size);
      asan_poison(mem, size);
      range_give(mem, size);
      return;
    case source::arena: {
      restore_pages(mem, size, c->prev_owner);
      asan_poison(mem, size);
      route_free(mem, size);  // a block of the host arena
      return;
    }
    case source::resource: {
      std::pmr::memory_resource* up = c->upstream;
      restore_pages(mem, size, c->prev_owner);
      serialised_call one_at_a_time(up);
      enclosing_context outside(up);
      deallocate_aligned(up, mem, size, page_size, c->upstream_offset,
                         c->upstream_asked);
      return;
    }
  }
}

chunk* init_chunk(void* mem, std::size_t size, source from,
                  lane* holder) noexcept {
  auto* c = new (mem) chunk{};
  c->holder.store(holder, std::memory_order_relaxed);
  c->live = 0;
  c->remote.store(0, std::memory_order_relaxed);
  std::memset(start_bits(c), 0, start_bitmap_bytes(size));
  c->begin = reinterpret_cast<std::uintptr_t>(mem) + chunk_header_size +
             start_bitmap_bytes(size);
  c->end = reinterpret_cast<std::uintptr_t>(mem) + size;
  c->size = size;
  c->from = from;
  return c;
}

void counted_free(chunk* c) noexcept {
  // (After the add the chunk may be another free's to return: nothing of it
  // is read here but what the add returned. A pinned chunk waits at
  // -pool_count - its live blocks, so it never reaches 0 by a free.)
  std::int64_t now = c->remote.fetch_add(1, std::memory_order_acq_rel) + 1;
  if (now == 0)
    release_chunk(c);
  else if (now == -pool_count)
    pinned_emptied(c);  // only the pool's count left
}

void let_go(chunk* c) noexcept {
  if (c == &no_chunk) return;
  TACIT_ASSERT(c->parked == 0);  // drop_free_lists ran first
  c->holder.store(nullptr, std::memory_order_release);
  auto live = static_cast<std::int64_t>(c->live);
  std::int64_t left =
      c->remote.fetch_sub(live, std::memory_order_acq_rel) - live;
  TACIT_ASSERT(left <= 0);  // never more frees than blocks
  if (left == 0) release_chunk(c);
}

// A free on a thread that does not own the holding lane. With reuse, the block
// goes into that lane's mailbox (one CAS), to be reused once the lane takes
// it in; a lane whose mailbox is closed (its arena is ending) or a chunk let
// go counts the free instead. The lane read here may be stale (the chunk let
// go meanwhile, the lane pooled or serving another arena): lanes are never
// freed, and the lane that takes the block in checks that it holds the
// chunk before reusing it.
void chunk_free_slow(chunk* c, void* p, std::size_t size) noexcept {
  lane* l = c->holder.load(std::memory_order_acquire);
  if (l && l->reuse.load(std::memory_order_relaxed)) {
    auto* blk = static_cast<parked_block*>(p);
    // (A nested arena's chunk comes back poisoned; the lane unpoisons or
    // poisons the rest when it takes the block in.)
    if (TACIT_UNLIKELY(asan_linked())) asan_unpoison(blk, sizeof *blk);
    blk->in = c;
    parked_block* head = l->mailbox.load(std::memory_order_relaxed);
    while (head != mailbox_closed) {
      blk->next = head;
      if (l->mailbox.compare_exchange_weak(head, blk,
                                           std::memory_order_release,
                                           std::memory_order_relaxed)) {
        l->remote_frees.fetch_add(1, std::memory_order_relaxed);
        return;
      }
    }
  }
  if (size) asan_poison(p, size);
  counted_free(c);
}

// Reserves chunk bytes under the arena's limit: `want` if it fits, else the
// most that does and is at least `min_size`; 0 when not even that fits.
std::size_t arena_access::reserve(arena& a, std::size_t min_size,
                                  std::size_t want, bool range_sizes) noexcept {
  std::size_t limit = a.limit_.load(std::memory_order_relaxed);
  std::size_t held = a.held_bytes_.load(std::memory_order_relaxed);
  for (;;) {
    std::size_t size = want;
    if (limit) {
      // Whole pages only: a chunk owns the pages it covers, every one.
      std::size_t room = held < limit ? (limit - held) & ~(page_size - 1) : 0;
      if (size > room)
        size = std::max(min_size, range_sizes ? range_round_down(room) : room);
      if (size > room) return 0;
    }
    if (a.held_bytes_.compare_exchange_weak(held, held + size,
                                            std::memory_order_relaxed)) {
      std::size_t peak = a.peak_bytes_.load(std::memory_order_relaxed);
      while (peak < held + size &&
             !a.peak_bytes_.compare_exchange_weak(peak, held + size,
                                                  std::memory_order_relaxed)) {
      }
      return size;
    }
  }
}

std::size_t arena_access::release_idle(lane& l) noexcept {
  arena& a = *l.of();
  std::size_t given = 0, count = 0;
  for (chunk** link = &l.chunks; chunk* c = *link;) {
    if (c == a.first_buffer_ || c->live != 0 ||
        c->remote.load(std::memory_order_relaxed) != 0 ||
        c->holder.load(std::memory_order_relaxed) != &l) {
      link = &c->next;
      continue;
    }
    *link = c->next;
    if (c == l.current) {  // the next allocation refills
      l.current = &no_chunk;
      l.cur = l.end = l.limit = 0;
    } else if (l.idle_chunks != 0) {
      --l.idle_chunks;
    }
    given += c->size;
    ++count;
    let_go(c);  // nothing alive: back upstream now
  }
  if (count) {
    l.chunk_count.fetch_sub(count, std::memory_order_relaxed);
    a.held_bytes_.fetch_sub(given, std::memory_order_relaxed);
  }
  return given;
}

std::size_t arena_access::release_idle_for(lane& mine) noexcept {
  arena& a = *mine.of();
  if (a.limit_.load(std::memory_order_relaxed) == 0) return 0;
  std::size_t given = release_idle(mine);
  for (lane* o = lanes(a); o; o = o->next) {
    if (o == &mine || o->thread == a.home_thread_) continue;
    std::uintptr_t free = 0;
    if (!o->owning.compare_exchange_strong(free, lane_claimed,
                                           std::memory_order_acquire,
                                           std::memory_order_relaxed))
      continue;  // its thread is inside the arena
    given += release_idle(*o);
    o->owning.store(0, std::memory_order_release);
  }
  return given;
}

// A chunk of at least `min_size` bytes (header included), `want` if the
// limit allows, for lane `l` (the calling thread's).
chunk* arena_access::acquire_chunk(lane& l, std::size_t min_size,
                                   std::size_t want) {
  if (TACIT_UNLIKELY(inject_failure())) throw std::bad_alloc();
  arena& a = *l.of();
  auto kind = static_cast<source>(a.upstream_kind_);
  std::pmr::memory_resource* upstream = a.upstream_;
  min_size = round_pages(min_size);
  want = std::max(round_pages(want), min_size);
  if (kind == source::range) {  // the range's run sizes
    min_size = range_round_up(min_size);
    want = range_round_up(want);
  }
  std::size_t size = reserve(a, min_size, want, kind == source::range);
  if (size == 0 && release_idle_for(l) != 0)
    size = reserve(a, min_size, want, kind == source::range);
  if (size == 0) throw std::bad_alloc();
  void* mem = nullptr;
  std::size_t offset = 0, asked = 0;  // see chunk::upstream_offset
  source from = kind;
  try {
    switch (kind) {
      case source::range:
        mem = range_take(size);
        if (mem) lsan_add_root(mem, size);
        if (!mem) {
          mem = std::aligned_alloc(page_size, size);
          if (!mem) throw std::bad_alloc();
          from = source::malloc;
        }
        break;
      case source::arena: {
        // A thread asking the host for a nested arena's chunk is inside the
        // host for that call (as in a scope of it): reset() and the
        // destructor refuse to run under its bump.
        arena& host = *static_cast<arena*>(upstream);
        inside_arena inside(host);
        mem = arena_access::allocate(host, size, page_size);
        break;
      }
      default: {
        // Lanes of several threads may ask at once: one at a time.
        serialised_call one_at_a_time(upstream);
        enclosing_context outside(upstream);
        // Page-aligned (a chunk owns whole pages): from a resource that
        // aligns less, a page more, the chunk at the first boundary inside.
        resource_block got = allocate_aligned(upstream, size, page_size);
        mem = got.p;
        offset = got.offset;
        asked = got.asked;
        break;
      }
    }
  } catch (...) {
    a.held_bytes_.fetch_sub(size, std::memory_order_relaxed);
    throw;
  }
  TACIT_ASSERT((reinterpret_cast<std::uintptr_t>(mem) & (page_size - 1)) == 0);
  TACIT_ASSERT(size % page_size == 0);
  asan_unpoison(mem, size);
  chunk* c = init_chunk(mem, size, from, &l);
  c->upstream = upstream;
  c->upstream_offset = offset;
  c->upstream_asked = asked;
  c->prev_owner = claim_pages(mem, size, c);
  TACIT_ASSERT(page_owner(mem) == c);
  return c;
}

}  // namespace tacit::detail
