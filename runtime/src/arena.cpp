// runtime/src/arena.cpp — tacit::arena, the object: its lanes (one per
// thread that allocates in it, lanes.cpp), their chunks (chunks.cpp), and
// what holds for the arena as a whole — the statistics, reset() and
// destruction. (The limit is checked where chunks are taken: chunks.cpp,
// arena_access::reserve.)
//
// The arena's home lane (the lane of the thread that made it) is taken when
// the arena is made, so with_alloc on that thread finds it inline; other
// threads find theirs through arena_access::find_lane.
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <typeinfo>

#include "internal.hpp"

namespace tacit::detail {

namespace {

// Arena ids: never reused, so a thread's lane cache never names a lane that
// has since served another arena at the same address.
constinit std::atomic<std::uint64_t> g_arena_ids{0};

unsigned char kind_of(std::pmr::memory_resource* r) noexcept {
  if (r == &global()) return static_cast<unsigned char>(source::range);
  if (typeid(*r) == typeid(arena))
    return static_cast<unsigned char>(source::arena);
  return static_cast<unsigned char>(source::resource);
}

// Blocks still live in `c`, as seen by its holding lane.
std::int64_t live_blocks(const chunk* c) noexcept {
  return static_cast<std::int64_t>(c->live) -
         c->remote.load(std::memory_order_acquire);
}

void refuse_while_running(const arena& a, int running,
                          const char* what) noexcept {
  fatal(
      "tacit::arena %p %s while %d other thread%s still inside it (a "
      "with_alloc scope of it open there, or a callable tacit::bind carried "
      "there still running): join them, or wait for them to leave, first",
      static_cast<const void*>(&a), what, running, running == 1 ? " is" : "s are");
}

// 1 if the calling thread is itself inside `a` on a lane of its own (a
// scope of it open on a thread other than its home): reset() does not count
// it among the others.
int entered_here(const arena& a) noexcept {
  std::uintptr_t me = thread_token();
  for (lane* l = arena_access::lanes(a); l; l = l->next)
    if (l->thread == me) return l->entered != 0 ? 1 : 0;
  return 0;
}

}  // namespace

// Resets one lane: what its mailbox holds is taken in; chunks that blocks
// outliving the cycle keep alive go to the pool of pinned chunks
// (pinned.cpp); what the free lists hold counts as freed; its idle chunks
// used since the last reset are kept (the first buffer and the current one
// too) unless it pinned a chunk or runs under AddressSanitizer (then only
// the first buffer), the others let go. Returns the chunk bytes kept (the
// first buffer not counted).
std::size_t arena_access::reset_lane(lane& l, bool reuse,
                                     std::size_t& pinned) noexcept {
  take_mailbox(l, false);
  // Chunks that blocks outliving the cycle pin go to the pool of pinned
  // chunks; then the idle ones are kept only if none did: the next cycle
  // adopts the pinned ones first (the pool is newest first), filling the
  // space around the blocks that live on, where idle chunks kept instead
  // would leave them waiting for good.
  std::size_t pinned_here = abandon_pinned(l);
  pinned += pinned_here;
  drop_free_lists(l);
  arena& a = *l.of();
  chunk* kept = nullptr;
  chunk* start = nullptr;
  std::size_t held = 0, count = 0;
  for (chunk* c = l.chunks; c;) {
    chunk* next = c->next;
    bool idle = c->holder.load(std::memory_order_relaxed) == &l &&
                live_blocks(c) == 0;
    bool keep = idle && (c == a.first_buffer_ ||
                         (!asan_linked() && pinned_here == 0 &&
                          (c == l.current || (c->used && reuse))));
    if (!keep) {
      if (c == a.first_buffer_) a.first_buffer_ = nullptr;  // let go, live
      let_go(c);
    } else {
      // Foreign blocks dropped inside it (a monotonic resource whose buffer
      // was here) must not be mistaken for the blocks about to be bumped
      // over them.
      forget_records_in(reinterpret_cast<void*>(c->begin), c->end - c->begin);
      if (check_mode) check_forget(c->begin, c->end);
      c->live = 0;
      c->remote.store(0, std::memory_order_relaxed);
      c->used = false;
      std::memset(start_bits(c), 0, start_bitmap_bytes(c->size));
      asan_unpoison(reinterpret_cast<void*>(c->begin), c->end - c->begin);
      c->next = kept;
      kept = c;
      ++count;
      if (c != a.first_buffer_) held += c->size;
      if (!start || c == a.first_buffer_ ||
          (start != a.first_buffer_ && c->size > start->size))
        start = c;
    }
    c = next;
  }
  if (start && !reuse) {
    // One chunk only: without reuse idle chunks are not taken again.
    for (chunk* c = kept; c;) {
      chunk* next = c->next;
      if (c != start) {
        if (c == a.first_buffer_) a.first_buffer_ = nullptr;
        else held -= c->size;
        let_go(c);
      }
      c = next;
    }
    start->next = nullptr;
    kept = start;
    count = 1;
  }
  l.allocations.store(0, std::memory_order_relaxed);
  l.bytes.store(0, std::memory_order_relaxed);
  l.reused.store(0, std::memory_order_relaxed);
  l.remote_frees.store(0, std::memory_order_relaxed);
  l.chunks = kept;
  l.chunk_count.store(count - (a.first_buffer_ && start == a.first_buffer_ ? 1 : 0),
                      std::memory_order_relaxed);
  l.idle_chunks = count ? count - 1 : 0;
  // Growth starts again from what is kept. (An arena reset while blocks of
  // it live on used to take ever larger chunks, up to the maximum, at every
  // reset: nothing here grows with the number of resets.)
  l.next_chunk_size = grown_chunk_size(held);
  if (start) {
    start->used = true;
    l.current = start;
    l.cur = start->begin;
    l.limit = start->end;
    l.end = arenas_slow() ? 0 : start->end;
  } else {
    l.current = &no_chunk;
    l.cur = l.end = l.limit = 0;
  }
  return held;
}

// The arena ends: every lane lets go of its chunks and goes back to the
// pool, its mailbox closed (frees from now on count in their chunks).
void arena_access::end(arena& a) noexcept {
  for (lane* l = lanes(a); l;) {
    lane* next = l->next;
    take_mailbox(*l, true);
    abandon_pinned(*l);
    drop_free_lists(*l);
    for (chunk* c = l->chunks; c;) {
      chunk* after = c->next;
      let_go(c);
      c = after;
    }
    l->chunks = nullptr;
    give_lane(l);
    l = next;
  }
  a.lanes_.store(nullptr, std::memory_order_relaxed);
}

}  // namespace tacit::detail

// ---------------------------------------------------------------------------
namespace tacit {

using namespace detail;

arena::arena() noexcept : arena(current()) {}

arena::arena(std::pmr::memory_resource& upstream) noexcept
    : home_(nullptr),
      home_thread_(0),
      lanes_(nullptr),
      upstream_(&upstream),
      upstream_kind_(kind_of(&upstream)),
      // Checked mode tracks each block until its memory is bumped over
      // again, and AddressSanitizer keeps freed blocks poisoned: both want
      // freed memory left alone.
      reuse_(check_mode == 0 && (asan_reuse || !asan_linked())),
      id_(g_arena_ids.fetch_add(1, std::memory_order_relaxed) + 1) {
  std::uintptr_t me = thread_token();
  home_ = take_lane(*this, id_, me, reuse_, true);
  if (!home_) return;  // no memory: every allocation will be refused
  home_thread_ = me;
  lanes_.store(home_, std::memory_order_release);
}

arena::arena(void* buffer, std::size_t size) noexcept
    : arena(buffer, size, current()) {}

arena::arena(void* buffer, std::size_t size,
             std::pmr::memory_resource& upstream) noexcept
    : arena(upstream) {
  auto b = reinterpret_cast<std::uintptr_t>(buffer);
  std::uintptr_t start = (b + 63) & ~std::uintptr_t{63};
  if (!home_ || !buffer ||
      b + size < start + chunk_header_size +
                     start_bitmap_bytes(b + size - start) + 64)
    return;  // too small
  // The user's memory, perhaps a buffer an earlier arena used (and, under
  // AddressSanitizer, poisoned as its blocks were freed).
  asan_unpoison(buffer, size);
  // Its end rounded down to 16 bytes, as every chunk's: a block bumped to
  // the end, freed, waits in the list of its 16-byte class, whose largest
  // requests it must hold.
  chunk* c = init_chunk(reinterpret_cast<void*>(start),
                        (b + size - start) & ~std::uintptr_t{15},
                        source::buffer, home_);
  if (!add_buffer_range(c)) return;  // too many alive: do without it
  lane& l = *home_;
  first_buffer_ = c;
  c->next = nullptr;
  l.chunks = c;
  l.current = c;
  l.cur = c->begin;
  l.limit = c->end;
  l.end = arenas_slow() ? 0 : c->end;  // checked mode: no inline bump
  l.next_chunk_size =
      std::clamp(round_pages(size), first_chunk_size, max_chunk_size);
}

arena::~arena() {
  if (int running = running_.load(std::memory_order_acquire))
    refuse_while_running(*this, running, "destroyed");
  arena_access::end(*this);
}

void arena::reset() noexcept {
  // Kept to start again in, if idle (no block of them alive): the first
  // buffer; each lane's current chunk; and the chunks this cycle took (new,
  // or idle ones taken again), so a next request of the same shape takes
  // nothing from upstream, while chunks the last cycle did not need go
  // back. Under AddressSanitizer only the first buffer is kept, so reset
  // memory stays poisoned; without reuse (checked mode) one chunk a lane,
  // since idle chunks are not taken again.
  if (int running = running_.load(std::memory_order_acquire) -
                    entered_here(*this))
    refuse_while_running(*this, running, "reset");
  std::size_t held = 0, pinned = 0;
  for (lane* l = arena_access::lanes(*this); l; l = l->next)
    held += arena_access::reset_lane(*l, reuse_, pinned);
  held_bytes_.store(held, std::memory_order_relaxed);
  pinned_bytes_.store(pinned, std::memory_order_relaxed);
}

arena::statistics arena::stats() const noexcept {
  statistics s{};
  for (lane* l = arena_access::lanes(*this); l; l = l->next) {
    s.allocations += l->allocations.load(std::memory_order_relaxed);
    s.bytes += l->bytes.load(std::memory_order_relaxed);
    s.reused += l->reused.load(std::memory_order_relaxed);
    s.remote_frees += l->remote_frees.load(std::memory_order_relaxed);
    s.chunks += l->chunk_count.load(std::memory_order_relaxed);
    ++s.threads;
  }
  s.chunk_bytes = held_bytes_.load(std::memory_order_relaxed);
  s.pinned_bytes = pinned_bytes_.load(std::memory_order_relaxed);
  s.peak_chunk_bytes = peak_bytes_.load(std::memory_order_relaxed);
  return s;
}

void* arena::do_allocate(std::size_t bytes, std::size_t alignment) {
  // At least operator new's alignment: every block starts 16-aligned, so
  // each has 16 bytes or more to itself (what reuse relies on).
  return arena_access::allocate(*this, bytes ? bytes : 1,
                                std::max(alignment, default_new_align));
}

void arena::do_deallocate(void* p, std::size_t bytes, std::size_t alignment) {
  route_free(p, bytes, alignment);
}

}  // namespace tacit
