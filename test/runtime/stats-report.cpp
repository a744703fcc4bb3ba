// The allocation report, TACIT_STATS=1: at exit, on stderr, every operator new
// the runtime saw, before main and from main on, one row per scope (file and
// line, the resource's kind). Every row here is exact: the program allocates
// with direct ::operator new calls (never elided) of sizes it chooses.
// Covered: an arena scope, a without_alloc block, a foreign resource, a
// function-local static's initialisation, a tacit::scope named by a string
// freed before exit, a global's allocation before main, and "(no scope)":
// the main thread outside every scope, a resource's own upstream calls made
// in the context around it, a thread outside its scopes once it has opened
// one (not before). Together with checked mode; and the bottom frame the
// report installs is no scope: failure injection does not count unscoped
// allocations, checked mode's `no context` still fires, tacit::bind does not
// carry it. Off, nothing is printed.
// (The rows are sorted by bytes, the order of the code is not theirs: ROW
// checks each row, in any order, next to the code it counts; SUM the lines
// in order, and that there are exactly nine rows.)
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t
// RUN: env TACIT_STATS=1 -u TACIT_CHECK %t > %t.plain 2>&1
// RUN: FileCheck %s --check-prefix=SUM --implicit-check-not="tacit check" < %t.plain
// RUN: FileCheck %s --check-prefix=ROW < %t.plain
// RUN: env TACIT_STATS=1 TACIT_CHECK=1 %t > %t.checked 2>&1
// RUN: FileCheck %s --check-prefix=SUM --implicit-check-not="tacit check" < %t.checked
// RUN: FileCheck %s --check-prefix=ROW < %t.checked
// RUN: env TACIT_STATS=1 TACIT_CHECK=1 %t no-context 2>&1 | FileCheck %s --check-prefix=NOCTX
// The shared runtime (libtacit.so): the same report. (g++:
// test/packaging/examples-gxx.test runs examples/bytes_before_main.)
// RUN: %clangxx -std=c++20 -O2 %include %support %s %tacit_shared -Wl,-rpath,%{tacit_shared_dir} -o %t.shared
// RUN: env TACIT_STATS=1 -u TACIT_CHECK %t.shared > %t.shared.out 2>&1
// RUN: FileCheck %s --check-prefix=SUM --implicit-check-not="tacit check" < %t.shared.out
// RUN: FileCheck %s --check-prefix=ROW < %t.shared.out
// RUN: env -u TACIT_STATS %t 2>&1 | FileCheck %s --check-prefix=OFF --implicit-check-not="tacit stats"
// RUN: env TACIT_STATS=0 %t 2>&1 | FileCheck %s --check-prefix=OFF --implicit-check-not="tacit stats"
#include <tacit/alloc.hpp>
#include <tacit/testing.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory_resource>
#include <new>
#include <thread>

#include "ledger.hpp"

// One allocation, made and freed right away.
void once(std::size_t n) {
  void* p = ::operator new(n);
  keep(p);
  ::operator delete(p, n);
}

// Before main, outside every scope: 1 allocation, 40 bytes.
struct early {
  void* p = ::operator new(40);
} g_early;

// A resource whose own memory comes from operator new: 1 call of `n + 16`
// bytes per allocation, counted.
struct via_new final : std::pmr::memory_resource {
  std::size_t calls = 0, bytes = 0;
  void* do_allocate(std::size_t n, std::size_t) override {
    ++calls;
    bytes += n + 16;
    return ::operator new(n + 16, std::align_val_t(4096));
  }
  void do_deallocate(void* p, std::size_t, std::size_t) override {
    ::operator delete(p, std::align_val_t(4096));
  }
  bool do_is_equal(const memory_resource& o) const noexcept override {
    return this == &o;
  }
};

void* cached() {
  static void* c = ::operator new(33);  // initialised on the global heap
  return c;
}

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  if (argc > 1 && std::strcmp(argv[1], "no-context") == 0) {
    // Only the bottom frame is there: no scope, as without TACIT_STATS.
    { tacit::detail::uses_check c("parse", "parser.cpp", 12); }
    // NOCTX: tacit check: no context: parse (parser.cpp:12) entered with no with_alloc scope open
    // NOCTX-NEXT: it was reached by a path the compiler could not check
    // A callable bound outside every scope carries no scope to its thread.
    auto bound = tacit::bind(
        [] { tacit::detail::uses_check c("parse", "parser.cpp", 13); });
    std::thread(bound).join();
    // NOCTX: tacit check: no context: parse (parser.cpp:13) entered with no with_alloc scope open
    // NOCTX-NEXT: it was reached by a path the compiler could not check
    without_alloc { tacit::detail::uses_check c("parse", "parser.cpp", 14); }
    // NOCTX: tacit check: no context: parse (parser.cpp:14) entered with no with_alloc scope open
    // NOCTX-NEXT: the innermost scope is the global heap
    // NOCTX: tacit stats: in all:
    return 0;
  }

  // Failure injection counts allocations made in a scope: an unscoped one
  // (the report's bottom frame) is served, as without TACIT_STATS.
  tacit::testing::fail_nth_allocation(1);
  once(5);
  std::printf("unscoped, a failure armed: served, %zu counted\n",
              tacit::testing::allocations_counted());
  tacit::testing::fail_nth_allocation(0);
  // SUM: unscoped, a failure armed: served, 0 counted
  // OFF: unscoped, a failure armed: served, 0 counted

  tacit::arena a;
  // ROW-DAG: tacit stats: 4 364 0 0 {{.*}}stats-report.cpp:[[@LINE+1]] (tacit::arena)
  with_alloc(a) {
    for (int i = 0; i < 3; ++i) once(100);
    void* p = ::operator new(64, std::align_val_t(64));
    keep(p);
    ::operator delete(p, std::align_val_t(64));
    keep(cached());
  }
  // The static's initialisation, reached in the arena scope.
  // ROW-DAG: tacit stats: 1 33 0 0 (static initialisation) (global heap)

  // ROW-DAG: tacit stats: 2 2000 0 0 {{.*}}stats-report.cpp:[[@LINE+1]] (global heap)
  without_alloc {
    once(1000);
    void* p = ::operator new(1000, std::align_val_t(256));
    keep(p);
    ::operator delete(p, std::align_val_t(256));
  }

  char buffer[4096];
  std::pmr::monotonic_buffer_resource mono(buffer, sizeof buffer,
                                           std::pmr::null_memory_resource());
  // ROW-DAG: tacit stats: 5 120 0 0 {{.*}}stats-report.cpp:[[@LINE+1]] (std::pmr::monotonic_buffer_resource)
  with_alloc(mono) for (int i = 0; i < 5; ++i) once(24);

  // An arena whose chunks come from `up`: the chunk is asked for in the
  // context around the arena (no scope), where `up` calls operator new.
  via_new up;
  {
    tacit::arena on_up(up);
    // ROW-DAG: tacit stats: 1 50 0 0 {{.*}}stats-report.cpp:[[@LINE+1]] (tacit::arena)
    with_alloc(on_up) once(50);
  }
  std::printf("up: %zu call(s), %zu bytes\n", up.calls, up.bytes);
  // SUM: up: {{[1-9][0-9]*}} call(s)
  // ROW-DAG: up: [[#UP_CALLS:]] call(s), [[#UP_BYTES:]] bytes

  // A scope named at run time, by a string gone before the report.
  char* name = strdup("a-name-made-at-run-time.cpp");
  {
    tacit::arena named;
    tacit::scope s(named, name, 42);
    once(19);
  }
  std::memset(name, 'X', std::strlen(name));
  std::free(name);
  // ROW-DAG: tacit stats: 1 19 0 0 a-name-made-at-run-time.cpp:42 (tacit::arena)

  // A thread: counted in its scopes; outside them once it has opened one
  // (17 bytes), not before (11 bytes).
  tacit::arena launcher;
  // ROW-DAG: tacit stats: {{[1-9][0-9]*}} {{[1-9][0-9]*}} 0 0 {{.*}}stats-report.cpp:[[@LINE+1]] (tacit::arena)
  with_alloc(launcher) {
    std::thread([] {
      once(11);
      tacit::arena mine;
      // ROW-DAG: tacit stats: 1 13 0 0 {{.*}}stats-report.cpp:[[@LINE+1]] (tacit::arena)
      with_alloc(mine) once(13);
      once(17);
    }).join();
  }

  once(7);
  // (no scope): g_early (40, before main), the failure-injection probe (5),
  // `up`'s calls, the thread's 17, and 7 here.
  // ROW-DAG: tacit stats: [[#UP_CALLS+4]] [[#UP_BYTES+69]] 1 40 (no scope) (global heap)
  std::printf("done\n");
  // SUM: done
  // SUM-NEXT: tacit stats: in all: [[#ALL:]] allocations, [[#]] bytes
  // SUM-NEXT: tacit stats: before main: 1 allocations, 40 bytes
  // SUM-NEXT: tacit stats: from main on: [[#ALL-1]] allocations, [[#]] bytes
  // SUM-NEXT: tacit stats: by scope, most bytes first; the last two columns: before main
  // SUM-NEXT: tacit stats: allocations bytes allocations bytes scope (resource)
  // SUM-COUNT-9: tacit stats: {{[0-9]+ [0-9]+ [0-9]+ [0-9]+ }}
  // SUM-NOT: tacit stats
  // OFF: done
  ::operator delete(g_early.p, 40);
}
