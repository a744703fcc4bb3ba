// <tacit/alloc.hpp> — scoped, implicit allocator contexts for stock C++.
//
// Inside `with_alloc(r) { ... }` every allocation made by the block and by
// everything it calls — `std::vector`, `std::string`, `std::unordered_map`,
// `std::function`, `std::make_shared`, `std::to_string`, `new T` — comes from
// the `std::pmr::memory_resource` `r`. No allocator parameters, no `std::pmr::`
// twin types, no `_in` constructors:
//
//     #include <tacit/alloc.hpp>
//
//     std::vector<std::string> split(const std::string& line);  // ordinary code
//
//     void handle(const std::string& line) {
//       tacit::arena request;              // a bump allocator for this request
//       with_alloc(request) {
//         auto words = split(line);        // split() allocates on the arena too
//         std::unordered_map<std::string, int> counts;
//         for (auto& w : words) ++counts[w];
//       }                                  // context ends here; the arena ends
//     }                                    // with the function
//
// How it works: the runtime library (libtacit) replaces the global `operator
// new` / `operator delete` family. `operator new` asks the calling thread's
// context stack which resource is current (none: `malloc`); `operator delete`
// finds the resource that made a block, wherever and whenever it is freed.
// See docs/design.md.
//
// Build with `tacit++` (a clang++-19 wrapper that adds the plugin, this
// header's directory and the runtime), or by hand:
//
//     clang++-19 -std=c++20 -fplugin=tacit-plugin.so -I<include> x.cpp
//         -Wl,--whole-archive libtacit.a -Wl,--no-whole-archive
//
// The runtime must be linked into the executable (the static library, whole):
// its `operator new` must win over one a preloaded allocator may export.
//
// Without the plugin (g++, clangd, clang-tidy) `with_alloc` and
// `without_alloc` still work at run time; the `TACIT_USES_ALLOC` /
// `TACIT_WITHOUT_ALLOC` spellings vanish and nothing is checked.
//
// Requires C++17; C++20 gives the cheapest scope entry (constinit TLS).
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef TACIT_ALLOC_HPP
#define TACIT_ALLOC_HPP

#include <tacit/names.hpp>

#include <atomic>
#include <cstddef>
#include <cstdio>
#include <cstdint>
#include <functional>
#include <memory_resource>
#include <type_traits>
#include <utility>

// ---------------------------------------------------------------------------
// Signature-level capabilities (checked by the plugin).
//
//   TACIT_USES_ALLOC     void parse(...);   // needs an allocator context
//   TACIT_WITHOUT_ALLOC  void log(...);     // runs on the global heap
//
// With the plugin loaded these are `[[tacit::uses(alloc)]]` and
// `[[tacit::without(alloc)]]`, which may also be written directly. Without it
// they expand to nothing, so g++ and tools that do not load the plugin see no
// unknown attribute.
#if defined(__has_cpp_attribute)
#if __has_cpp_attribute(tacit::uses)
#define TACIT_USES_ALLOC [[tacit::uses(alloc)]]
#define TACIT_DETAIL_PLUGIN 1
#endif
#if __has_cpp_attribute(tacit::without)
#define TACIT_WITHOUT_ALLOC [[tacit::without(alloc)]]
#endif
#endif
#ifndef TACIT_USES_ALLOC
#define TACIT_USES_ALLOC
#endif
#ifndef TACIT_WITHOUT_ALLOC
#define TACIT_WITHOUT_ALLOC
#endif

#if defined(__cpp_constinit)
#define TACIT_CONSTINIT constinit
#elif defined(__clang__)
// The GNU spelling: in `extern thread_local TACIT_CONSTINIT T v;` a [[...]]
// attribute would appertain to the type, which C++17 clang rejects.
#define TACIT_CONSTINIT __attribute__((require_constant_initialization))
#else
#define TACIT_CONSTINIT
#endif

namespace tacit {

class arena;

namespace detail {

struct lane;
struct scope_cell;

// What ending a scope has to do beyond popping its frame (scope_ended), and
// what kind of frame it is: bits of frame::flags.
struct frame_flag {
  enum : unsigned char {
  entered = 1,   // the scope entered its arena's lane on a thread other than
                 // the arena's home: it leaves it
  tracked = 2,   // checked mode tracks it: `check` holds its record
  captured = 4,  // a coroutine captured it: `cell` says when it ends
  detached = 8,  // its coroutine is suspended: the frame is on no thread's
                 // stack (ending it pops nothing)
  copy = 16,     // a copy (tacit::bind's, a coroutine's creation context):
                 // not a scope of its own
  bottom = 32,   // TACIT_STATS's bottom frame: no scope
  };
};

// One entry of a thread's context stack. Frames live inside the scope objects
// that `with_alloc` / `without_alloc` declare (on the C++ stack, or in a
// coroutine's frame), linked innermost first; the runtime never allocates to
// open a scope.
struct frame {
  std::pmr::memory_resource* resource;  // nullptr: the global heap
  // When `resource` is a tacit::arena: the calling thread's lane of it (the
  // part of the arena this thread bumps in; see tacit::arena, Threads).
  lane* fast;
  frame* prev;  // the enclosing context
  const char* file;                     // where the scope was opened
  unsigned line;
  unsigned char flags = 0;  // frame_flag bits; 0 for most scopes
  // Read only with their flag: checked mode's record of the blocks made in
  // the scope (tracked), and the scope's liveness cell (captured).
  // (Initialised all the same: a scope's initialiser names the first five
  // fields, and -Wextra would warn in users' code about the others.)
  void* check = nullptr;
  scope_cell* cell = nullptr;
};

// Checked mode (TACIT_CHECK in the environment, read once at start-up):
// off, report and go on, or report and abort. Never changes afterwards.
// (Plain constants over a byte: "is it on" is `check_mode != check_off`,
// one load and a compare on every path that asks.)
enum check_level : unsigned char {
  check_off = 0,
  check_report = 1,  // TACIT_CHECK=1
  check_abort = 2,   // TACIT_CHECK=abort
};
extern unsigned char check_mode;  // a check_level

// The scope of frame `f` ends and has more to do than pop (its flags say
// what): pop unless its coroutine is suspended, leave the lane it entered,
// report the blocks made in it still alive (checked mode), mark its cell.
void scope_ended(frame& f) noexcept;

class coro_context;
struct context_desc;  // a user-declared context (tacit/context.hpp)

// One scope of a user-declared context (TACIT_CONTEXT): with_context, a
// tacit::context_scope, the body of a [[tacit::without(name)]] function (the
// context cleared), a context tacit::bind carries, a coroutine's creation
// context. Each context's value lives in a thread-local slot of its own
// (reading it is one load); the frames say who set it, so that a coroutine
// can take its context along and know when a scope of it has ended.
// Linked innermost first, all contexts on one list per thread
// (thread_context::users). Invariant: each context's slot holds the value
// of the innermost frame of it on the list, or null when there is none.
struct user_frame {
  context_desc* desc;  // which context
  void* value;         // what it provides (null: the context cleared)
  void* saved;         // the slot's value before it, put back at its end
  user_frame* prev;
  unsigned char flags = 0;  // frame_flag: captured, detached, copy
  scope_cell* cell = nullptr;  // (captured) its liveness
};

struct thread_context {
  frame* top;      // innermost open scope; nullptr: no scope (global heap)
  frame* serving;  // the scope whose resource operator new is calling now
  // The coroutine that is suspending on this thread (for suspend_guard).
  coro_context* suspending;
  // The innermost scope of a user-declared context; nullptr: none.
  user_frame* users;
};

// The calling thread's context stack. Initial-exec TLS with a constant
// initialiser: reading it is one instruction, with no lazy-init check.
extern thread_local TACIT_CONSTINIT thread_context tls_context
    __attribute__((tls_model("initial-exec")));

// A thread's token: the address of its context block. Unique among live
// threads, free to compute (initial-exec TLS), never zero.
inline std::uintptr_t thread_token() noexcept {
  return reinterpret_cast<std::uintptr_t>(&tls_context);
}

// The calling thread's lane of `a`, made on first use (out of line: the
// thread is not the one that made `a`).
lane* find_lane(arena& a) noexcept;
// The same, for a scope: the thread owns the lane while the scope is open
// (sets f.fast, and marks f so that scope_ended leaves the lane).
void enter_lane(frame& f, arena& a) noexcept;
// The one rule for a frame of arena `a` on the calling thread (a scope
// opening, a coroutine resuming, a tacit::bind callable starting): the
// home lane on the thread that made `a`, else this thread's lane, entered
// (enter_lane; f.fast is null when no memory for a lane is left).
inline void use_lane(frame& f, arena& a) noexcept;

// The barriers cost no instruction; they are what keeps the frame real.
// Clang treats the operator new of a new-expression as malloc-like (reading
// no program memory), so in `with_alloc(a) p = new T;` the stores that fill
// the frame and publish it would look dead to the optimiser and vanish.
inline void push(frame& f) noexcept {
  f.prev = tls_context.top;
  tls_context.top = &f;
  asm volatile("" : : "r"(&f) : "memory");
}
// A scope that ends while it is not the innermost on this thread: one opened
// after it is still open, or it ends on another thread (a coroutine built
// without the plugin suspended inside it). Checked mode reports it
// (`misnested scope`) and goes on; otherwise the program stops with a
// message, rather than go on with a broken context stack.
void misnested(frame& f) noexcept;
inline void pop(frame& f) noexcept {
  asm volatile("" : : "r"(&f) : "memory");
  if (__builtin_expect(tls_context.top != &f, 0)) return misnested(f);
  tls_context.top = f.prev;
}

// Out of line (in the runtime): recognises a tacit::arena behind a
// memory_resource reference, and reports a null resource pointer.
void open(frame& f, std::pmr::memory_resource* r) noexcept;

// What with_alloc accepts: an lvalue of, or a pointer to, a type derived
// from std::pmr::memory_resource.
template <class T>
struct is_resource_lvalue_or_pointer
    : std::bool_constant<
          (std::is_lvalue_reference_v<T> &&
           std::is_convertible_v<T, std::pmr::memory_resource&>) ||
          std::is_convertible_v<std::remove_reference_t<T>,
                                std::pmr::memory_resource*>> {};

// The RAII object `with_alloc(R)` declares. The plugin recognises each
// with_alloc block by a variable of this type.
class alloc_scope {
 public:
  alloc_scope(arena& r, const char* file, unsigned line) noexcept;
  alloc_scope(arena* r, const char* file, unsigned line) noexcept;
  alloc_scope(std::pmr::memory_resource& r, const char* file,
              unsigned line) noexcept
      : f_{nullptr, nullptr, nullptr, file, line} {
    open(f_, &r);
  }
  alloc_scope(std::pmr::memory_resource* r, const char* file,
              unsigned line) noexcept
      : f_{nullptr, nullptr, nullptr, file, line} {
    open(f_, r);
  }
  // Anything else — a number, a temporary resource (it would be destroyed
  // before the block runs), an allocator — is refused with one message.
#define TACIT_WITH_ALLOC_NEEDS                                      \
  "with_alloc needs an lvalue or a pointer of a type derived from " \
  "std::pmr::memory_resource (a tacit::arena, a "                   \
  "std::pmr::monotonic_buffer_resource, ...)"
  template <class T,
            std::enable_if_t<!is_resource_lvalue_or_pointer<T>::value, int> = 0>
#if defined(__clang__) && defined(TACIT_DETAIL_PLUGIN)
  // With the plugin, its check tacit-with-alloc-argument reports this at
  // the user's argument, with no macro backtrace. Declared only: with that
  // check turned off, such a program still does not link.
  alloc_scope(T&&, const char*, unsigned);
#elif defined(__clang__)
  __attribute__((unavailable(TACIT_WITH_ALLOC_NEEDS)))
  alloc_scope(T&&, const char*, unsigned);
#else
  alloc_scope(T&&, const char*, unsigned) {
    static_assert(sizeof(T) == 0, TACIT_WITH_ALLOC_NEEDS);
  }
#endif

  alloc_scope(const alloc_scope&) = delete;
  alloc_scope& operator=(const alloc_scope&) = delete;
  ~alloc_scope() {
    if (__builtin_expect(f_.flags == 0, 1))
      pop(f_);
    else
      scope_ended(f_);
  }

 private:
  frame f_;
};

// The RAII object `without_alloc` declares (and the plugin inserts at the top
// of a `[[tacit::without(alloc)]]` function): the global heap in context.
class heap_scope {
 public:
  heap_scope(const char* file, unsigned line) noexcept
      : f_{nullptr, nullptr, nullptr, file, line} {
    push(f_);
  }
  heap_scope(const heap_scope&) = delete;
  heap_scope& operator=(const heap_scope&) = delete;
  ~heap_scope() {
    if (__builtin_expect(f_.flags == 0, 1))
      pop(f_);
    else
      scope_ended(f_);
  }

 private:
  frame f_;
};

// What the plugin inserts at the top of a `[[tacit::uses(alloc)]]` function:
//
//     ::tacit::detail::uses_check __tacit_uses_alloc("parse", "parse.cpp", 12);
//
// In checked mode, entering the function with no with_alloc scope open (no
// scope, or the global heap: without_alloc) reports
// `tacit check: no context: parse (parse.cpp:12) entered with no with_alloc
// scope open` — a call that slipped past the compiler through a function
// pointer, std::function, or code built without the plugin. Checking off,
// it costs one load of `check_mode` and a predictable branch.
void uses_entered(const char* function, const char* file,
                  unsigned line) noexcept;
class uses_check {
 public:
  uses_check(const char* function, const char* file, unsigned line) noexcept {
    if (__builtin_expect(check_mode != 0, 0)) uses_entered(function, file, line);
  }
  uses_check(const uses_check&) = delete;
  uses_check& operator=(const uses_check&) = delete;
};

#define TACIT_CONCAT_(a, b) a##b
#define TACIT_CONCAT(a, b) TACIT_CONCAT_(a, b)

// The plugin knows these classes by the names in <tacit/names.hpp>: if one
// is renamed here and not there, this stops compiling.
using names_match_alloc_scope = ::tacit::detail::TACIT_NAME_ALLOC_SCOPE;
using names_match_heap_scope = ::tacit::detail::TACIT_NAME_HEAP_SCOPE;
using names_match_uses_check = ::tacit::detail::TACIT_NAME_USES_CHECK;
}  // namespace detail

// ---------------------------------------------------------------------------
// The scopes.
//
//   with_alloc(r) { ... }   r: an lvalue or a pointer of a type derived from
//                           std::pmr::memory_resource (tacit::arena,
//                           std::pmr::monotonic_buffer_resource, yours...)
//   without_alloc { ... }   the global heap, whatever the caller's context
//
// Each is one statement; the scope ends however the block is left: falling
// off its end, break, continue, return, goto, or an exception. Scopes nest;
// the innermost wins. `if (x) with_alloc(r) { ... } else { ... }` binds the
// `else` to the `if`, as it reads.
//
// The design card's spelling, `with_alloc(r) < ... >` and
// `without_alloc < ... >`, means the same but needs the plugin: it turns the
// angle brackets into the block's braces before the file is parsed
// (docs/diagnostics.md, AngleBlocks). Without the plugin (g++, plain clang,
// clangd, clang-tidy) the angle form does not compile; the brace form is the
// portable spelling.
//
// The expansion is `if (<scope object>; false) {} else <block>`: the object
// lives exactly as long as the block, and `break` / `continue` still reach
// the user's loop. The `else` is ours, so clang's -Wdangling-else (which
// would fire on `if (x) with_alloc(r) {...}`) is silenced inside it.
#if defined(__clang__)
#define TACIT_SCOPE_PRAGMAS_BEGIN  \
  _Pragma("clang diagnostic push") \
      _Pragma("clang diagnostic ignored \"-Wdangling-else\"")
#define TACIT_SCOPE_PRAGMAS_END _Pragma("clang diagnostic pop")
#elif defined(__GNUC__)
#define TACIT_SCOPE_PRAGMAS_BEGIN \
  _Pragma("GCC diagnostic push")  \
      _Pragma("GCC diagnostic ignored \"-Wdangling-else\"")
#define TACIT_SCOPE_PRAGMAS_END _Pragma("GCC diagnostic pop")
#else
#define TACIT_SCOPE_PRAGMAS_BEGIN
#define TACIT_SCOPE_PRAGMAS_END
#endif
#define TACIT_WITH_ALLOC(...)                                               \
  TACIT_SCOPE_PRAGMAS_BEGIN                                                 \
  if (::tacit::detail::alloc_scope TACIT_CONCAT(tacit_scope_, __COUNTER__){ \
          (__VA_ARGS__), __FILE__, __LINE__};                               \
      false) {                                                              \
  } else                                                                    \
    TACIT_SCOPE_PRAGMAS_END
#define TACIT_WITHOUT_ALLOC_SCOPE                                          \
  TACIT_SCOPE_PRAGMAS_BEGIN                                                \
  if (::tacit::detail::heap_scope TACIT_CONCAT(tacit_scope_, __COUNTER__){ \
          __FILE__, __LINE__};                                             \
      false) {                                                             \
  } else                                                                   \
    TACIT_SCOPE_PRAGMAS_END

#ifndef TACIT_NO_KEYWORDS
#define with_alloc(...) TACIT_WITH_ALLOC(__VA_ARGS__)
#define without_alloc TACIT_WITHOUT_ALLOC_SCOPE
#endif

// ---------------------------------------------------------------------------
// Resources.

// The global heap (the program's own malloc: glibc, or jemalloc, mimalloc,
// tcmalloc when linked or preloaded) as a memory_resource. Allocations honour
// any alignment. `with_alloc(tacit::global())` is the same as `without_alloc`.
std::pmr::memory_resource& global() noexcept;

// The resource in context on this thread now; global() when no scope is open.
std::pmr::memory_resource& current() noexcept;

// A resource that refuses every allocation (std::bad_alloc). Wrap a region
// in `with_alloc(tacit::deny())` to prove it allocation-free: any
// `operator new` in it throws, nothrow forms return null.
std::pmr::memory_resource& deny() noexcept;

namespace detail {
struct chunk;
struct arena_access;
}  // namespace detail

// Which resource made the block at `p` (a pointer operator new returned, or
// one a tacit::arena handed out): the tacit::arena or foreign resource that
// made it, or global() for the global heap. For an arena that has since been
// destroyed or reset while the block lives on: nullptr. A diagnostic tool
// (it takes locks): for tests, assertions and debugging, not hot paths.
std::pmr::memory_resource* owner_of(const void* p) noexcept;

// tacit::scope — a scope for code that is not a block: puts `r` in context
// from its construction to its destruction, as with_alloc(r) { ... } does
// for a block.
//
//     void OnTestStart(const testing::TestInfo&) override {
//       arena_ = std::make_unique<tacit::arena>();
//       scope_.emplace(*arena_);         // the test runs on its own arena
//     }
//     void OnTestEnd(const testing::TestInfo&) override { scope_.reset(); }
//
// RAII and non-copyable, and strictly nested: it must end on the thread that
// opened it, after every scope opened since (otherwise the runtime stops the
// program with a message naming it). Checked mode names it by where it was
// constructed (`file`, `line`: the caller's, by default; constructed through
// std::make_unique or std::optional::emplace, the default names a line of
// the standard library, so pass them).
class scope {
 public:
  explicit scope(std::pmr::memory_resource& r,
                 const char* file = __builtin_FILE(),
                 unsigned line = __builtin_LINE()) noexcept
      : f_{nullptr, nullptr, nullptr, file, line} {
    detail::open(f_, &r);
  }
  scope(const scope&) = delete;
  scope& operator=(const scope&) = delete;
  ~scope();

 private:
  detail::frame f_;
};

// tacit::arena — a bump allocator that threads can share.
//
// Allocation moves a pointer through the current chunk; when a chunk is full
// the arena takes a new one, a quarter larger than the last, from its
// upstream. What is freed is reused while the arena lives (sized or not, on
// any thread); chunks go back upstream when the arena is destroyed, or at
// reset() unless it keeps them for the next cycle (see reset()).
// Use it for memory with one lifetime — a request, a parse, a frame, a
// compiler pass — or around a whole loop with churn.
//
// Nesting: an arena's upstream is the resource in context when it is
// constructed (or the one given). At top level that is the system; inside
// `with_alloc(outer)` the arena takes its chunks from `outer`, so arenas nest
// as a tree.
//
// Safety: a block that is still live when the arena is reset or destroyed
// keeps its chunk alive; the chunk goes back upstream when its last block is
// freed. So a `std::vector` declared outside a scope and grown inside it stays
// valid after the arena ends. (A first buffer you pass in is yours, and
// cannot be kept alive: do not let blocks in it outlive it.)
//
// Threads: any number of threads may allocate in one arena at once — a
// request fanned out to workers with tacit::bind, say. Each thread bumps in
// a lane of its own (its own chunks and free lists, found with no lock), and
// a block freed on another thread is handed back to its lane, which reuses
// it. set_limit() and stats() hold for the arena as a whole. Reset or
// destroy it once the threads allocating in it are done (joined, or back in
// their pool): a bound callable still running in it then stops the program
// with a message.
//
// Cost: an allocation is a few instructions on the fast path; see
// docs/benchmarks.md.
class arena final : public std::pmr::memory_resource {
 public:
  struct statistics {
    std::size_t allocations;       // blocks handed out since construction/reset
    std::size_t bytes;             // bytes requested by those blocks
    std::size_t chunks;            // chunks held now
    std::size_t chunk_bytes;       // bytes of chunk memory held now
    std::size_t peak_chunk_bytes;  // most chunk bytes held at once, ever
    std::size_t reused;            // of `allocations`, those served by a
                                   // block freed earlier (also counted: each
                                   // emptied chunk taken again, and each
                                   // chunk another arena left pinned that
                                   // this one adopted)
    std::size_t threads;           // threads that allocated in it (lanes)
    std::size_t remote_frees;      // blocks freed on another thread than the
                                   // one that made them, handed back
    std::size_t pinned_bytes;      // chunk bytes the last reset() let go
                                   // while blocks made before it live on
                                   // (later arenas fill the space around
                                   // them)
  };

  // Upstream: the resource in context now (tacit::current()).
  arena() noexcept;
  explicit arena(std::pmr::memory_resource& upstream) noexcept;
  // A first buffer, used before any chunk is taken from upstream (for
  // instance a stack array). The buffer must outlive every block in it.
  // (It serves the thread that makes the arena.)
  arena(void* buffer, std::size_t size) noexcept;
  arena(void* buffer, std::size_t size,
        std::pmr::memory_resource& upstream) noexcept;
  arena(const arena&) = delete;
  arena& operator=(const arena&) = delete;
  ~arena() override;

  // Forget every block: chunks with no live block that were used since the
  // last reset are kept for reuse (so a loop resetting between requests of
  // one shape takes nothing more from upstream), the others returned; chunks
  // with live blocks stay alive until those blocks are freed. (In an arena
  // at top level, those with room to spare wait for later arenas to fill
  // it, and the idle chunks are then returned too: docs/internals.md, "Memory
  // follows live data".)
  // Allocation starts again from an empty chunk kept (the first buffer,
  // else the largest), if any.
  void reset() noexcept;

  // At most `bytes` of chunk memory from upstream, all threads together
  // (the first buffer does not count). A request that would exceed it
  // throws std::bad_alloc, on the thread that made it. 0: none.
  void set_limit(std::size_t bytes) noexcept {
    limit_.store(bytes, std::memory_order_relaxed);
  }
  std::size_t limit() const noexcept {
    return limit_.load(std::memory_order_relaxed);
  }

  statistics stats() const noexcept;

  std::pmr::memory_resource& upstream() const noexcept { return *upstream_; }

  // The calling thread's lane (for the runtime and <tacit/alloc.hpp>).
  detail::lane* lane_here() noexcept {
    return home_thread_ == detail::thread_token() ? home_
                                                  : detail::find_lane(*this);
  }

 private:
  void* do_allocate(std::size_t bytes, std::size_t alignment) override;
  void do_deallocate(void* p, std::size_t bytes,
                     std::size_t alignment) override;
  bool do_is_equal(const memory_resource& other) const noexcept override {
    return this == &other;
  }

  friend struct detail::arena_access;
  friend class detail::alloc_scope;
  friend void detail::use_lane(detail::frame&, arena&) noexcept;

  detail::lane* home_;           // the lane of the thread that made it
  std::uintptr_t home_thread_;   // that thread
  std::atomic<detail::lane*> lanes_;  // every lane, newest first
  std::pmr::memory_resource* upstream_;
  unsigned char upstream_kind_;  // a detail::source: range, arena or resource
  bool reuse_;  // off in checked mode and under AddressSanitizer
  std::atomic<std::size_t> limit_{0};
  std::atomic<std::size_t> held_bytes_{0};  // chunk bytes held now
  std::atomic<std::size_t> peak_bytes_{0};
  std::atomic<std::size_t> pinned_bytes_{0};
  detail::chunk* first_buffer_ = nullptr;
  std::uint64_t id_;              // unique for the program's life
  // Threads other than its home inside it now: a scope of it open there, a
  // callable tacit::bind carried there running, a nested arena taking a
  // chunk from it (arena_access::enter / leave).
  std::atomic<int> running_{0};
};

inline void detail::use_lane(frame& f, arena& a) noexcept {
  if (__builtin_expect(a.home_thread_ == thread_token(), 1))
    f.fast = a.home_;
  else
    enter_lane(f, a);
}

inline detail::alloc_scope::alloc_scope(arena& r, const char* file,
                                        unsigned line) noexcept
    : f_{&r, nullptr, nullptr, file, line} {
  use_lane(f_, r);
  push(f_);
}
inline detail::alloc_scope::alloc_scope(arena* r, const char* file,
                                        unsigned line) noexcept
    : f_{nullptr, nullptr, nullptr, file, line} {
  open(f_, r);
}

// tacit::counting_resource — counts what passes through to its upstream.
//
//     tacit::counting_resource counter;      // upstream: current()
//     with_alloc(counter) { run(); }
//     std::printf("%zu allocations, peak %zu bytes\n",
//                 counter.stats().allocations, counter.stats().peak_bytes);
//
// Counters are atomic: the resource may be shared by threads if its upstream
// may.
class counting_resource final : public std::pmr::memory_resource {
 public:
  struct statistics {
    std::size_t allocations;    // successful allocate calls
    std::size_t deallocations;  // deallocate calls
    std::size_t bytes;          // bytes allocated in all
    std::size_t live_bytes;     // allocated and not yet deallocated
    std::size_t peak_bytes;     // most live bytes at once
    std::size_t failures;       // allocations the upstream refused
  };
  counting_resource() noexcept;
  explicit counting_resource(std::pmr::memory_resource& upstream) noexcept
      : upstream_(&upstream) {}
  counting_resource(const counting_resource&) = delete;
  counting_resource& operator=(const counting_resource&) = delete;

  statistics stats() const noexcept;
  std::pmr::memory_resource& upstream() const noexcept { return *upstream_; }

 private:
  void* do_allocate(std::size_t bytes, std::size_t alignment) override;
  void do_deallocate(void* p, std::size_t bytes,
                     std::size_t alignment) override;
  bool do_is_equal(const memory_resource& other) const noexcept override {
    return this == &other;
  }

  std::pmr::memory_resource* upstream_;
  std::atomic<std::size_t> allocations_{0}, deallocations_{0}, bytes_{0},
      live_bytes_{0}, peak_bytes_{0}, failures_{0};
};

// tacit::tracing_resource — logs what passes through to its upstream, one
// line per call, naming the with_alloc that asked for it:
//
//     tacit::tracing_resource trace;          // upstream: current(); stderr
//     with_alloc(trace) { parse(text); }
//
//     tacit: allocate 64 (align 16) -> 0x5610c2a4c2b0 for with_alloc at parse.cpp:12
//     tacit: deallocate 64 (align 16) 0x5610c2a4c2b0
//
// Calls made directly (not through a scope, e.g. a std::pmr container given
// the resource) say "direct". Lines are written with one fwrite each.
class tracing_resource final : public std::pmr::memory_resource {
 public:
  explicit tracing_resource(std::FILE* out = nullptr) noexcept;
  explicit tracing_resource(std::pmr::memory_resource& upstream,
                            std::FILE* out = nullptr) noexcept
      : upstream_(&upstream), out_(out) {}
  tracing_resource(const tracing_resource&) = delete;
  tracing_resource& operator=(const tracing_resource&) = delete;

  std::pmr::memory_resource& upstream() const noexcept { return *upstream_; }

 private:
  void* do_allocate(std::size_t bytes, std::size_t alignment) override;
  void do_deallocate(void* p, std::size_t bytes,
                     std::size_t alignment) override;
  bool do_is_equal(const memory_resource& other) const noexcept override {
    return this == &other;
  }

  std::pmr::memory_resource* upstream_;
  std::FILE* out_;  // nullptr: stderr
};

// ---------------------------------------------------------------------------
// Threads.
//
// A new thread starts with no context (the global heap). tacit::bind carries
// the caller's context into a callable that runs elsewhere — std::thread,
// std::jthread, std::async, a thread pool, a completion handler:
//
//     with_alloc(request) {
//       pool.submit(tacit::bind([&] { build_reply(); }));  // on `request`
//     }
//
// The callable runs with exactly the context that was current when bind was
// called (up to the 8 innermost scopes), whichever thread runs it, and any
// number of threads may run bound callables at once: a tacit::arena gives
// each thread a lane of its own. Another resource carried this way (a
// std::pmr pool, yours) is called by one thread at a time: Tacit serialises
// the calls, unless it is known to be thread-safe
// (std::pmr::synchronized_pool_resource, new_delete_resource(), Tacit's
// own), and checked mode reports the sharing (`cross-thread`).
namespace detail {
struct context_snapshot {
  static constexpr int max_depth = 8;
  struct entry {
    std::pmr::memory_resource* resource;
    arena* fast_arena;  // `resource` when it is a tacit::arena
    const char* file;
    unsigned line;
  };
  entry entries[max_depth];  // outermost first
  int depth = 0;
  // The user-declared contexts in effect (TACIT_CONTEXT), each one's
  // innermost value: up to max_users of them at once.
  static constexpr int max_users = 8;
  struct user_entry {
    context_desc* desc;
    void* value;
  };
  user_entry users[max_users];
  int user_count = 0;

  static context_snapshot capture() noexcept;

  // Installs the snapshot as the calling thread's context for its lifetime.
  class replay {
   public:
    explicit replay(const context_snapshot& s) noexcept;
    replay(const replay&) = delete;
    replay& operator=(const replay&) = delete;
    ~replay() {
      tls_context.top = saved_;
      if (depth_ != 0) end();
      if (user_count_ != 0) restore_users();
    }

   private:
    void end() noexcept;  // lanes entered left, captured frames ended
    void restore_users() noexcept;  // the thread's own values back
    frame frames_[max_depth];
    frame* saved_;
    int depth_ = 0;
    // The user contexts carried, as frames on this thread's list (pushed
    // in order, popped in reverse).
    user_frame user_frames_[max_users];
    int user_count_ = 0;
  };
};

template <class F>
class bound {
 public:
  bound(F f, const context_snapshot& s) : f_(std::move(f)), ctx_(s) {}
  // SFINAE-friendly, so std::jthread can ask whether it takes a stop_token.
  template <class... A>
  auto operator()(A&&... a) -> std::invoke_result_t<F&, A...> {
    context_snapshot::replay in_context(ctx_);
    return std::invoke(f_, std::forward<A>(a)...);
  }
  template <class... A>
  auto operator()(A&&... a) const -> std::invoke_result_t<const F&, A...> {
    context_snapshot::replay in_context(ctx_);
    return std::invoke(f_, std::forward<A>(a)...);
  }

 private:
  F f_;
  context_snapshot ctx_;
};
}  // namespace detail

template <class F>
detail::bound<std::decay_t<F>> bind(F&& f) {
  return detail::bound<std::decay_t<F>>(std::forward<F>(f),
                                        detail::context_snapshot::capture());
}

// ---------------------------------------------------------------------------
// Coroutines: the context follows the task, not the thread.
//
// With the plugin, a coroutine runs in the context it was created in — on
// whichever thread resumes it, also when an event loop with no scope resumes
// it directly — for as long as that context's scopes are open; resumed after
// one of them ended, it runs in its resumer's context (as it does when it
// was created outside every scope). Its own with_alloc / without_alloc
// blocks may contain co_await and co_yield: while it is suspended none of
// its context is on any thread's stack. The plugin makes every coroutine
// body it compiles start with
//
//     ::tacit::detail::coro_context __tacit_coro;   // captures the context
//
// (made when the coroutine is called, before its initial suspend), and
// rewrites each co_await / co_yield in it:
//
//     await_ready()     ->  await_ready() || __tacit_coro.suspending()
//     await_resume()    ->  (__tacit_coro.resumed(), awaiter).await_resume()
//     await_suspend(h)  ->  (suspend_guard(), await_suspend(h))  if it may throw
//
// User-declared contexts (with_context, tacit::context_scope, a
// [[tacit::without(name)]] body) follow it by the same rules: their values
// are the creator's at every resumption while the scopes that gave them are
// open, the resumer's after one has ended, and its own with_context blocks
// span its suspensions.
//
// Without the plugin nothing follows a coroutine: a co_await inside
// with_alloc leaves the scope on the thread while the coroutine is
// suspended, and when the scope then ends out of order or on another thread
// the program stops with a message (docs/reference.md, Coroutines).
namespace detail {

struct scope_cell;

class coro_context {
 public:
  // At the coroutine's creation, in its creator's context: captures it.
  coro_context() noexcept {
    frame* t = tls_context.top;
    saved_users_ = tls_context.users;
    if (__builtin_expect(saved_users_ != nullptr, 0)) capture_users();
    if (t == nullptr) {
      installed_ = true;  // nothing to capture: no context of its own
      return;
    }
    capture(t);
  }
  // At the end of its body (falling off it, co_return, an exception), or
  // when the coroutine is destroyed while suspended.
  ~coro_context() {
    if (depth_ != 0 || ucount_ != 0 ||
        (installed_ && (tls_context.top != saved_ ||
                        tls_context.users != saved_users_)))
      end();
  }
  coro_context(const coro_context&) = delete;
  coro_context& operator=(const coro_context&) = delete;

  // Right before await_suspend: the coroutine's context leaves this thread
  // (its resumer's comes back). False, always.
  bool suspending() noexcept {
    tls_context.suspending = this;
    if (__builtin_expect(depth_ == 0 && ucount_ == 0 &&
                             tls_context.top == saved_ &&
                             tls_context.users == saved_users_,
                         1)) {
      installed_ = false;  // no context of its own, no scope open in it
      return false;
    }
    return suspend_slow();
  }
  // Right before await_resume, on the resuming thread (also when it did not
  // suspend: then there is nothing to do).
  void resumed() noexcept {
    if (installed_) return;
    if (__builtin_expect(depth_ == 0 && own_top_ == nullptr && ucount_ == 0 &&
                             uown_top_ == nullptr,
                         1)) {
      saved_ = tls_context.top;  // it runs in its resumer's context
      saved_users_ = tls_context.users;
      installed_ = true;
      return;
    }
    resume_slow();
  }
  // The same for the initial suspend's await_resume, which also marks the
  // coroutine started (exceptions before it reach its caller).
  void initial_resumed() noexcept {
    started_ = true;
    resumed();
  }
  bool started() const noexcept { return started_; }

 private:
  void capture(frame* top) noexcept;
  bool suspend_slow() noexcept;
  void resume_slow() noexcept;
  void install() noexcept;
  void end() noexcept;
  // The same for the user-declared contexts (coroutines.cpp).
  void capture_users() noexcept;
  void install_users() noexcept;
  void suspend_users() noexcept;
  void end_users() noexcept;
  frame& copy(int i) noexcept { return i < inline_depth ? copies_[i] : more_[i - inline_depth]; }

  static constexpr int inline_depth = 2;
  frame copies_[inline_depth];  // the creation context, innermost first
  frame* more_ = nullptr;       // deeper frames of it (malloc'd)
  frame* saved_ = nullptr;      // the resumer's top, while installed
  frame* base_ = nullptr;       // what its own frames sit on, while installed
  frame* own_top_ = nullptr;    // its own open scopes, while suspended
  frame* own_bottom_ = nullptr;
  unsigned char depth_ = 0;     // frames captured
  bool installed_ = false;
  bool started_ = false;
  // User-declared contexts (the same rules): the creation context's
  // innermost frame of each context in effect, copied (malloc'd, ucount_
  // of them, chained innermost first), the resumer's list while installed,
  // its own open with_context scopes while suspended.
  bool uinstalled_ = false;     // the copies are on this thread's list
  unsigned char ucount_ = 0;
  user_frame* ucopies_ = nullptr;
  user_frame* saved_users_ = nullptr;
  user_frame* uown_top_ = nullptr;
  user_frame* uown_bottom_ = nullptr;
};

// Made in front of an await_suspend that may throw (the plugin does it): if
// await_suspend throws, the coroutine is resumed by the exception, and its
// context comes back before the exception reaches its body.
class suspend_guard {
 public:
  suspend_guard() noexcept;
  ~suspend_guard();
  suspend_guard(const suspend_guard&) = delete;
  suspend_guard& operator=(const suspend_guard&) = delete;

 private:
  coro_context* c_;
  int exceptions_;
};

using names_match_coro_context = ::tacit::detail::TACIT_NAME_CORO_CONTEXT;
using names_match_suspend_guard = ::tacit::detail::TACIT_NAME_SUSPEND_GUARD;

}  // namespace detail

}  // namespace tacit

// User-declared contexts (TACIT_CONTEXT, with_context, tacit::get).
#include <tacit/context.hpp>

#endif  // TACIT_ALLOC_HPP
