// runtime/src/internal.hpp — what the runtime's parts share.
//
// The parts (one concern per file, see docs/design.md, "File map"):
//   context.cpp     the per-thread context stack; a resource's enclosing
//                   context; tacit::bind's snapshot and replay
//   coroutines.cpp  the context follows the coroutine (coro_context)
//   user_contexts.cpp  the contexts users declare (TACIT_CONTEXT): their
//                   list, tacit::bind's snapshot of their values
//   new_delete.cpp  the replaceable operator new / delete family
//   range.cpp       the reserved range top-level chunks are carved from
//   pages.cpp       which chunk holds a pointer: the range's page table, the
//                   page map for chunks outside it, first-buffer ranges
//   records.cpp     per-block records of foreign resources' blocks
//   free.cpp        operator delete's slow path: find the maker, send it back
//   containers.hpp  the spinlock and hash maps those tables are made of
//   arena.cpp       tacit::arena, the object: reset(), stats(), destruction
//   lanes.cpp       a lane (one thread's part of an arena): allocation,
//                   refill, free lists, mailbox
//   chunks.cpp      the life of an arena's chunks: taken, let go, returned
//   pinned.cpp      chunks that blocks outliving their arena keep alive
//   serialise.cpp   calls into resources several threads use, one at a time
//   resources.cpp   global(), deny(), counting_resource, tracing_resource
//   static_init.cpp function-local statics initialise on the global heap
//   check.cpp       checked mode (TACIT_CHECK), allocation-failure injection
//   stats.cpp       the allocation report (TACIT_STATS)
//   os.cpp          virtual memory, stderr lines, fatal errors, sanitizer hooks
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef TACIT_RUNTIME_INTERNAL_HPP
#define TACIT_RUNTIME_INTERNAL_HPP

#include <atomic>
#include <bit>
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <typeinfo>
#include <tacit/alloc.hpp>

#define TACIT_LIKELY(x) __builtin_expect(!!(x), 1)
#define TACIT_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define TACIT_NOINLINE __attribute__((noinline))
#define TACIT_INLINE inline __attribute__((always_inline))

// Defined only when the program is built with -fsanitize=address.
extern "C" void __asan_poison_memory_region(void const volatile*, std::size_t)
    __attribute__((weak));
extern "C" void __asan_unpoison_memory_region(void const volatile*, std::size_t)
    __attribute__((weak));

namespace tacit::detail {

// Debug invariants (CMake -DTACIT_DEBUG_INVARIANTS=ON, as mimalloc's
// mi_assert_internal): the runtime checks its own bookkeeping — chunk live
// counts, page-table ownership, record shards, the reserved range — and
// stops with the broken condition named. Off, they compile to nothing.
#if defined(TACIT_DEBUG_INVARIANTS) && TACIT_DEBUG_INVARIANTS
#define TACIT_ASSERT(cond)                                            \
  (__builtin_expect(!!(cond), 1)                                      \
       ? (void)0                                                      \
       : ::tacit::detail::invariant_broken(#cond, __FILE__, __LINE__))
#else
#define TACIT_ASSERT(cond) ((void)0)
#endif
[[noreturn]] void invariant_broken(const char* cond, const char* file,
                                   int line) noexcept;

TACIT_INLINE bool asan_linked() noexcept {
  return &__asan_poison_memory_region != nullptr;
}
// AddressSanitizer, when the program runs under it (looked up at run time:
// the runtime itself is not instrumented; os.cpp).
void asan_poison(const void* p, std::size_t n) noexcept;
void asan_unpoison(const void* p, std::size_t n) noexcept;
// Arenas reuse freed blocks under AddressSanitizer too (poisoned while they
// wait) only in a runtime built with TACIT_ASAN_REUSE=1: the fuzz target's,
// so the sanitizer checks the reuse paths. Elsewhere AddressSanitizer keeps
// every freed block poisoned for good (a late use is always caught).
#if defined(TACIT_ASAN_REUSE) && TACIT_ASAN_REUSE
inline constexpr bool asan_reuse = true;
#else
inline constexpr bool asan_reuse = false;
#endif

inline constexpr unsigned page_shift = 12;
inline constexpr std::size_t page_size = std::size_t{1} << page_shift;
inline constexpr std::size_t default_new_align =
    __STDCPP_DEFAULT_NEW_ALIGNMENT__;
// `n` bytes rounded up to whole pages (chunk sizes).
constexpr std::size_t round_pages(std::size_t n) noexcept {
  return (n + page_size - 1) & ~(page_size - 1);
}

// A block of the global heap (the program's malloc) honouring any
// alignment; null when malloc refuses.
inline void* heap_block(std::size_t n, std::size_t align) noexcept {
  if (align <= default_new_align) return std::malloc(n);
  void* p = nullptr;
  return posix_memalign(&p, align, n) == 0 ? p : nullptr;
}

// The address of a block a resource returned, as it really is.
// memory_resource::allocate is declared alloc_align: the compiler assumes
// the result is aligned as asked and would fold away a check that it is.
TACIT_INLINE std::uintptr_t real_address(const void* p) noexcept {
  auto a = reinterpret_cast<std::uintptr_t>(p);
  asm("" : "+r"(a));
  return a;
}

// A block of a foreign resource, aligned as asked even when the resource
// aligns less: operator new's blocks (new_delete.cpp) and an arena's chunks
// from a resource (chunks.cpp, page-aligned). The block starts `offset`
// bytes into what the resource returned, which was `asked` bytes (0: as many
// as the block's).
struct resource_block {
  void* p = nullptr;
  std::size_t offset = 0;
  std::size_t asked = 0;
};

// Asks `r` for `n` bytes aligned to `align`. A block less aligned than that
// goes back, and `r` is asked for `n + align` bytes to align inside. Throws
// what `r` throws. The caller makes the call as any call into `r`: one at a
// time (serialised_call), in r's enclosing context.
// (The sanitizer's alignment check is off here: memory_resource::allocate
// promises an aligned result, and a resource that breaks the promise is
// what this function is for.)
__attribute__((no_sanitize("alignment"))) inline resource_block
allocate_aligned(std::pmr::memory_resource* r, std::size_t n,
                 std::size_t align) {
  void* p = r->allocate(n, align);
  if (TACIT_LIKELY(!(real_address(p) & (align - 1)))) return {p};
  r->deallocate(p, n, align);
  std::size_t asked = n + align;
  std::uintptr_t b = real_address(r->allocate(asked, align));
  auto* inside = reinterpret_cast<void*>((b + align - 1) & ~(align - 1));
  return {inside, reinterpret_cast<std::uintptr_t>(inside) - b, asked};
}

// Gives back to `r` a block of `n` bytes that allocate_aligned made: what
// `r` returned, with the size and alignment `r` was asked for.
inline void deallocate_aligned(std::pmr::memory_resource* r, void* p,
                               std::size_t n, std::size_t align,
                               std::size_t offset, std::size_t asked) {
  r->deallocate(static_cast<char*>(p) - offset, asked ? asked : n, align);
}

// ---------------------------------------------------------------------------
// Chunks: the unit of memory an arena's lane takes from the arena's upstream.
//
// Where a chunk's memory comes from; also what an arena's upstream is (an
// arena at top level takes from `range`, and `malloc` once the range is full).
enum class source : unsigned char {
  range,     // the reserved range (range.cpp)
  malloc,    // aligned malloc: the reserved range was full
  arena,     // a block of another tacit::arena ("host" chunk)
  resource,  // any other std::pmr::memory_resource
  buffer,    // the first buffer the user gave the arena
};

struct lane;
struct hole;

// The header at the start of every chunk.
//
// While the arena holds it, a chunk belongs to one lane (one thread's part
// of the arena: docs/internals.md, "Arenas that threads share"). Liveness
// without atomics on that thread: `live` counts the blocks the lane bumped
// here, minus those freed while the lane's thread owns it (lane::owning)
// and those other frees handed back through the lane's mailbox, which the
// lane takes in on its own thread. With reuse off (checked mode,
// AddressSanitizer), any other free counts in `remote` instead, atomically,
// and the live count is live - remote. When the arena lets go (reset,
// destruction) it clears `holder` and subtracts `live` from `remote`: from
// then on `remote` is minus the live count, every free adds one atomically,
// and the free that brings it to zero returns the chunk upstream.
//
// Reuse: a block its owner frees while the arena holds the chunk may wait in
// the lane's free lists instead (it still counts in `live`, and in
// `parked`); the arena's reset or end takes `parked` back out of `live`.
struct chunk {
  std::atomic<lane*> holder;  // the lane holding it; null: let go
  std::size_t live;
  std::size_t parked;  // of `live`, blocks waiting in the holder's free lists
  alignas(64) std::atomic<std::int64_t> remote;

  std::uintptr_t begin;  // usable memory [begin, end)
  std::uintptr_t end;
  std::size_t size;  // bytes taken from the source, header included
  chunk* next;       // the lane's list
  std::pmr::memory_resource* upstream;  // source::resource
  chunk* prev_owner;  // who owned these pages before this chunk
  // source::resource, when the resource's block was not page-aligned: the
  // chunk starts `upstream_offset` bytes into a block of `upstream_asked`
  // (allocate_aligned).
  std::size_t upstream_offset;
  std::size_t upstream_asked;
  // A pinned chunk (let go while blocks in it live on, pinned.cpp): its free
  // space, for the lane that adopts it — the blocks that waited in the free
  // lists, linked through themselves (a `hole` each), and the part never
  // bumped, from `tail` to `end`.
  hole* holes;
  std::uintptr_t tail;
  std::size_t largest;       // its largest free run (a hole or the tail)
  chunk* pool_prev;          // the pool's age list (with `next`)
  chunk* bin_next;           // the pool's bin by free bytes
  chunk* bin_prev;
  bool pooled;               // waiting in the pool (under its lock)
  unsigned char bin;         // which bin (pinned.cpp, bin_of)
  source from;
  bool used;    // taken (made, or idle and taken again) since the last reset
  bool pinned;  // in the pool of pinned chunks, or being moved there
  bool purged;  // pinned, and its free pages given back to the system
  bool listed;  // purged, its holes listed outside it (`holes` is that list)
};

inline constexpr std::size_t chunk_header_size =
    (sizeof(chunk) + 63) & ~std::size_t{63};

// Block starts: after the header, one bit per 16 bytes of the chunk, set
// where a block is bumped, so a block freed without its size (an unsized
// delete: delete[] of a trivially destructible array, code built without
// sized deallocation, libstdc++'s own COW strings) still learns its extent —
// up to the next start — and is reused like any other (arena_access::
// block_extent). Bits only ever under-state a block: a stale one (a block
// gone with its chunk's rewind is cleared) can only shorten the extent.
// Every 16 bytes of the chunk, its last ones included (a first buffer's size
// is any number of bytes), have their bit.
inline constexpr std::size_t start_bitmap_bytes(std::size_t chunk_size) {
  return (((chunk_size + 127) >> 7) + 63) & ~std::size_t{63};
}
TACIT_INLINE std::uint64_t* start_bits(chunk* c) noexcept {
  return reinterpret_cast<std::uint64_t*>(reinterpret_cast<char*>(c) +
                                          chunk_header_size);
}
TACIT_INLINE void set_start(chunk* c, std::uintptr_t p) noexcept {
  std::uintptr_t o = p - reinterpret_cast<std::uintptr_t>(c);
  start_bits(c)[o >> 10] |= std::uint64_t{1} << ((o >> 4) & 63);
}
TACIT_INLINE void clear_start(chunk* c, std::uintptr_t p) noexcept {
  std::uintptr_t o = p - reinterpret_cast<std::uintptr_t>(c);
  start_bits(c)[o >> 10] &= ~(std::uint64_t{1} << ((o >> 4) & 63));
}

// ---------------------------------------------------------------------------
// Ownership (range.cpp, pages.cpp, records.cpp, free.cpp).

// The hot globals operator delete reads. `span` is written last (release):
// a pointer inside the range exists only after it was published.
struct alignas(64) ownership_globals {
  std::uintptr_t base;
  std::uintptr_t span;
  std::atomic<chunk*>* page_owner;  // one entry per page of the range
};
extern ownership_globals g_range;

// Nonzero while any foreign block record, chunk outside the reserved range
// (a foreign resource's, or malloc's once the range is full) or first buffer
// is live, and for good in checked mode: operator delete then takes the slow
// path.
extern std::atomic<std::size_t> g_foreign_live;

// span first (acquire), then base: a thread that sees the range published
// sees its base (a stale base of 0 with the new span would take any low
// address for an arena block). Plain moves on x86.
TACIT_INLINE bool in_range(const void* p, std::uintptr_t& off) noexcept {
  std::uintptr_t span = __atomic_load_n(&g_range.span, __ATOMIC_ACQUIRE);
  off = reinterpret_cast<std::uintptr_t>(p) -
        __atomic_load_n(&g_range.base, __ATOMIC_RELAXED);
  return off < span;
}

// Takes `size` bytes (rounded up to a run size: whole pages, in classes a
// quarter of a power of two apart) of page-aligned memory from the reserved
// range; null when the range is full. Thread-safe.
void* range_take(std::size_t& size) noexcept;
void range_give(void* p, std::size_t size) noexcept;
// The run sizes range_take gives: the least one of at least `size` bytes,
// and the largest one of at most `size` bytes (0 if none).
std::size_t range_round_up(std::size_t size) noexcept;
std::size_t range_round_down(std::size_t size) noexcept;
// Run classes (also the large free lists' classes, in 64-byte units):
// classes 0..3 are 1..4 pages; above, each doubling has four:
// 5, 6, 7, 8 × 2^(lg-2) pages for 2^lg < pages <= 2^(lg+1).
constexpr int run_class(std::size_t pages) noexcept {
  if (pages <= 4) return static_cast<int>(pages) - 1;
  int lg = std::bit_width(pages - 1) - 1;
  std::size_t step = std::size_t{1} << (lg - 2);
  auto m = static_cast<int>((pages + step - 1) / step);  // 5..8
  return 4 + (lg - 2) * 4 + (m - 5);
}
constexpr std::size_t run_pages(int k) noexcept {
  if (k < 4) return static_cast<std::size_t>(k) + 1;
  int q = k - 4;
  return static_cast<std::size_t>(q % 4 + 5) << (q / 4);
}
static_assert(run_pages(run_class(1)) == 1 && run_pages(run_class(5)) == 5 &&
              run_pages(run_class(9)) == 10 && run_pages(run_class(1024)) == 1024);

// The chunk owning the page that holds `p` (the innermost, for nested
// chunks), or null.
chunk* page_owner(const void* p) noexcept;
// The chunk a block of which `p` is: the innermost of the first buffers and
// the page owner; null if none.
chunk* chunk_of(const void* p) noexcept;
// Makes `c` the owner of the pages [p, p + size) (page-aligned, whole pages);
// returns the previous owner of the first page.
chunk* claim_pages(void* p, std::size_t size, chunk* c) noexcept;
// Hands the pages back to `prev`.
void restore_pages(void* p, std::size_t size, chunk* prev) noexcept;

// First buffers: exact byte ranges. False when no more can be tracked (the
// arena then does without its first buffer).
bool add_buffer_range(chunk* c) noexcept;
void remove_buffer_range(chunk* c) noexcept;

// Foreign blocks: one record per block a foreign resource made through
// operator new, so the free reaches it with its size and alignment.
// Records nest: a resource's block may start at the very address of the
// outer block holding it (a monotonic resource's first block is the start of
// its buffer). The newer record shadows the older one at that address.
//
// A resource may hand out a block less aligned than operator new promises
// (libstdc++ 12's unsynchronized_pool_resource returns 8-aligned blocks for
// allocate(24, 16)). operator new then asks again for `asked` bytes and
// aligns inside: the block starts `offset` bytes into what the resource
// made, and the free gives the resource back exactly that
// (allocate_aligned, deallocate_aligned).
struct block_record {
  std::pmr::memory_resource* resource;
  std::size_t size;   // what operator new was asked for
  std::size_t align;  // the alignment passed to the resource
  block_record* shadowed;  // the older record at the same address, if any
  std::size_t offset = 0;  // block - what the resource returned
  std::size_t asked = 0;   // bytes asked of the resource; 0: `size`
};
// False when memory for the record ran out (operator new then gives the
// block back and fails as the resource would have).
bool add_record(void* p, const block_record& r) noexcept;
// Removes and returns the record of the block at `p`. With several records
// there, `size` (when nonzero) picks the one made with that size, and those
// above it are dropped (their memory is inside the block being freed).
//
// A sized free larger than every record at `p`, matching none, is not the
// free of a block: it is memory holding blocks (a resource giving back the
// chunk whose first block starts at its first byte). It matches no record
// and reports `containing`; the records inside it are the caller's to drop.
enum class take_result { none, taken, containing };
take_result take_record(void* p, std::size_t size, block_record& out) noexcept;
// Drops the records of blocks inside [p, p + size): the memory holding them
// went back to its source (their resource let go of them without a free).
void forget_records_in(const void* p, std::size_t size) noexcept;
extern std::atomic<std::size_t> g_record_count;  // records kept now

// tacit::bind and the user-declared contexts (user_contexts.cpp): the
// values in effect into `s`; set on this thread from `s`, each pushed as a
// frame of `frames` (returns how many).
void capture_users(context_snapshot& s) noexcept;
int replay_users(const context_snapshot& s, user_frame* frames) noexcept;

// Sends a block back to whoever made it: what operator delete does.
// `size` is the size the caller knows, or 0.
// `align` is the alignment the free implies, or 0 (unknown): forwarding to a
// preloaded allocator's delete, arena reuse and checked mode read it.
void route_free(void* p, std::size_t size, std::size_t align = 0) noexcept;

// The resource that made `p` (see tacit::owner_of).
std::pmr::memory_resource* find_owner(const void* p) noexcept;
// The resource whose recorded block starts at `p`, or null.
std::pmr::memory_resource* record_owner(const void* p) noexcept;
// A free inside the reserved range that no live chunk holds: fatal.
[[noreturn]] TACIT_NOINLINE void free_unowned(void* p) noexcept;

// Routes a block operator delete received when g_foreign_live is nonzero.
// `size` is the size the caller knows, or 0.
void free_slow(void* p, std::size_t size, std::size_t align) noexcept;

// ---------------------------------------------------------------------------
// Allocation-failure injection (check.cpp; tacit/testing.hpp). While some
// thread has a failure armed, arenas take their slow path (as in checked
// mode) so every arena allocation is counted; inject_failure() is asked at
// each allocation the runtime serves in a scope and at its own (records,
// chunks), and says true once: at the k-th.
extern std::atomic<int> g_inject_threads;
bool inject_failure_slow() noexcept;
TACIT_INLINE bool inject_failure() noexcept {
  return g_inject_threads.load(std::memory_order_relaxed) != 0 &&
         inject_failure_slow();
}
// The allocation report (stats.cpp; TACIT_STATS, see docs/reference.md).
// `stats_mode` is set once, before the program's own static initialisers;
// while it is on, arenas bump out of line and every thread that counted an
// allocation has a bottom frame (a global-heap frame under all its scopes,
// marked frame_flag::bottom), so operator new always reaches the
// out-of-line paths, which call stats_count.
extern unsigned char stats_mode;
TACIT_INLINE bool is_bottom(const frame* f) noexcept {
  return f->flags & frame_flag::bottom;
}
// An allocation of `n` bytes operator new served in frame `f`.
void stats_count(frame* f, std::size_t n) noexcept;
// The calling thread's bottom frame.
frame* stats_bottom() noexcept;

// Arenas bump out of line (checked mode, the allocation report, or failure
// injection armed).
TACIT_INLINE bool arenas_slow() noexcept {
  return (check_mode | stats_mode) != 0 ||
         g_inject_threads.load(std::memory_order_relaxed) != 0;
}

// ---------------------------------------------------------------------------
// Checked mode (check.cpp; TACIT_CHECK, see docs/safety.md). Every block a
// scope's resource makes is tracked; every free is checked against it.
// `check_mode` is set once, before the program's own static initialisers.
// While it is on, g_foreign_live never drops to zero (every free takes the
// slow path) and each lane's `end` is kept at 0 (its inline path always fails
// into refill, which bumps against the lane's `limit` and tracks the block).

// A block made: by resource `r` (an arena when `in_arena`), for frame `f`
// (null: not through a scope, e.g. a std::pmr container given the arena).
void check_alloc(void* p, std::size_t size, std::size_t align,
                 std::pmr::memory_resource* r, frame* f,
                 bool in_arena) noexcept;
// A free about to be routed. False: it must not be (a double free, a pointer
// that is no block's start: reported). On an unsized free, and on a size
// mismatch (reported), `size` is set to the block's own, so the free still
// reaches its resource right.
bool check_free(void* p, std::size_t& size, std::size_t align) noexcept;
// The memory [begin, end) went back to its source: blocks tracked in it are
// gone with it.
void check_forget(std::uintptr_t begin, std::uintptr_t end) noexcept;
// Checked mode's part of scope_ended (a tracked frame), and its report of a
// scope ending out of order (misnested).
void check_scope_ended(frame& f) noexcept;
void check_misnested(const frame& f) noexcept;
// The same for a scope of a user-declared context (user_contexts.cpp).
void misnested_user(user_frame& f) noexcept;
void check_misnested_user(const char* context) noexcept;
// A captured scope ended (its cell says so to the coroutines that captured
// it; coroutines.cpp).
void scope_cell_ended(scope_cell* c) noexcept;

// ---------------------------------------------------------------------------
// Arenas: the object (arena.cpp), its lanes (lanes.cpp), its chunks
// (chunks.cpp).

// Counters one thread writes and any thread may read (stats): relaxed
// atomics, which cost what plain counters cost.
template <class T>
TACIT_INLINE void add_relaxed(std::atomic<T>& c, T d) noexcept {
  c.store(c.load(std::memory_order_relaxed) + d, std::memory_order_relaxed);
}

// A freed block waiting for reuse (in a lane's free lists) or for its lane
// to take it in (in the lane's mailbox), written over the block's first 16
// bytes (every arena block has at least 16: blocks start 16-aligned).
struct parked_block {
  parked_block* next;
  chunk* in;
};
// A free block of a pinned chunk, written over its first 16 bytes.
struct hole {
  hole* next;
  std::size_t size;
};

// The mailbox of a lane no arena uses (pooled, or its arena destroyed):
// frees from other threads count in their chunk's `remote` instead.
// lane::owning while another thread gives back the lane's idle chunks
// (release_idle_for): no thread token is 1.
constexpr std::uintptr_t lane_claimed = 1;
inline parked_block* const mailbox_closed =
    reinterpret_cast<parked_block*>(std::uintptr_t{1});

inline constexpr int free_classes = 64;   // blocks of up to 1 KiB: 16 bytes apart
inline constexpr int large_classes = 36;  // up to 64 KiB: see large_size

// One thread's part of a tacit::arena: the chunks it bumps in, the free
// lists of what it freed, and the mailbox other threads hand its blocks back
// through. Only that thread touches the bump and the lists (and reset() or
// the destructor, once it has stopped); so the fast path takes no lock and
// no atomic read-modify-write. Lanes are never returned to the system: a
// destroyed arena's lanes wait in a pool for the next arena, so a stale lane
// pointer (a free racing the arena's end) always points at a lane, and what
// it finds there is checked (docs/internals.md, "Arenas that threads share").
struct lane {
  // The bump: [cur, end) of the current chunk.
  std::uintptr_t cur;
  std::uintptr_t end;  // 0: every allocation goes through refill
  chunk* current;
  std::uintptr_t limit;  // where the bump stops (end, also when end is 0):
                         // the chunk's end, or the end of the free run an
                         // adopted pinned chunk is bumped in
  std::size_t parked;        // blocks in the free lists
  std::size_t large_parked;  // of those, in the large lists
  // Counted on every allocation (stats): on the bump's cache line.
  std::atomic<std::size_t> allocations, bytes, reused;
  // The arena reuses and AddressSanitizer is not in the program: the one
  // test free_owned's common path makes (reuse, below, is read by stale
  // readers too; this only by the lane's own thread).
  bool plain_reuse;
  // The thread while it owns the lane (its frees count plainly and are
  // reused at once), else 0 (its frees go through the mailbox). The home
  // lane is its thread's for good; another thread owns its lane while it is
  // inside the arena: in a with_alloc scope of it, or running a callable
  // tacit::bind carried there (`entered` counts those, on that thread), so
  // reset() and the destructor, which refuse to run while any thread is
  // inside, never race a plain free (docs/internals.md).
  // (Read by every free: on the line after the bump's.)
  std::atomic<std::uintptr_t> owning;
  // Blocks of up to 1 KiB freed here wait in free_, one list per 16-byte
  // size, for the next allocation of that size, which the inline path asks
  // before it bumps. Blocks over 1 KiB, up to 64 KiB: one list per size
  // class (a quarter of a power of two apart, in 64-byte units), asked out
  // of line.
  void* free_[free_classes];
  void* large_free_[large_classes];
  std::atomic<std::size_t> chunk_count;  // chunks held (the first buffer not)
  chunk* chunks;            // every chunk this lane holds
  std::size_t idle_chunks;  // chunks (not current) whose blocks are all
                            // freed: reused before asking upstream
  std::size_t next_chunk_size;
  // The arena (null while pooled) and whether it reuses: read by stale
  // readers (a free or owner_of racing the lane's let-go), so atomic.
  std::atomic<arena*> of_;
  arena* of() const noexcept { return of_.load(std::memory_order_relaxed); }
  std::uint64_t arena_id;
  std::uintptr_t thread;  // the thread allocating here
  lane* next;             // the arena's lanes, or the pool
  unsigned entered;
  std::atomic<bool> reuse;  // the arena's reuse_
  // Blocks other threads freed, for this lane to take in on its own thread
  // (refill, before it bumps or takes a chunk), pushed with one CAS each,
  // and how many were (stats: remote_frees; on the mailbox's line).
  alignas(64) std::atomic<parked_block*> mailbox;
  std::atomic<std::size_t> remote_frees;
};

struct arena_access {
  static void* allocate(arena& a, std::size_t n, std::size_t align);
  TACIT_INLINE static void* try_bump(lane& l, std::size_t n,
                                     std::size_t align) noexcept;
  static void* refill(lane& l, std::size_t n, std::size_t align);
  static void* take_chunk(lane& l, std::size_t n, std::size_t align);
  static void* checked_bump(lane& l, std::size_t n,
                            std::size_t align) noexcept;
  TACIT_INLINE static void* bump(lane& l, std::size_t n, std::size_t align,
                                 std::uintptr_t end) noexcept;
  // A freed block for `n` bytes (n <= park_max) from the free lists, or null.
  TACIT_INLINE static void* pop_freed(lane& l, std::size_t n) noexcept;
  // Blocks over park_max, up to large_max (out of line): a freed block for
  // `n` bytes aligned to `align` from the large lists, or null; and a block
  // of at least `extent` bytes freed by the owner: the last of a chunk the
  // lane left behind empties it, the last bumped gives its bytes back to the
  // bump, one too small for any large class counts as freed, and the rest
  // wait in the large lists.
  static void* pop_large(lane& l, std::size_t n, std::size_t align) noexcept;
  TACIT_NOINLINE static void free_large(lane& l, chunk* c, std::uintptr_t b,
                                        std::size_t extent) noexcept;
  // A free on the thread of the lane holding `c` (or of a lane taking in
  // its mailbox): the last block bumped gives its bytes back to the bump; a
  // block of up to 64 KiB waits in the free lists; else a plain decrement.
  TACIT_INLINE static void free_owned(lane& l, chunk* c, void* p,
                                      std::size_t size,
                                      std::size_t align) noexcept;
  TACIT_NOINLINE static void free_owned_rest(lane& l, chunk* c, void* p,
                                             std::size_t size,
                                             std::size_t align) noexcept;
  TACIT_INLINE static void give_back(lane& l, chunk* c,
                                     std::uintptr_t b) noexcept;
  TACIT_INLINE static void park(lane& l, chunk* c, void* p,
                                std::size_t size) noexcept;
  // The lane's thread freed the last block of `c` (none of it waits in a
  // free list): the current chunk starts again at its beginning, another one
  // becomes idle, to be taken before asking upstream.
  static void chunk_emptied(lane& l, chunk* c) noexcept;
  // The blocks other threads handed back: freed here, as if on this thread.
  // `close`: the lane's arena is ending; later frees count in `remote`.
  static void take_mailbox(lane& l, bool close) noexcept;
  // The free lists are forgotten (reset, destruction): their blocks count as
  // freed in their chunks.
  static void drop_free_lists(lane& l) noexcept;
  static chunk* take_idle(lane& l, std::size_t n, std::size_t align) noexcept;
  // The arena's limit refused a chunk: its idle chunks (no block alive) go
  // back upstream — the calling thread's lane's, then those of the lanes
  // whose threads are not inside the arena (claimed for the time: enter()
  // waits). Returns the bytes given back (chunks.cpp).
  static std::size_t release_idle(lane& l) noexcept;
  static std::size_t release_idle_for(lane& mine) noexcept;
  // The bytes of the block at `p` in `c` (freed unsized): up to the next
  // block start, or to the bump (the current chunk) or the chunk's end; 0
  // when that is more than large_max. Records of foreign blocks inside those
  // bytes are forgotten: they are about to be handed out again (a monotonic
  // resource's buffer freed unsized, its blocks dropped).
  TACIT_NOINLINE static std::size_t block_extent(lane& l, chunk* c,
                                                 std::uintptr_t p) noexcept;
  // The calling thread's lane of `a`, made on first use; null when no
  // memory for one is left.
  static lane* find_lane(arena& a) noexcept;
  // A thread other than the arena's home thread comes inside it (a scope
  // opens, a bound callable starts) and leaves: the first entry makes the
  // thread own its lane and counts it in the arena's running_, the last
  // leave undoes both (lanes.cpp).
  static lane* enter(arena& a) noexcept;
  static void leave(lane& l) noexcept;
  // Chunks (chunks.cpp): chunk bytes reserved under the arena's limit, and
  // a chunk of at least `min_size` bytes, `want` if the limit allows, taken
  // from the arena's upstream for lane `l`.
  static std::size_t reserve(arena& a, std::size_t min_size, std::size_t want,
                             bool range_sizes) noexcept;
  static chunk* acquire_chunk(lane& l, std::size_t min_size,
                              std::size_t want);
  // reset() for one lane; the chunk bytes it keeps.
  static std::size_t reset_lane(lane& l, bool reuse,
                                std::size_t& pinned) noexcept;
  // Pinned chunks (pinned.cpp). At a reset or the end, before the free
  // lists are dropped: the lane's chunks from the reserved range that blocks
  // outliving it keep alive, and that have free space worth reusing, go to
  // the pool of pinned chunks, their free blocks with them (the pool gives
  // the free pages of its older chunks back to the system); returns the
  // bytes they hold. And a lane that needs a chunk adopts one from the
  // pool: it becomes the current chunk, bumped through its largest free run
  // (its tail or a hole), and its other holes join the lane's free lists.
  static std::size_t abandon_pinned(lane& l) noexcept;
  // (`need`: a free run of at least that many bytes, else none is adopted;
  // 0: any.)
  static chunk* adopt_pinned(lane& l, std::size_t need) noexcept;
  // The arena's destruction: every lane lets go and goes back to the pool.
  static void end(arena& a) noexcept;
  static std::uintptr_t home_thread(const arena& a) noexcept {
    return a.home_thread_;
  }
  static std::atomic<int>& running(arena& a) noexcept { return a.running_; }
  // The arena's lanes (for reset, destruction and stats).
  static lane* lanes(const arena& a) noexcept {
    return a.lanes_.load(std::memory_order_acquire);
  }
  static constexpr std::size_t park_max = free_classes * 16;
  static constexpr std::size_t large_max = std::size_t{64} << 10;
};

// Inside `a` for a scope's time on a thread other than its home (enter and
// leave); nothing on the home thread.
class inside_arena {
 public:
  explicit inside_arena(arena& a) noexcept
      : lane_(arena_access::home_thread(a) == thread_token()
                  ? nullptr
                  : arena_access::enter(a)) {}
  inside_arena(const inside_arena&) = delete;
  ~inside_arena() {
    if (lane_) arena_access::leave(*lane_);
  }

 private:
  lane* lane_;
};

// Chunk sizes: each shared chunk a lane takes is a quarter larger than its
// last (docs/internals.md, "How arenas grow"); reset() starts again from a
// quarter of what it keeps.
inline constexpr std::size_t first_chunk_size = 4 * page_size;
inline constexpr std::size_t max_chunk_size = std::size_t{256} << 20;
inline std::size_t grown_chunk_size(std::size_t held) noexcept {
  return held / 4 < first_chunk_size   ? first_chunk_size
         : held / 4 > max_chunk_size ? max_chunk_size
                                     : held / 4;
}

// The chunk of a lane that has none: its end is never bumped to.
extern chunk no_chunk;
// A chunk at `mem` of `size` bytes, held by `holder` (its thread the owner).
chunk* init_chunk(void* mem, std::size_t size, source from,
                  lane* holder) noexcept;
// The arena lets go of `c`: from now on the last free returns it.
void let_go(chunk* c) noexcept;
// One free counted in a let-go chunk's `remote` (or, held, with reuse off);
// the one that brings it to zero returns the chunk, and the one that leaves
// a pinned chunk with only the pool's count takes it out of the pool.
void counted_free(chunk* c) noexcept;
void pinned_emptied(chunk* c) noexcept;
// Returns a let-go chunk whose last block was freed to where it came from.
void release_chunk(chunk* c) noexcept;
// The pool's own count in a pinned chunk's `remote` (pinned.cpp): so large
// that no chunk's live blocks reach it, so a free can tell from the value
// it made alone that it freed a pinned chunk's last block.
inline constexpr std::int64_t pool_count = std::int64_t{1} << 40;
void release_emptied(chunk* c) noexcept;
// A lane from the pool (or new), ready for arena `a` and `thread`; null
// when no memory is left. And back to the pool, its chunks let go and its
// mailbox closed.
lane* take_lane(arena& a, std::uint64_t id, std::uintptr_t thread,
                bool reuse, bool owned) noexcept;
void give_lane(lane* l) noexcept;

// Frees one block of chunk `c`: on the holding lane's thread inline (see
// free_owned), otherwise chunk_free_slow: into the holding lane's mailbox,
// or counted. `size` is the size the caller knows, or 0; `align` the
// delete form's alignment, or 0.
void chunk_free_slow(chunk* c, void* p, std::size_t size) noexcept;
TACIT_INLINE void chunk_free(chunk* c, void* p, std::size_t size,
                             std::size_t align) noexcept {
  // A block of this chunk is alive to be freed; the chunk is held while
  // `holder` is set, and its lane is this thread's while `owning` says so.
  lane* l = c->holder.load(std::memory_order_relaxed);
  if (TACIT_LIKELY(l != nullptr && l->owning.load(std::memory_order_relaxed) ==
                                       thread_token()))
    return arena_access::free_owned(*l, c, p, size, align);
  chunk_free_slow(c, p, size);
}

// A request over park_max, up to large_max, is bumped rounded up to its
// large class's size (64-byte units, a quarter of a power of two apart): a
// freed block then waits in the class its requests ask.
TACIT_INLINE std::size_t large_size(std::size_t n) noexcept {
  std::size_t u = (n + 63) >> 6;  // > 16 units
  std::size_t step = std::size_t{1} << (std::bit_width(u - 1) - 3);
  return ((u + step - 1) & ~(step - 1)) << 6;
}
// Large lists: classes of 64-byte units a quarter of a power of two apart
// (range.cpp's run classes). A block waits in the largest class it fills; a
// request asks the least class that holds it, and the two above.
inline int large_class_below(std::size_t extent) noexcept {
  std::size_t u = extent >> 6;
  int k = run_class(u);
  return run_pages(k) > u ? k - 1 : k;
}
inline int large_class_above(std::size_t n) noexcept {
  return run_class((n + 63) >> 6);
}
TACIT_INLINE unsigned free_class(std::size_t n) noexcept {
  return static_cast<unsigned>((n - 1) >> 4);  // 1..16 -> 0, 17..32 -> 1, ...
}

// The tables above depend on each other: pinned here.
static_assert(arena_access::park_max == free_classes * 16 &&
              arena_access::park_max == 1024);
// The largest large class (64 KiB, in 64-byte units) is the last list.
static_assert(run_class(arena_access::large_max >> 6) == large_classes - 1);
// A freed block holds its link and chunk: every block is 16 bytes or more.
static_assert(sizeof(parked_block) <= 16 && default_new_align >= 16);
// What every allocation and free of the fast paths touches in its lane
// (besides one free list's head) sits in the lane's first two cache lines.
static_assert(offsetof(lane, reused) + sizeof(lane::reused) <= 128 &&
              offsetof(lane, owning) + sizeof(lane::owning) <= 128 &&
              offsetof(lane, plain_reuse) < 128);
// A chunk's header and start bitmap leave room in the smallest chunk, and
// the bitmap has a bit for every 16 bytes of a chunk of any size.
static_assert(chunk_header_size % 64 == 0 &&
              chunk_header_size + start_bitmap_bytes(first_chunk_size) <
                  first_chunk_size / 2);
static_assert(start_bitmap_bytes(first_chunk_size) * 8 * 16 >=
                  first_chunk_size &&
              start_bitmap_bytes(max_chunk_size) * 8 * 16 >= max_chunk_size &&
              start_bitmap_bytes(4097) * 8 * 16 >= 4097);

// The fast path, inlined into operator new: a freed block of this size if
// one waits, else the bump. A request over park_max is left to refill while
// blocks wait in the large lists, and one up to large_max is bumped rounded
// up to its large class. (end is 0 when every arena allocation must go
// through refill: checked mode, the report, failure injection.)
TACIT_INLINE void* arena_access::try_bump(lane& l, std::size_t n,
                                          std::size_t align) noexcept {
  if (n - 1 < park_max) {
    if (align <= default_new_align && l.end != 0)
      if (void* blk = pop_freed(l, n)) return blk;
  } else {
    // Refill asks the lists first; and takes a zero-size request (as one
    // byte: operator new's n - 1 wraps round to here, off the common path).
    if (l.large_parked != 0 || n == 0) return nullptr;
    if (n <= large_max) n = large_size(n);
  }
  return bump(l, n, align, l.end);
}

// The bump, against `end`: l.end inline (0 when every allocation must go
// out of line), l.limit out of line (checked_bump): the chunk's end, or the
// end of the free run an adopted pinned chunk is bumped in.
TACIT_INLINE void* arena_access::bump(lane& l, std::size_t n,
                                      std::size_t align,
                                      std::uintptr_t end) noexcept {
  std::uintptr_t p = (l.cur + align - 1) & ~(align - 1);
  if (TACIT_LIKELY(p <= end && n <= end - p)) {
    chunk* c = l.current;
    TACIT_ASSERT(p >= c->begin && p + n <= c->end &&
                 l.thread == thread_token());
    l.cur = p + n;
    set_start(c, p);
    ++c->live;
    add_relaxed(l.allocations, std::size_t{1});
    add_relaxed(l.bytes, n);
    return reinterpret_cast<void*>(p);
  }
  return nullptr;
}

TACIT_INLINE void* arena_access::pop_freed(lane& l, std::size_t n) noexcept {
  void*& head = l.free_[free_class(n)];
  auto* blk = static_cast<parked_block*>(head);
  if (!blk) return nullptr;
  head = blk->next;
  TACIT_ASSERT(blk->in->parked > 0 && blk->in->holder.load() == &l);
  --blk->in->parked;  // still counted in its chunk's live blocks
  if constexpr (asan_reuse) asan_unpoison(blk, n);
  --l.parked;
  add_relaxed(l.allocations, std::size_t{1});
  add_relaxed(l.reused, std::size_t{1});
  add_relaxed(l.bytes, n);
  return blk;
}

// The last block bumped (`b`, in the current chunk `c`) gives its bytes back
// to the bump. The block that empties its chunk by giving the chunk's first
// bytes back: nothing more to do (chunk_emptied), and no call.
TACIT_INLINE void arena_access::give_back(lane& l, chunk* c,
                                          std::uintptr_t b) noexcept {
  l.cur = b;
  clear_start(c, b);
  if (TACIT_UNLIKELY(--c->live == 0) &&
      (b != c->begin || l.limit != c->end ||
       g_record_count.load(std::memory_order_relaxed) != 0))
    chunk_emptied(l, c);
}

// A freed block of `size` bytes (up to park_max) waits in its free list.
TACIT_INLINE void arena_access::park(lane& l, chunk* c, void* p,
                                     std::size_t size) noexcept {
  auto* blk = static_cast<parked_block*>(p);
  void*& head = l.free_[free_class(size)];
  blk->next = static_cast<parked_block*>(head);
  blk->in = c;
  head = blk;
  ++c->parked;
  ++l.parked;
}

// See its declaration in arena_access. Reuse is the holding lane's alone (its
// thread's, or reset's and the destructor's once that thread has stopped).
TACIT_INLINE void arena_access::free_owned(lane& l, chunk* c, void* p,
                                           std::size_t size,
                                           std::size_t align) noexcept {
  TACIT_ASSERT(reinterpret_cast<std::uintptr_t>(p) >= c->begin &&
               reinterpret_cast<std::uintptr_t>(p) < c->end);
  TACIT_ASSERT(c->holder.load() == &l);
  TACIT_ASSERT(static_cast<std::int64_t>(c->live) -
                   static_cast<std::int64_t>(c->parked) -
                   c->remote.load(std::memory_order_relaxed) >=
               1);
  // The common case, on one test: a sized free of a small block of operator
  // new's alignment, the arena reusing, no AddressSanitizer. The rest (an
  // unsized free, a larger block, reuse off, AddressSanitizer) out of line.
  if (TACIT_LIKELY(l.plain_reuse && size - 1 < park_max &&
                   align <= default_new_align)) {
    auto b = reinterpret_cast<std::uintptr_t>(p);
    if (b + size == l.cur) return give_back(l, c, b);
    return park(l, c, p, size);
  }
  free_owned_rest(l, c, p, size, align);
}

// ---------------------------------------------------------------------------
// Resources several threads use (serialise.cpp). A resource not known to be
// thread-safe is called by one thread at a time once it is shared: carried
// by tacit::bind to another thread, or asked for an arena's chunks (the
// lanes of several threads may ask at once).
bool known_thread_safe(const std::pmr::memory_resource* r) noexcept;
// tacit::bind carries `r` into another thread.
void mark_shared(std::pmr::memory_resource* r) noexcept;
extern std::atomic<std::size_t> g_shared_resources;  // resources marked
// The one (recursive) lock of every call into a shared resource: taken
// always (and `r` marked), or only if `r` is marked; true when taken.
bool lock_always(const std::pmr::memory_resource* r) noexcept;
bool lock_if_shared(const std::pmr::memory_resource* r) noexcept;
void unlock_call() noexcept;

// Holds the lock for the duration of one call into `r`'s code: always, or
// (if_shared) only once `r` is shared.
class serialised_call {
 public:
  explicit serialised_call(const std::pmr::memory_resource* r) noexcept
      : locked_(lock_always(r)) {}
  struct if_shared_t {};
  static constexpr if_shared_t if_shared{};
  serialised_call(const std::pmr::memory_resource* r, if_shared_t) noexcept
      : locked_(TACIT_UNLIKELY(g_shared_resources.load(
                    std::memory_order_relaxed) != 0) &&
                lock_if_shared(r)) {}
  serialised_call(const serialised_call&) = delete;
  ~serialised_call() {
    if (locked_) unlock_call();
  }

 private:
  bool locked_;
};

// ---------------------------------------------------------------------------
// Context (context.cpp).

// Runs a resource's own code in the context that encloses it: the context
// outside the innermost scope of `r` (the global heap if `r` is in no open
// scope). So a pool used as a scope gets its own memory from the scope
// around it, and nothing recurses. Every call the runtime makes into a
// resource's own code (allocate, deallocate, an arena's upstream) is made
// inside one of these; the context comes back however the call ends.
class enclosing_context {
 public:
  explicit enclosing_context(std::pmr::memory_resource* r) noexcept;
  // Serving frame `f` (operator new calling f's resource): the context
  // outside `f`, and `tls_context.serving` names `f` meanwhile (a tracing
  // resource reports which with_alloc asked).
  explicit enclosing_context(frame* f) noexcept
      : saved_(tls_context.top), saved_serving_(tls_context.serving) {
    tls_context.top = f->prev;
    tls_context.serving = f;
  }
  enclosing_context(const enclosing_context&) = delete;
  ~enclosing_context() {
    tls_context.top = saved_;
    tls_context.serving = saved_serving_;
  }

 private:
  frame* saved_;
  frame* saved_serving_;
};

// ---------------------------------------------------------------------------
// The operating system (os.cpp).

// Reserves `size` bytes of address space, readable and writable, committed
// page by page on first touch; null when the system refuses.
void* os_reserve(std::size_t size) noexcept;
// Gives the memory of [p, p + size) back to the system; the addresses stay
// reserved and read as zero when touched again.
void os_discard(void* p, std::size_t size) noexcept;
void os_unreserve(void* p, std::size_t size) noexcept;

// One line on stderr, "<prefix><message>\n", in one write(2): no stdio (the
// reports run in checked mode's and the report's own paths) and whole when
// several threads report at once.
void write_line(const char* prefix, const char* fmt, va_list args) noexcept;
// A type's demangled name ("tacit::arena",
// "std::pmr::monotonic_buffer_resource"), libstdc++'s inline namespace
// dropped; the mangled name if it cannot be demangled.
void type_name(const std::type_info& t, char* out, std::size_t size) noexcept;

// Prints "tacit: <message>" and aborts: for misuse the runtime cannot
// recover from (a corrupt free, a broken scope stack).
[[noreturn]] void fatal(const char* fmt, ...) noexcept
    __attribute__((format(printf, 1, 2)));

// LeakSanitizer does not scan the reserved range (an anonymous mapping it
// knows nothing of): chunks there are registered as root regions while they
// live, so heap objects referenced only from arena memory are not leaks.
void lsan_add_root(const void* p, std::size_t n) noexcept;
void lsan_remove_root(const void* p, std::size_t n) noexcept;

}  // namespace tacit::detail

#endif  // TACIT_RUNTIME_INTERNAL_HPP
