// runtime/src/stats.cpp — the program-wide allocation report: TACIT_STATS=1
// prints, at exit, how much the program allocated, before main and in all,
// scope by scope. See docs/reference.md (Allocation report).
//
// Off (the default), nothing here runs but a scan of the environment when the
// program starts: the hooks live in the runtime's out-of-line paths and test
// `stats_mode` there. On, three things route every operator new through
// those paths:
//
//   - the thread that starts the program gets a permanent bottom frame, a
//     global-heap frame named "(no scope)", so an allocation outside every
//     scope takes scoped_allocate -> heap_allocate instead of the inline
//     malloc; other threads get theirs under their first counted allocation
//     (stats_count), so from then on their unscoped allocations count too;
//   - arenas' lanes keep `end` at 0 (arenas_slow()), so every arena
//     allocation made through operator new goes through arena_refill;
//   - foreign resources are counted where resource_allocate records them.
//
// The bottom frame changes no meaning: it is marked (frame_flag::bottom in
// frame::flags), and the places that ask "is a scope open?" (failure
// injection, checked mode's `no context`, tacit::bind's snapshot, a
// coroutine's capture) skip it.
//
// "Before main" needs to know when main starts: the runtime defines
// __libc_start_main, which crt1's _start calls, and, when TACIT_STATS is set,
// hands glibc's own a main that marks the moment and calls the program's.
// (A constructor cannot tell: the runtime may be a shared library, whose
// constructors run before every static initialiser of the executable.)
//
// Counting never allocates through operator new: rows live in a fixed table
// of static storage, claimed lock-free, with relaxed atomic counters.
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <cxxabi.h>
#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <typeinfo>

#include "internal.hpp"

namespace tacit::detail {

constinit unsigned char stats_mode = 0;

namespace {

// The thread's bottom frame: the global heap, below every scope.
thread_local constinit frame t_bottom
    __attribute__((tls_model("initial-exec"))) = {
        nullptr, nullptr, nullptr, "(no scope)", 0, frame_flag::bottom,
        nullptr, nullptr};

// Whether the runtime handed glibc a main that marks its start (see
// __libc_start_main below), and whether that main has started.
constinit std::atomic<bool> g_start_seen{false};
constinit std::atomic<bool> g_main_started{false};

// One row per scope: where it was opened and the kind of its resource.
// The file name is copied: a tacit::scope may be named by a string that
// does not live to the end of the program (<tacit/gtest.hpp> names each
// test's by the test's file, a string GoogleTest frees before exit).
enum row_state : int {
  row_free,      // no scope's yet
  row_claiming,  // a thread is writing its key
  row_ready,     // keyed: counts may be added
};
struct row {
  std::atomic<int> state{row_free};
  std::size_t hash = 0;
  const char* file = nullptr;  // a copy, on malloc
  unsigned line = 0;
  const std::type_info* type = nullptr;  // null: the global heap
  std::atomic<std::size_t> allocations{0}, bytes{0};
  std::atomic<std::size_t> early_allocations{0}, early_bytes{0};  // before main
};

// Open addressing; a table that fills up counts the rest in `g_overflow`.
// Constant-initialised: allocations are counted before this file's dynamic
// initialisers would run (the program's own come first in a static link).
constexpr std::size_t table_size = 4096;
constinit row g_rows[table_size];
constinit row g_overflow;
constexpr const char* overflow_name =
    "(other scopes: the report's table of 4096 was full)";

const std::type_info* kind_of(const frame* f) noexcept {
  if (f->fast) return &typeid(arena);
  if (!f->resource) return nullptr;
  return &typeid(*f->resource);
}

const char* copy_of(const char* s) noexcept {
  std::size_t n = std::strlen(s) + 1;
  char* c = static_cast<char*>(std::malloc(n));
  if (!c) return "(a scope whose name the report had no memory for)";
  std::memcpy(c, s, n);
  return c;
}

row* find_row(const frame* f) noexcept {
  const std::type_info* type = kind_of(f);
  const char* file = f->file ? f->file : "(unnamed scope)";
  // FNV-1a over the name's text and the line. (The kind is compared, not
  // hashed: a type's type_info may have more than one address, one per
  // shared object.)
  std::size_t h = 14695981039346656037ull;
  for (const char* c = file; *c; ++c)
    h = (h ^ static_cast<unsigned char>(*c)) * 1099511628211ull;
  h = (h ^ f->line) * 1099511628211ull;
  for (std::size_t probe = 0; probe < table_size; ++probe) {
    row& r = g_rows[(h + probe) & (table_size - 1)];
    int s = r.state.load(std::memory_order_acquire);
    if (s == row_free) {
      int expected = row_free;
      if (r.state.compare_exchange_strong(expected, row_claiming,
                                          std::memory_order_acquire)) {
        r.hash = h;
        r.file = copy_of(file);
        r.line = f->line;
        r.type = type;
        r.state.store(row_ready, std::memory_order_release);
        return &r;
      }
      s = expected;
    }
    // Another thread is claiming it: wait for its key (a few stores).
    while (s == row_claiming) s = r.state.load(std::memory_order_acquire);
    if (r.hash == h && r.line == f->line &&
        (r.type == type || (r.type && type && *r.type == *type)) &&
        std::strcmp(r.file, file) == 0)
      return &r;
  }
  return &g_overflow;
}

bool wanted(const char* v) noexcept {
  return v && *v && std::strcmp(v, "0") != 0;
}

// ---------------------------------------------------------------------------
// The report.

void put(const char* fmt, ...) noexcept __attribute__((format(printf, 1, 2)));
void put(const char* fmt, ...) noexcept {
  va_list args;
  va_start(args, fmt);
  write_line("tacit stats: ", fmt, args);
  va_end(args);
}

// "tacit::arena", "std::pmr::monotonic_buffer_resource", "global heap".
void kind_name(const std::type_info* t, char* out, std::size_t size) noexcept {
  if (!t) {
    std::snprintf(out, size, "global heap");
    return;
  }
  type_name(*t, out, size);
}

struct line_total {
  const char* file;
  unsigned line;
  const std::type_info* type;
  std::size_t allocations, bytes, early_allocations, early_bytes;
};
line_total g_lines[table_size + 1];  // the report's rows (static: no heap)

void report() noexcept {
  // What the program printed comes first, as it would on a terminal.
  std::fflush(stdout);
  std::size_t n = 0;
  auto take = [&](row& r) {
    std::size_t a = r.allocations.load(std::memory_order_relaxed);
    if (a == 0) return;
    g_lines[n++] = {r.file,
                    r.line,
                    r.type,
                    a,
                    r.bytes.load(std::memory_order_relaxed),
                    r.early_allocations.load(std::memory_order_relaxed),
                    r.early_bytes.load(std::memory_order_relaxed)};
  };
  for (row& r : g_rows)
    if (r.state.load(std::memory_order_acquire) == row_ready) take(r);
  if (g_overflow.allocations.load(std::memory_order_relaxed)) {
    g_overflow.file = overflow_name;
    take(g_overflow);
  }
  std::sort(g_lines, g_lines + n, [](const line_total& a, const line_total& b) {
    if (a.bytes != b.bytes) return a.bytes > b.bytes;
    if (a.allocations != b.allocations) return a.allocations > b.allocations;
    int c = std::strcmp(a.file, b.file);
    return c != 0 ? c < 0 : a.line < b.line;
  });
  line_total all{};
  for (std::size_t i = 0; i < n; ++i) {
    all.allocations += g_lines[i].allocations;
    all.bytes += g_lines[i].bytes;
    all.early_allocations += g_lines[i].early_allocations;
    all.early_bytes += g_lines[i].early_bytes;
  }
  put("in all: %zu allocations, %zu bytes", all.allocations, all.bytes);
  if (g_start_seen.load(std::memory_order_relaxed)) {
    put("before main: %zu allocations, %zu bytes", all.early_allocations,
        all.early_bytes);
    put("from main on: %zu allocations, %zu bytes",
        all.allocations - all.early_allocations,
        all.bytes - all.early_bytes);
  } else {
    put("before main: not known (the runtime did not see main start: it was "
        "loaded by dlopen, or the program does not start through glibc's "
        "__libc_start_main)");
  }
  put("by scope, most bytes first; the last two columns: before main");
  put("%12s %14s %12s %14s  %s", "allocations", "bytes", "allocations",
      "bytes", "scope (resource)");
  for (std::size_t i = 0; i < n; ++i) {
    const line_total& t = g_lines[i];
    char kind[256];
    kind_name(t.type, kind, sizeof kind);
    char where[1024];
    if (t.line)
      std::snprintf(where, sizeof where, "%s:%u", t.file, t.line);
    else
      std::snprintf(where, sizeof where, "%s", t.file);
    if (t.file == overflow_name)
      put("%12zu %14zu %12zu %14zu  %s", t.allocations, t.bytes,
          t.early_allocations, t.early_bytes, where);
    else
      put("%12zu %14zu %12zu %14zu  %s (%s)", t.allocations, t.bytes,
          t.early_allocations, t.early_bytes, where, kind);
  }
}

// Read once, before the program's own static initialisers (priority 101
// runs ahead of every default-priority constructor of the executable; in a
// shared runtime, ahead of the executable's altogether).
__attribute__((constructor(101))) void read_environment() {
  const char* v = std::getenv("TACIT_STATS");
  if (!wanted(v)) return;
  if (std::strcmp(v, "1") != 0)
    std::fprintf(stderr,
                 "tacit: TACIT_STATS=%s: expected 1 (an allocation report on "
                 "stderr at exit); reporting\n",
                 v);
  stats_mode = 1;
  // The thread starting the program: counted from here on, in no scope too.
  if (!tls_context.top) tls_context.top = &t_bottom;
  // Registered before any static object of the program is constructed, so
  // it runs after their destructors: what they free and allocate is in.
  std::atexit(report);
}

using main_fn = int (*)(int, char**, char**);
constinit main_fn g_main = nullptr;

// (main may be declared with fewer parameters; glibc calls it this way too,
// so UBSan's function-type check is off here.)
__attribute__((no_sanitize("function")))
int counted_main(int argc, char** argv, char** envp) {
  g_main_started.store(true, std::memory_order_relaxed);
  return g_main(argc, argv, envp);
}

}  // namespace

frame* stats_bottom() noexcept { return &t_bottom; }

void stats_count(frame* f, std::size_t n) noexcept {
  // The chain under `f` ends in this thread's bottom frame from now on (a
  // thread other than the first gets it here, under its first scope).
  frame* g = f;
  while (g->prev) g = g->prev;
  if (!is_bottom(g)) g->prev = &t_bottom;

  row* r = find_row(f);
  r->allocations.fetch_add(1, std::memory_order_relaxed);
  r->bytes.fetch_add(n, std::memory_order_relaxed);
  if (!g_main_started.load(std::memory_order_relaxed)) {
    r->early_allocations.fetch_add(1, std::memory_order_relaxed);
    r->early_bytes.fetch_add(n, std::memory_order_relaxed);
  }
}

}  // namespace tacit::detail

// ---------------------------------------------------------------------------
// The program's start. crt1's _start calls __libc_start_main(main, ...); the
// executable's definition (the static runtime) or the first shared library's
// (the shared one) is the one it reaches. glibc's own is called with the
// program's main, or, with TACIT_STATS set, with counted_main. The
// environment is read from the start-up vector (argv's end), as getenv
// would: constructors have not run yet.
extern "C" int __libc_start_main(int (*main)(int, char**, char**), int argc,
                                 char** argv, void (*init)(), void (*fini)(),
                                 void (*rtld_fini)(), void* stack_end) {
  using start_fn = int (*)(int (*)(int, char**, char**), int, char**,
                           void (*)(), void (*)(), void (*)(), void*);
  auto real =
      reinterpret_cast<start_fn>(dlsym(RTLD_NEXT, "__libc_start_main"));
  if (!real)
    tacit::detail::fatal(
        "cannot find the C library's __libc_start_main (is the program "
        "linked statically?)");
  using namespace tacit::detail;
  for (char** e = argv + argc + 1; *e; ++e) {
    if (std::strncmp(*e, "TACIT_STATS=", 12) != 0) continue;
    if (wanted(*e + 12)) {
      g_main = main;
      main = counted_main;
      g_start_seen.store(true, std::memory_order_relaxed);
    }
    break;
  }
  return real(main, argc, argv, init, fini, rtld_fini, stack_end);
}
