// runtime/src/check.cpp — checked mode: TACIT_CHECK=1 (report on stderr and
// go on) or TACIT_CHECK=abort (report and abort). See docs/safety.md.
//
// Off (the default), nothing here runs: the only traces in the hot paths are
// a test of a frame's flags at scope exit and of `check_mode` where a
// [[tacit::uses(alloc)]] function is entered. On, the runtime routes every
// allocation a scope's resource serves and every free through this file:
//
//   - g_foreign_live is raised for good, so every operator delete takes the
//     slow path (free_slow), which asks check_free first;
//   - arenas' lanes keep `end` at 0, so the inline path never succeeds and
//     every arena allocation goes through refill, which tracks it;
//   - foreign-resource allocations are tracked where their record is made.
//
// Tracked: each block (address, size, alignment, resource, the scope it was
// made in); freed arena blocks stay as tombstones until their memory is
// reused (tacit controls that memory, so a second free is certain). Global-
// heap blocks are not tracked: the heap's own checks apply to them.
//
// Reports start `tacit check: <kind>:`, one of: outlives scope, double free,
// unknown pointer, size mismatch, cross-thread, no context, misnested scope.
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <cxxabi.h>
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <new>
#include <typeinfo>

#include "internal.hpp"
#include <tacit/testing.hpp>

namespace tacit::detail {

unsigned char check_mode = check_off;

namespace {

// Containers of this file never reach operator new.
template <class T>
struct malloc_allocator {
  using value_type = T;
  malloc_allocator() = default;
  template <class U>
  malloc_allocator(const malloc_allocator<U>&) noexcept {}
  T* allocate(std::size_t n) {
    void* p = std::malloc(n * sizeof(T));
    if (!p) fatal("checked mode: out of memory for its tables");
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t) noexcept { std::free(p); }
  template <class U>
  bool operator==(const malloc_allocator<U>&) const noexcept {
    return true;
  }
};

// A scope (with_alloc block or tacit::scope) that made tracked blocks.
struct scope_info {
  const char* file;
  unsigned line;
  std::pmr::memory_resource* resource;
  std::size_t live;   // tracked blocks made in it, not yet freed
  std::size_t bytes;  // their bytes
  bool open;
  bool cross_reported;
  // The resource this scope holds for its thread (cross-thread): a foreign
  // resource not known to be thread-safe.
  std::pmr::memory_resource* holds;
  std::uintptr_t thread;
  pid_t tid;
};

struct tracked {
  std::size_t size;   // as asked of operator new / allocate
  std::size_t align;  // as asked
  std::pmr::memory_resource* resource;
  scope_info* scope;  // null: not made through a scope of its resource
  const char* file;   // the scope's, kept for reports after it is gone
  unsigned line;
  bool in_arena;
  bool freed;  // a tombstone: an arena block already freed
};

using block_table =
    std::multimap<std::uintptr_t, tracked, std::less<std::uintptr_t>,
                  malloc_allocator<std::pair<const std::uintptr_t, tracked>>>;

// Which thread holds a foreign resource not known to be thread-safe now:
// the one whose open scope allocated in it last (cross-thread).
struct resource_holder {
  std::uintptr_t thread;
  pid_t tid;
  scope_info* scope;
};
using holder_table = std::map<
    std::pmr::memory_resource*, resource_holder,
    std::less<std::pmr::memory_resource*>,
    malloc_allocator<std::pair<std::pmr::memory_resource* const, resource_holder>>>;
// Scopes (by their file and line) whose carried copies were reported.
using site_table =
    std::map<std::pair<const char*, unsigned>, bool,
             std::less<std::pair<const char*, unsigned>>,
             malloc_allocator<std::pair<const std::pair<const char*, unsigned>, bool>>>;

std::mutex g_lock;
alignas(block_table) unsigned char g_blocks_storage[sizeof(block_table)];
alignas(holder_table) unsigned char g_holders_storage[sizeof(holder_table)];
alignas(site_table) unsigned char g_sites_storage[sizeof(site_table)];
block_table& blocks() { return *reinterpret_cast<block_table*>(g_blocks_storage); }
holder_table& holders() { return *reinterpret_cast<holder_table*>(g_holders_storage); }
site_table& sites() { return *reinterpret_cast<site_table*>(g_sites_storage); }

// The program's threads' stacks (for "unknown pointer: on the stack").
thread_local std::uintptr_t t_stack_lo
    __attribute__((tls_model("initial-exec")));
thread_local std::uintptr_t t_stack_hi
    __attribute__((tls_model("initial-exec")));

bool on_this_stack(std::uintptr_t p) noexcept {
  if (t_stack_hi == 0) {
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) != 0) return false;
    void* lo = nullptr;
    std::size_t size = 0;
    pthread_attr_getstack(&attr, &lo, &size);
    pthread_attr_destroy(&attr);
    t_stack_lo = reinterpret_cast<std::uintptr_t>(lo);
    t_stack_hi = t_stack_lo + size;
  }
  return p >= t_stack_lo && p < t_stack_hi;
}

// What a report is about: the kinds SPEC §4 lists (a sized or aligned
// delete that disagrees with its block is a `size mismatch`, whichever of
// the two disagrees), and a scope that ends out of order.
enum class report_kind {
  outlives_scope,
  double_free,
  unknown_pointer,
  size_mismatch,
  cross_thread,
  no_context,
  misnested_scope,
};
const char* name_of(report_kind k) noexcept {
  switch (k) {
    case report_kind::outlives_scope: return "outlives scope";
    case report_kind::double_free: return "double free";
    case report_kind::unknown_pointer: return "unknown pointer";
    case report_kind::size_mismatch: return "size mismatch";
    case report_kind::cross_thread: return "cross-thread";
    case report_kind::no_context: return "no context";
    case report_kind::misnested_scope: return "misnested scope";
  }
  return "?";
}

// The first line, `tacit check: <kind>: <what>`, then detail lines; one
// write. In abort mode the program stops here.
void report(report_kind kind, const char* fmt, ...) noexcept
    __attribute__((format(printf, 2, 3)));
void report(report_kind kind, const char* fmt, ...) noexcept {
  char prefix[64];
  std::snprintf(prefix, sizeof prefix, "tacit check: %s: ", name_of(kind));
  std::fflush(stdout);
  va_list args;
  va_start(args, fmt);
  write_line(prefix, fmt, args);
  va_end(args);
  if (check_mode == check_abort) {
    static const char stop[] = "tacit check: stopping (TACIT_CHECK=abort)\n";
    ssize_t ignored = ::write(2, stop, sizeof stop - 1);
    (void)ignored;
    std::abort();
  }
}

// "tacit::arena", "std::pmr::monotonic_buffer_resource", ...
void type_name(const std::pmr::memory_resource* r, char* out,
               std::size_t size) noexcept {
  detail::type_name(typeid(*r), out, size);
}

std::size_t norm_align(std::size_t a) noexcept {
  return a < default_new_align ? default_new_align : a;
}

void where(char* out, std::size_t size, const char* file,
           unsigned line) noexcept {
  if (file)
    std::snprintf(out, size, "the scope at %s:%u", file, line);
  else
    std::snprintf(out, size, "no scope (the resource called directly)");
}

void drop_scope_ref(scope_info* s, std::size_t bytes) noexcept {
  if (!s) return;
  --s->live;
  s->bytes -= bytes;
  if (!s->open && s->live == 0) std::free(s);
}

// Erases tracked blocks in [b, e); live ones die with their memory.
void forget_locked(std::uintptr_t b, std::uintptr_t e) noexcept {
  block_table& t = blocks();
  for (auto it = t.lower_bound(b); it != t.end() && it->first < e;) {
    if (!it->second.freed) drop_scope_ref(it->second.scope, it->second.size);
    it = t.erase(it);
  }
}

// A scope ended (g_lock held): blocks made in it still alive are reported.
void scope_report(scope_info* s) noexcept {
  s->open = false;
  if (s->holds) {
    auto it = holders().find(s->holds);
    if (it != holders().end() && it->second.scope == s) it->second.scope = nullptr;
  }
  if (s->live != 0) {
    char tn[128];
    type_name(s->resource, tn, sizeof tn);
    // A few of them, by address and size.
    char list[512] = "";
    std::size_t used = 0;
    int shown = 0;
    for (auto& [addr, b] : blocks()) {
      if (b.scope != s || b.freed) continue;
      if (shown == 3) {
        used += std::snprintf(list + used, sizeof list - used, "\n  ...");
        break;
      }
      used += std::snprintf(list + used, sizeof list - used,
                            "\n  block %p (%zu bytes)",
                            reinterpret_cast<void*>(addr), b.size);
      ++shown;
      if (used >= sizeof list) break;
    }
    bool is_arena = typeid(*s->resource) == typeid(arena);
    report(report_kind::outlives_scope,
           "%zu block%s (%zu bytes) made in the scope at %s:%u %s still alive "
           "when it ends\n"
           "  its resource: %s %p; %s%s",
           s->live, s->live == 1 ? "" : "s", s->bytes, s->file, s->line,
           s->live == 1 ? "is" : "are", tn, static_cast<void*>(s->resource),
           is_arena
               ? "they keep their arena memory alive until they are freed "
                 "(tacit::arena allows it; free them in the scope, or make "
                 "them in without_alloc, if they should not outlive it)"
               : "they dangle once the resource is destroyed or released (a "
                 "std::pmr resource must outlive its blocks): make them on a "
                 "tacit::arena, which keeps memory alive, or in without_alloc",
           list);
  }
  if (s->live == 0) std::free(s);
}

const char* mode_name(const char* v) noexcept { return v ? v : ""; }

// Read once, before the program's own static initialisers (priority 101
// runs ahead of every default-priority constructor of the executable).
__attribute__((constructor(101))) void read_environment() {
  const char* v = std::getenv("TACIT_CHECK");
  if (!v || !*v || std::strcmp(v, "0") == 0) return;
  unsigned char mode = check_report;
  if (std::strcmp(v, "abort") == 0)
    mode = check_abort;
  else if (std::strcmp(v, "1") != 0)
    std::fprintf(stderr,
                 "tacit: TACIT_CHECK=%s: expected 1 (report and go on) or "
                 "abort (report and abort); reporting and going on\n",
                 mode_name(v));
  new (g_blocks_storage) block_table();
  new (g_holders_storage) holder_table();
  new (g_sites_storage) site_table();
  g_foreign_live.fetch_add(1, std::memory_order_acq_rel);  // for good
  check_mode = mode;
}

}  // namespace

// ---------------------------------------------------------------------------
void check_alloc(void* p, std::size_t size, std::size_t align,
                 std::pmr::memory_resource* r, frame* f,
                 bool in_arena) noexcept {
  auto key = reinterpret_cast<std::uintptr_t>(p);
  bool replayed = f && (f->flags & frame_flag::copy);
  std::lock_guard<std::mutex> hold(g_lock);
  block_table& t = blocks();
  // A tombstone here is memory being reused: no longer a freed block.
  for (auto it = t.lower_bound(key); it != t.end() && it->first == key;)
    it = it->second.freed ? t.erase(it) : std::next(it);
  scope_info* s = nullptr;
  if (f && !replayed && f->resource == r) {
    if (f->flags & frame_flag::tracked) s = static_cast<scope_info*>(f->check);
    if (!s) {
      s = static_cast<scope_info*>(std::calloc(1, sizeof(scope_info)));
      if (!s) fatal("checked mode: out of memory for its tables");
      s->file = f->file;
      s->line = f->line;
      s->resource = r;
      s->open = true;
      s->thread = thread_token();
      s->tid = gettid();
      f->check = s;
      f->flags |= frame_flag::tracked;
    }
    ++s->live;
    s->bytes += size;
  }
  t.emplace(key, tracked{size, align, r, s, s ? s->file : nullptr,
                         s ? s->line : 0, in_arena, false});

  // cross-thread: a resource not known to be thread-safe, allocated into on
  // one thread while another has it open in a scope. (Any number of threads
  // may allocate in a tacit::arena.)
  if (in_arena || !f || known_thread_safe(r)) return;
  std::uintptr_t me = thread_token();
  auto it = holders().find(r);
  bool held_elsewhere = it != holders().end() && it->second.scope &&
                        it->second.scope->open && it->second.thread != me;
  if (held_elsewhere) {
    bool first = replayed ? !std::exchange(sites()[{f->file, f->line}], true)
                          : (s && !std::exchange(s->cross_reported, true));
    if (!first) return;
    const resource_holder& h = it->second;
    char tn[128];
    type_name(r, tn, sizeof tn);
    report(report_kind::cross_thread,
           "%s %p allocated into on thread %d (the scope at %s:%u%s) while "
           "thread %d has it open in the scope at %s:%u\n"
           "  it is not known to be thread-safe: %s; give each thread its "
           "own, or use a tacit::arena or a "
           "std::pmr::synchronized_pool_resource, which threads may share",
           tn, static_cast<void*>(r), static_cast<int>(gettid()), f->file,
           f->line, replayed ? ", carried there by tacit::bind or a coroutine" : "",
           static_cast<int>(h.tid), h.scope->file, h.scope->line,
           replayed ? "Tacit makes its calls one thread at a time"
                    : "only the calls of scopes tacit::bind carries are "
                      "made one thread at a time, and these two were not");
    return;
  }
  if (s && (it == holders().end() || it->second.scope != s)) {
    holders()[r] = {me, s->tid, s};
    s->holds = r;
  }
}

void check_scope_ended(frame& f) noexcept {
  auto* s = static_cast<scope_info*>(f.check);
  std::lock_guard<std::mutex> hold(g_lock);
  scope_report(s);
}

namespace {

// What the table holds at one address: the live blocks that start there
// (the newest, and the one of the size freed), and whether a freed one does.
struct blocks_at {
  block_table::iterator newest, sized;  // the table's end() when none
  block_table::iterator first;          // the first entry at the address
  std::size_t largest = 0;              // the largest live block's size
  bool tombstone = false;               // a freed arena block is there
  bool arena_block = false;             // a live arena block is there
};

blocks_at find_blocks_at(block_table& t, std::uintptr_t key,
                         std::size_t size) noexcept {
  auto [lo, hi] = t.equal_range(key);
  blocks_at at{t.end(), t.end(), lo};
  for (auto it = lo; it != hi; ++it) {
    if (it->second.freed) {
      at.tombstone = true;
      continue;
    }
    at.newest = it;
    at.largest = std::max(at.largest, it->second.size);
    at.arena_block |= it->second.in_arena;
    if (size != 0 && it->second.size == size) at.sized = it;
  }
  return at;
}

// The free of a live block: a size or an alignment that disagrees with the
// block's is reported, and the block's own are used; the block leaves its
// scope's count and the table (an arena block stays as a tombstone until
// its memory is reused).
void free_tracked(block_table& t, block_table::iterator pick, void* p,
                  std::size_t& size, std::size_t align) noexcept {
  tracked& b = pick->second;
  char at[160];
  where(at, sizeof at, b.file, b.line);
  if (size != 0 && size != b.size) {
    report(report_kind::size_mismatch,
           "operator delete(%p, %zu): the block was made with size %zu, in "
           "%s\n  freed with its own size instead",
           p, size, b.size, at);
    size = b.size;
  } else if (align != 0 && norm_align(align) != norm_align(b.align)) {
    report(report_kind::size_mismatch,
           "operator delete(%p) with alignment %zu: the block (%zu bytes) "
           "was made with alignment %zu, in %s\n"
           "  freed with its own alignment instead",
           p, norm_align(align), b.size, norm_align(b.align), at);
  }
  if (size == 0) size = b.size;
  drop_scope_ref(b.scope, b.size);
  b.scope = nullptr;
  if (b.in_arena)
    b.freed = true;  // until the memory is reused
  else
    t.erase(pick);
}

void report_double_free(const tracked& b, void* p) noexcept {
  char at[160];
  where(at, sizeof at, b.file, b.line);
  report(report_kind::double_free,
         "operator delete(%p): the block (%zu bytes, made in %s) was "
         "already freed\n  this free is ignored",
         p, b.size, at);
}

// A pointer at which no block starts: inside a live block, on this thread's
// stack or inside arena memory, it is reported and the free ignored
// (false); anywhere else it is a global-heap block (true).
bool check_not_a_block_start(block_table& t, std::uintptr_t key,
                             void* p) noexcept {
  auto after = t.upper_bound(key);
  int steps = 0;
  for (auto it = after; it != t.begin() && steps < 64; ++steps) {
    --it;
    const tracked& b = it->second;
    if (b.freed || key >= it->first + b.size) continue;
    char at[160];
    where(at, sizeof at, b.file, b.line);
    report(report_kind::unknown_pointer,
           "operator delete(%p): not the start of a live block; it is %zu "
           "bytes into the block at %p (%zu bytes, made in %s)\n"
           "  this free is ignored",
           p, static_cast<std::size_t>(key - it->first),
           reinterpret_cast<void*>(it->first), b.size, at);
    return false;
  }
  if (on_this_stack(key)) {
    report(report_kind::unknown_pointer,
           "operator delete(%p): the address is on this thread's stack, "
           "not a block of any heap or resource\n  this free is ignored",
           p);
    return false;
  }
  std::uintptr_t off;
  if (in_range(p, off) || page_owner(p)) {
    report(report_kind::unknown_pointer,
           "operator delete(%p): the address is inside tacit::arena memory "
           "but is not the start of a live block\n  this free is ignored",
           p);
    return false;
  }
  return true;  // a block of the global heap: the heap's own checks apply
}

}  // namespace

bool check_free(void* p, std::size_t& size, std::size_t align) noexcept {
  auto key = reinterpret_cast<std::uintptr_t>(p);
  std::lock_guard<std::mutex> hold(g_lock);
  block_table& t = blocks();
  blocks_at here = find_blocks_at(t, key, size);
  if (here.newest != t.end()) {
    // The block freed: the one of that size, else the newest live one.
    // (Only foreign blocks can sit at the start of their resource's own
    // memory; a too-large free of an arena block is a size mismatch.)
    if (here.sized == t.end() && size != 0 && size > here.largest &&
        !here.arena_block) {
      // Memory holding these blocks (a resource's own chunk going back
      // upstream), not one of them: they go with it.
      forget_locked(key, key + size);
      return true;
    }
    free_tracked(t, here.sized != t.end() ? here.sized : here.newest, p, size,
                 align);
    return true;
  }
  if (here.tombstone) {
    report_double_free(here.first->second, p);  // every entry here is freed
    return false;
  }
  return check_not_a_block_start(t, key, p);
}

void check_forget(std::uintptr_t begin, std::uintptr_t end) noexcept {
  std::lock_guard<std::mutex> hold(g_lock);
  forget_locked(begin, end);
}

void check_misnested(const frame& f) noexcept {
  frame* top = tls_context.top;
  report(report_kind::misnested_scope,
         "the scope at %s:%u ends while %s\n"
         "  a coroutine compiled without the Tacit plugin that suspends "
         "inside a with_alloc block leaves the block's scope on the thread "
         "(build it with the plugin, which makes a scope follow its "
         "coroutine); a tacit::scope must end in order, on its thread",
         f.file ? f.file : "?", f.line,
         top ? "another scope, opened after it, is still innermost on this "
               "thread"
             : "no scope is open on this thread (it ends on another thread "
               "than the one it was opened on)");
}

void context_missing(const char* name, const char* file,
                     unsigned line) noexcept {
  // (Checked mode's report, then the stop: there is no value to return.)
  if (check_mode != 0)
    report(report_kind::no_context,
           "tacit::get<%s>() at %s:%u with no with_context(%s, ...) scope "
           "open\n  and the declaration TACIT_CONTEXT(%s, ...) gives no "
           "default: call it inside with_context(%s, ...), or read it with "
           "tacit::find<%s>() (null when none)",
           name, file, line, name, name, name, name);
  std::fflush(stdout);  // (what the program printed before, kept)
  fatal("tacit::get<%s>() at %s:%u: no '%s' context is open and it has no "
        "default",
        name, file, line, name);
}

void check_misnested_user(const char* context) noexcept {
  report(report_kind::misnested_scope,
         "a scope of the context '%s' ends while it is not the innermost "
         "user-context scope on this thread\n"
         "  a coroutine compiled without the Tacit plugin that suspends "
         "inside a with_context block leaves the block's scope on the thread "
         "(build it with the plugin, which makes a scope follow its "
         "coroutine); a tacit::context_scope must end in order, on its "
         "thread",
         context);
}

void uses_context_entered(const char* context, const char* function,
                          const char* file, unsigned line) noexcept {
  // (Checked mode's report, then the stop: the function's reads of the
  // context have no value to find.)
  report(report_kind::no_context,
         "%s (%s:%u) entered with no '%s' context\n"
         "  it is declared [[tacit::uses(%s)]]: call it inside "
         "with_context(%s, ...); it was reached by a path the compiler "
         "could not check (a function pointer, std::function, code built "
         "without the plugin)",
         function, file, line, context, context, context);
  std::fflush(stdout);
  fatal("%s (%s:%u) entered with no '%s' context, which it is declared to "
        "use ([[tacit::uses(%s)]]) and which has no default",
        function, file, line, context, context);
}

void uses_entered(const char* function, const char* file,
                  unsigned line) noexcept {
  frame* f = tls_context.top;
  if (f && f->resource) return;
  if (f && is_bottom(f)) f = nullptr;  // TACIT_STATS's: no scope
  report(report_kind::no_context,
         "%s (%s:%u) entered with no with_alloc scope open\n"
         "  it is declared [[tacit::uses(alloc)]]: call it inside "
         "with_alloc(...); %s",
         function, file, line,
         f ? "the innermost scope is the global heap (without_alloc, or a "
             "[[tacit::without(alloc)]] function)"
           : "it was reached by a path the compiler could not check (a "
             "function pointer, std::function, code built without the "
             "plugin)");
}

}  // namespace tacit::detail

// ---------------------------------------------------------------------------
// Allocation-failure injection (tacit/testing.hpp).
namespace tacit::detail {

std::atomic<int> g_inject_threads{0};

namespace {
struct injection {
  std::size_t countdown;  // 0: disarmed
  std::size_t counted;
  bool fired;
};
thread_local injection t_inject __attribute__((tls_model("initial-exec")));
}  // namespace

bool inject_failure_slow() noexcept {
  injection& t = t_inject;
  if (t.countdown == 0) return false;
  ++t.counted;
  if (--t.countdown != 0) return false;
  t.fired = true;  // once: disarmed from here, the thread still counts
  g_inject_threads.fetch_sub(1, std::memory_order_relaxed);
  return true;
}

}  // namespace tacit::detail

namespace tacit::testing {

void fail_nth_allocation(std::size_t k) noexcept {
  detail::injection& t = detail::t_inject;
  if (t.countdown != 0)
    detail::g_inject_threads.fetch_sub(1, std::memory_order_relaxed);
  t.countdown = k;
  t.counted = 0;
  t.fired = false;
  if (k != 0) detail::g_inject_threads.fetch_add(1, std::memory_order_relaxed);
}

bool failure_injected() noexcept { return detail::t_inject.fired; }
std::size_t allocations_counted() noexcept { return detail::t_inject.counted; }
std::size_t foreign_live() noexcept {
  return detail::g_foreign_live.load(std::memory_order_acquire) -
         (detail::check_mode ? 1 : 0);
}

}  // namespace tacit::testing
