// runtime/src/arena.cpp — tacit::arena and the life of its chunks.
//
// An arena bumps a pointer through its current chunk. When the chunk is full
// (or belongs to another thread) it takes a new one from its upstream:
//
//   upstream            chunk memory from               pages registered in
//   the system          the reserved range (malloc      the range's page table
//                       once it is full)                (page map for malloc)
//   another arena       a block of that arena           the table or the map,
//                                                       over the host's pages
//   any other resource  resource.allocate(size, page)   the table or the map
//
// Chunks outlive the arena while blocks in them are live (see `chunk` in
// internal.hpp): destruction and reset() let go of each chunk, and the last
// free of a let-go chunk sends it back upstream.
//
// While it lives an arena reuses what its home thread frees (docs/design.md,
// "Arenas reuse what is freed"): the last block bumped gives its bytes back
// to the bump; other blocks of up to 1 KiB wait in per-size free lists,
// which allocations ask first while any block waits (end_ is 0 then, so the
// inline bump falls through to refill); a chunk whose blocks are all freed
// starts again (the current one) or waits idle for the next refill.
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <typeinfo>

#include "internal.hpp"

namespace tacit::detail {

namespace {


constexpr std::size_t first_chunk_size = 4 * page_size;
constexpr std::size_t max_chunk_size = std::size_t{256} << 20;

// Growth: each shared chunk is a quarter larger than the last (within the
// first and the largest size), a quarter of what the arena's shared chunks
// hold, so held memory grows by about 1.25 at each chunk, and the part of the last chunk no block reached — what a bump
// allocator wastes — stays near a fifth of it at most, where doubling
// (bumpalo, monotonic_buffer_resource) leaves up to half. Chunks from the
// reserved range come in its run sizes (range.cpp), a quarter of a power of
// two apart, so this costs no rounding there.
std::size_t grown_chunk_size(std::size_t held) noexcept {
  return std::clamp(held / 4, first_chunk_size, max_chunk_size);
}

// The chunk of an arena that has none: owned by no thread, so the fast
// path always falls through to refill().
constinit chunk no_chunk{};

unsigned char kind_of(std::pmr::memory_resource* r) noexcept {
  if (r == &global()) return static_cast<unsigned char>(source::range);
  if (typeid(*r) == typeid(arena))
    return static_cast<unsigned char>(source::arena);
  return static_cast<unsigned char>(source::resource);
}

std::size_t round_pages(std::size_t n) noexcept {
  return (n + page_size - 1) & ~(page_size - 1);
}

// A chunk the calling thread will bump in; `home` is the arena's home thread.
chunk* init_chunk(void* mem, std::size_t size, source from,
                  std::uintptr_t home) noexcept {
  auto* c = new (mem) chunk{};
  std::uintptr_t me = thread_token();
  c->bumper.store(me, std::memory_order_relaxed);
  c->owner.store(me == home ? me : 0, std::memory_order_relaxed);
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

// Returns a let-go chunk whose last block was freed to where it came from.
void release_chunk(chunk* c) noexcept {
  void* mem = c;
  std::size_t size = c->size;
  // Let go of, and its last block freed.
  TACIT_ASSERT(c->holder == nullptr && c->owner.load() == 0);
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
      std::size_t offset = c->upstream_offset;
      std::size_t asked = c->upstream_asked ? c->upstream_asked : size;
      enclosing_context outside(up);
      up->deallocate(static_cast<char*>(mem) - offset, asked, page_size);
      return;
    }
  }
}

// The arena lets go of `c`: from now on the last free returns it.
void let_go(chunk* c) noexcept {
  if (c == &no_chunk) return;
  TACIT_ASSERT(c->parked == 0);  // drop_free_lists ran first
  c->holder = nullptr;
  c->bumper.store(0, std::memory_order_relaxed);
  c->owner.store(0, std::memory_order_release);
  auto live = static_cast<std::int64_t>(c->live);
  std::int64_t left = c->remote.fetch_sub(live, std::memory_order_acq_rel) - live;
  TACIT_ASSERT(left <= 0);  // never more frees than blocks
  if (left == 0) release_chunk(c);
}

// Blocks still live in `c`, as seen by its owner thread.
std::int64_t live_blocks(const chunk* c) noexcept {
  return static_cast<std::int64_t>(c->live) -
         c->remote.load(std::memory_order_acquire);
}

}  // namespace

void chunk_free_slow(chunk* c, void* p, std::size_t size) noexcept {
  if (size) asan_poison(p, size);
  if (c->owner.load(std::memory_order_relaxed) == thread_token()) {
    --c->live;
    return;
  }
  if (c->remote.fetch_add(1, std::memory_order_acq_rel) + 1 == 0)
    release_chunk(c);
}

// ---------------------------------------------------------------------------
// Taking chunks.

// A chunk of at least `min_size` bytes (header included), `want` if the
// limit allows.
__attribute__((no_sanitize("alignment")))  // see resource_allocate
static chunk* acquire_chunk(arena& a, std::size_t min_size, std::size_t want,
                            std::pmr::memory_resource* upstream,
                            source kind, std::size_t limit,
                            std::size_t held, std::uintptr_t home) {
  if (TACIT_UNLIKELY(inject_failure())) throw std::bad_alloc();
  min_size = round_pages(min_size);
  want = std::max(round_pages(want), min_size);
  if (kind == source::range) {  // the range's run sizes
    min_size = range_round_up(min_size);
    want = range_round_up(want);
  }
  if (limit) {
    // Whole pages only: a chunk owns the pages it covers, every one of them.
    std::size_t room = held < limit ? (limit - held) & ~(page_size - 1) : 0;
    if (want > room)
      want = std::max(min_size,
                      kind == source::range ? range_round_down(room) : room);
    if (want > room) throw std::bad_alloc();
  }
  void* mem = nullptr;
  std::size_t offset = 0, asked = 0;  // see chunk::upstream_offset
  source from = kind;
  std::size_t size = want;
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
    case source::arena:
      mem = arena_access::allocate(*static_cast<arena*>(upstream), size,
                                   page_size);
      break;
    default: {
      enclosing_context outside(upstream);
      mem = upstream->allocate(size, page_size);
      if (real_address(mem) & (page_size - 1)) {
        // Not page-aligned (a chunk owns whole pages): ask for a page more
        // and start the chunk at the first page boundary inside.
        upstream->deallocate(mem, size, page_size);
        asked = size + page_size;
        void* base = upstream->allocate(asked, page_size);
        std::uintptr_t b = real_address(base);
        mem = reinterpret_cast<void*>((b + page_size - 1) & ~(page_size - 1));
        offset = reinterpret_cast<std::uintptr_t>(mem) - b;
      }
      break;
    }
  }
  TACIT_ASSERT((reinterpret_cast<std::uintptr_t>(mem) & (page_size - 1)) == 0);
  TACIT_ASSERT(size % page_size == 0);
  asan_unpoison(mem, size);
  chunk* c = init_chunk(mem, size, from, home);
  c->holder = &a;
  c->upstream = upstream;
  c->upstream_offset = offset;
  c->upstream_asked = asked;
  c->prev_owner = claim_pages(mem, size, c);
  TACIT_ASSERT(page_owner(mem) == c);
  return c;
}

void* arena_access::allocate(arena& a, std::size_t n, std::size_t align) {
  if (void* p = try_bump(a, n, align)) return p;
  return refill(a, n, align);
}

void* arena_access::refill(arena& a, std::size_t n, std::size_t align) {
  // Here when the inline path failed: no freed block of this size and the
  // chunk is full, or end_ is 0 — every arena allocation comes here
  // (checked mode, TACIT_STATS, failure injection: arenas_slow()).
  bool slow = arenas_slow();
  if (TACIT_UNLIKELY(slow) && TACIT_UNLIKELY(inject_failure()))
    throw std::bad_alloc();
  std::size_t asked_align = align;
  const std::size_t asked = n;  // what checked mode records
  if (align < 1 || (align & (align - 1))) align = default_new_align;
  void* p = nullptr;
  // Out of line, as inline: a freed block of this size first, then the bump
  // against the chunk's own end; then a chunk.
  // Larger blocks ask their lists here only (try_bump leaves them to refill
  // while any waits, and so does not bump them).
  bool home = thread_token() == a.home_;
  if (slow && a.parked_ != 0 && n <= park_max &&
      align <= default_new_align && home)
    p = pop_freed(a, n);
  if (n > park_max && n <= large_max) n = large_size(n);  // as try_bump
  if (!p && a.large_parked_ != 0 && n > park_max && home)
    p = pop_large(a, n, align);
  if (!p && (slow || n > park_max)) p = checked_bump(a, n, align);
  if (!p) p = take_chunk(a, n, align);
  if (check_mode) {
    frame* f = tls_context.top;
    check_alloc(p, asked, asked_align, &a,
                f && f->resource == &a ? f : nullptr, true);
  }
  return p;
}

void arena_access::chunk_emptied(arena& a, chunk* c) noexcept {
  TACIT_ASSERT(c->live == 0 && c->parked == 0 && c->holder == &a);
  // Its memory is handed out again: foreign blocks recorded inside it (a
  // resource that kept its memory here and freed it unsized) are stale.
  forget_records_in(reinterpret_cast<void*>(c->begin), c->end - c->begin);
  std::memset(start_bits(c), 0, start_bitmap_bytes(c->size));
  if (c == a.chunk_) {
    a.cur_ = c->begin;  // nothing of it is alive: bump from the start
    asan_unpoison(reinterpret_cast<void*>(c->begin), c->end - c->begin);
  } else {
    ++a.idle_chunks_;
  }
}

void arena_access::share(arena& a) noexcept {
  a.reuse_ = false;
  // On the home thread (tacit::bind's capture, before the callee can run
  // anywhere) the lists go: nothing is pushed any more, and nothing waiting
  // can be popped by another thread.
  if (thread_token() == a.home_) drop_free_lists(a);
}

void arena_access::drop_free_lists(arena& a) noexcept {
  if (a.parked_ != 0) {
    for (chunk* c = a.chunks_; c; c = c->next) {
      c->live -= c->parked;
      c->parked = 0;
    }
    for (void*& head : a.free_) head = nullptr;
    for (void*& head : a.large_free_) head = nullptr;
    a.parked_ = 0;
    a.large_parked_ = 0;
  }
  a.idle_chunks_ = 0;
}

// An idle chunk of the arena (all its blocks freed, not the current one)
// with room for `n` bytes aligned to `align`; null if none.
chunk* arena_access::take_idle(arena& a, std::size_t n,
                               std::size_t align) noexcept {
  std::uintptr_t me = thread_token();
  for (chunk* c = a.chunks_; c; c = c->next) {
    if (c == a.chunk_ || c->live != 0 ||
        c->owner.load(std::memory_order_relaxed) != me ||
        c->bumper.load(std::memory_order_relaxed) != me ||
        c->remote.load(std::memory_order_relaxed) != 0)
      continue;
    std::uintptr_t p = (c->begin + align - 1) & ~(align - 1);
    if (p > c->end || n > c->end - p) continue;
    --a.idle_chunks_;
    asan_unpoison(reinterpret_cast<void*>(c->begin), c->end - c->begin);
    return c;
  }
  return nullptr;
}

std::size_t arena_access::block_extent(arena& a, chunk* c,
                                       std::uintptr_t p) noexcept {
  // No block starts at or past the bump of the current chunk (a block given
  // back clears its start); past a full chunk's last block, nothing is ever
  // handed out, so that block may take the tail.
  std::uintptr_t bound = c == a.chunk_ ? a.cur_ : c->end;
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

namespace {
// Large lists: classes of 64-byte units a quarter of a power of two apart
// (range.cpp's run classes). A block waits in the largest class it fills; a
// request asks the least class that holds it, and the two above.
constexpr unsigned large_unit = 6;
int large_class_below(std::size_t extent) noexcept {
  std::size_t u = extent >> large_unit;
  int k = run_class(u);
  return run_pages(k) > u ? k - 1 : k;
}
int large_class_above(std::size_t n) noexcept {
  return run_class((n + (std::size_t{1} << large_unit) - 1) >> large_unit);
}
}  // namespace

void* arena_access::pop_large(arena& a, std::size_t n,
                              std::size_t align) noexcept {
  int first = large_class_above(n);
  for (int k = first; k < first + 3 && k < arena::large_classes; ++k) {
    auto* blk = static_cast<parked_block*>(a.large_free_[k]);
    // An over-aligned request (a nested arena's chunk: page-aligned) takes
    // the list's first block if it is aligned so (a chunk freed by another
    // nested arena is).
    if (!blk || (reinterpret_cast<std::uintptr_t>(blk) & (align - 1))) continue;
    a.large_free_[k] = blk->next;
    TACIT_ASSERT(blk->in->parked > 0 && blk->in->holder == &a);
    --blk->in->parked;  // still counted in its chunk's live blocks
    if constexpr (asan_reuse) asan_unpoison(blk, n);
    --a.parked_;
    --a.large_parked_;
    ++a.allocations_;
    ++a.reused_;
    a.bytes_ += n;
    return blk;
  }
  return nullptr;
}

void arena_access::free_large(arena& a, chunk* c, std::uintptr_t b,
                              std::size_t extent) noexcept {
  // The block's whole extent, not the size this free names: a block popped
  // for fewer bytes than it has would otherwise drop a class at each reuse.
  if (std::size_t whole = block_extent(a, c, b)) extent = whole;
  if (c->live == 1 && c->parked == 0 && c != a.chunk_) {
    // The last block of a chunk the arena left behind (a block with a chunk
    // of its own, say): the chunk empties and is taken again whole, for any
    // size, before the arena asks upstream.
    if (TACIT_UNLIKELY(asan_linked()))
      asan_poison(reinterpret_cast<void*>(b), extent);
    --c->live;
    chunk_emptied(a, c);
    return;
  }
  if (b + extent == a.cur_) {
    // The last block bumped: its bytes go back to the bump (see
    // free_in_chunk).
    a.cur_ = b;
    clear_start(c, b);
    if (TACIT_UNLIKELY(asan_linked()))
      asan_unpoison(reinterpret_cast<void*>(b), extent);
    if (--c->live == 0) chunk_emptied(a, c);
    return;
  }
  int k = large_class_below(extent);
  if (k < large_class_above(park_max + 1)) {
    // Too small to serve any larger request: back with its chunk.
    if (TACIT_UNLIKELY(asan_linked()))
      asan_poison(reinterpret_cast<void*>(b), extent);
    if (--c->live == 0) chunk_emptied(a, c);
    return;
  }
  auto* blk = reinterpret_cast<parked_block*>(b);
  // (Under AddressSanitizer the block may be poisoned already: a nested
  // arena's chunk is, when it comes back.)
  if (TACIT_UNLIKELY(asan_linked())) asan_unpoison(blk, sizeof *blk);
  blk->next = static_cast<parked_block*>(a.large_free_[k]);
  blk->in = c;
  a.large_free_[k] = blk;
  ++c->parked;
  ++a.parked_;
  ++a.large_parked_;
  if (TACIT_UNLIKELY(asan_linked()))
    asan_poison(blk + 1, ((extent + 15) & ~std::size_t{15}) - 16);
}

// The bump of try_bump against the chunk's own end (checked mode, or while
// blocks wait in the free lists).
void* arena_access::checked_bump(arena& a, std::size_t n,
                                 std::size_t align) noexcept {
  return bump(a, n, align, a.chunk_->end);
}

void* arena_access::take_chunk(arena& a, std::size_t n, std::size_t align) {
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
  bool dedicated = need > a.next_chunk_size_ / 4;
  if (thread_token() != a.home_) share(a);  // see arena_access::share
  chunk* c = nullptr;
  if (a.idle_chunks_ != 0 && a.reuse_)
    c = take_idle(a, n, align);
  if (c) {
    ++a.reused_;
    c->used = true;
  } else {
    c = acquire_chunk(a, need, dedicated ? need : a.next_chunk_size_,
                      a.upstream_, static_cast<source>(a.upstream_kind_),
                      a.limit_, a.held_bytes_,
                      a.home_);
    c->next = a.chunks_;
    a.chunks_ = c;
    c->used = true;
    a.held_bytes_ += c->size;
    a.peak_bytes_ = std::max(a.peak_bytes_, a.held_bytes_);
    // Chunks of their own do not count: they would make the next shared
    // chunk so large that blocks no list holds (over 64 KiB) stop getting
    // chunks of their own, which empty and are taken again.
    if (!dedicated)
      a.next_chunk_size_ =
          std::min(a.next_chunk_size_ + a.next_chunk_size_ / 4, max_chunk_size);
  }
  if (dedicated) {
    std::uintptr_t p = (c->begin + align - 1) & ~(align - 1);
    c->live = 1;
    ++a.allocations_;
    a.bytes_ += n;
    return reinterpret_cast<void*>(p);
  }
  // The chunk left behind is idle if nothing of it is alive.
  chunk* old = a.chunk_;
  if (old != &no_chunk && old->live == 0 && a.reuse_) ++a.idle_chunks_;
  a.chunk_ = c;
  a.cur_ = c->begin;
  bool slow = arenas_slow();
  a.end_ = slow ? 0 : c->end;
  // (The bump itself: try_bump would leave a large block to the lists.)
  void* p = checked_bump(a, n, align);
  if (!p) fatal("arena refill produced a chunk too small for %zu bytes", n);
  return p;
}

}  // namespace tacit::detail

// ---------------------------------------------------------------------------
namespace tacit {

using namespace detail;

arena::arena() noexcept : arena(current()) {}

arena::arena(std::pmr::memory_resource& upstream) noexcept
    : chunk_(&no_chunk),
      upstream_(&upstream),
      upstream_kind_(kind_of(&upstream)),
      next_chunk_size_(first_chunk_size),
      home_(thread_token()),
      // Checked mode tracks each block until its memory is bumped over
      // again, and AddressSanitizer keeps freed blocks poisoned: both want
      // freed memory left alone.
      reuse_(check_mode == 0 && (asan_reuse || !asan_linked())) {}

arena::arena(void* buffer, std::size_t size) noexcept
    : arena(buffer, size, current()) {}

arena::arena(void* buffer, std::size_t size,
             std::pmr::memory_resource& upstream) noexcept
    : arena(upstream) {
  auto b = reinterpret_cast<std::uintptr_t>(buffer);
  std::uintptr_t start = (b + 63) & ~std::uintptr_t{63};
  if (!buffer || b + size < start + chunk_header_size +
                                start_bitmap_bytes(b + size - start) + 64)
    return;  // too small
  // The user's memory, perhaps a buffer an earlier arena used (and, under
  // AddressSanitizer, poisoned as its blocks were freed).
  asan_unpoison(buffer, size);
  chunk* c = init_chunk(reinterpret_cast<void*>(start), b + size - start,
                        source::buffer, home_);
  c->holder = this;
  if (!add_buffer_range(c)) return;  // too many alive: do without it
  first_buffer_ = c;
  c->next = nullptr;
  chunks_ = c;
  chunk_ = c;
  cur_ = c->begin;
  end_ = arenas_slow() ? 0 : c->end;  // checked mode: no inline bump
  next_chunk_size_ = std::clamp(round_pages(size), first_chunk_size,
                                max_chunk_size);
}

arena::~arena() {
  if (check_mode) check_arena_gone(this);
  arena_access::drop_free_lists(*this);
  for (chunk* c = chunks_; c;) {
    chunk* next = c->next;
    let_go(c);
    c = next;
  }
}

void arena::reset() noexcept {
  // Kept to start again in, if idle (no block of them alive): the first
  // buffer; the current chunk; and the chunks this cycle took (new, or idle
  // ones taken again), so a next request of the same shape takes nothing
  // from upstream, while chunks the last cycle did not need go back. The
  // current one after the reset: the first buffer, else the largest kept.
  // Under AddressSanitizer only the first buffer is kept, so reset memory
  // stays poisoned; without reuse (checked mode) only one chunk, since idle
  // chunks are not taken again.
  arena_access::drop_free_lists(*this);
  std::uintptr_t me = thread_token();
  chunk* kept = nullptr;
  chunk* start = nullptr;
  std::size_t held = 0, count = 0;
  for (chunk* c = chunks_; c;) {
    chunk* next = c->next;
    bool idle = c->owner.load(std::memory_order_relaxed) == me &&
                c->bumper.load(std::memory_order_relaxed) == me &&
                live_blocks(c) == 0;
    bool keep = idle && (c == first_buffer_ ||
                         (!asan_linked() && (c == chunk_ || (c->used && reuse_))));
    if (!keep) {
      if (c == first_buffer_) first_buffer_ = nullptr;  // let go, still live
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
      if (c != first_buffer_) held += c->size;
      if (!start || c == first_buffer_ ||
          (start != first_buffer_ && c->size > start->size))
        start = c;
    }
    c = next;
  }
  if (start && !reuse_) {
    // One chunk only (see above).
    for (chunk* c = kept; c;) {
      chunk* next = c->next;
      if (c != start) {
        if (c == first_buffer_) first_buffer_ = nullptr;
        held -= c->size;
        let_go(c);
      }
      c = next;
    }
    start->next = nullptr;
    kept = start;
    count = 1;
  }
  allocations_ = 0;
  bytes_ = 0;
  reused_ = 0;
  chunks_ = kept;
  held_bytes_ = held;
  idle_chunks_ = count ? count - 1 : 0;
  // Growth starts again from what is kept. (An arena reset while blocks of
  // it live on used to take ever larger chunks, up to the maximum, at every
  // reset: nothing here grows with the number of resets.)
  next_chunk_size_ = grown_chunk_size(held);
  if (start) {
    start->used = true;
    chunk_ = start;
    cur_ = start->begin;
    end_ = arenas_slow() ? 0 : start->end;
  } else {
    chunk_ = &no_chunk;
    cur_ = end_ = 0;
  }
}

arena::statistics arena::stats() const noexcept {
  statistics s{};
  s.allocations = allocations_;
  s.bytes = bytes_;
  for (chunk* c = chunks_; c; c = c->next)
    if (c != first_buffer_) ++s.chunks;
  s.chunk_bytes = held_bytes_;
  s.peak_chunk_bytes = peak_bytes_;
  s.reused = reused_;
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
