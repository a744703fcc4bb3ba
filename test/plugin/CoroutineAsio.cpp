// FILE: test/plugin/CoroutineAsio.cpp
// DESCRIPTION: Boost.Asio C++20 coroutines follow their allocator context:
//   co_spawn + use_awaitable with a steady_timer and with post, a nested
//   awaitable (Asio's awaitable_thread pump resumes the child's frame
//   directly from io_context::run, with no caller on the stack), Asio's own
//   coroutines in its headers lowered too (co_spawn_entry_point, the
//   async_result initiations). Part 1: one session, every step's context
//   checked exactly. Part 2: three sessions interleaved on one io_context
//   run in a scope of its own (IO): no step sees another session's scopes,
//   and session 3, created in a scope that ended before io.run(), runs in
//   its resumer's context. Boost 1.74 detects coroutines for GCC only
//   (BOOST_ASIO_HAS_CO_AWAIT), and its awaitable.hpp uses std::exchange
//   without <utility>.
// REQUIRES: plugin, boost
// RUN: %tacitxx -std=c++20 -fplugin-arg-tacit-werror -O0 -DBOOST_ASIO_HAS_CO_AWAIT=1 %s -o %t.O0 -fplugin-arg-tacit-dump-coroutines 2> %t.remarks && %t.O0 | FileCheck %s
// RUN: FileCheck %s --check-prefix=REMARK < %t.remarks
// RUN: %tacitxx -std=c++20 -fplugin-arg-tacit-werror -O2 -DBOOST_ASIO_HAS_CO_AWAIT=1 %s -o %t.O2 && %t.O2 | FileCheck %s
// RUN: %if tacit-asan-cxx %{ %tacitxx_asan -std=c++20 -fplugin-arg-tacit-werror -O1 -DBOOST_ASIO_HAS_CO_AWAIT=1 %s -o %t.asan && %t.asan | FileCheck %s %}
#include <utility>
#include "Inputs/coroutines.hpp"

#include <boost/asio.hpp>

namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;
using namespace std::chrono_literals;

named_arena &S1 = make_arena("S1"), &S2 = make_arena("S2"),
            &S3 = make_arena("S3"), &IO = make_arena("IO"),
            &X1 = make_arena("X1"), &X2 = make_arena("X2"),
            &X3 = make_arena("X3"), &K1 = make_arena("K1"),
            &K2 = make_arena("K2"), &K3 = make_arena("K3");
named_arena *inner[] = {nullptr, &X1, &X2, &X3};
named_arena *childs[] = {nullptr, &K1, &K2, &K3};

// Part 2's check: the arenas a step of session `id` may see. Session 3's
// creation scope ended: it runs under its resumer's (IO>S2>S1).
int violations = 0, steps[4];
bool verbose = true;
void sstep(int id, const char *what) {
  ++steps[id];
  static const char *own[4][6] = {{},
                                  {"S1", "X1", "K1"},
                                  {"S1", "S2", "X2", "K2"},
                                  {"IO", "S2", "S1", "X3", "K3"}};
  char tag[64];
  std::snprintf(tag, sizeof tag, "  s%d: %s", id, what);
  if (verbose)
    step(tag);
  else if (std::strcmp(lands(), name_of(&tacit::current()))) {
    std::printf("  !! %s: new does not land in the innermost scope\n", tag);
    ++violations;
  }
  int depth = 0;
  for (auto *f = tacit::detail::tls_context.top; f && ++depth < 32;
       f = f->prev) {
    if (!f->resource) // the global heap (TACIT_STATS's bottom frame)
      continue;
    const char *n = name_of(f->resource);
    bool ok = false;
    for (const char *o : own[id])
      ok |= o && !std::strcmp(o, n);
    if (!ok) {
      std::printf("  !! %s sees %s\n", tag, n);
      ++violations;
    }
  }
}

awaitable<int> child(int id) {
  // REMARK: CoroutineAsio.cpp:[[@LINE-1]]:{{[0-9]+}}: remark: coroutine lowered: 4 suspension points hooked, 2 with a suspend guard
  auto ex = co_await asio::this_coro::executor; // ready: no suspension
  sstep(id, "child: start");
  co_await asio::post(ex, use_awaitable);
  sstep(id, "child: after post");
  with_alloc(*childs[id]) {
    asio::steady_timer t(ex, 2ms);
    co_await t.async_wait(use_awaitable);
    sstep(id, "child: in K after the timer");
  }
  co_return id * 10;
}

awaitable<void> session(int id, int rounds) {
  // REMARK: CoroutineAsio.cpp:[[@LINE-1]]:{{[0-9]+}}: remark: coroutine lowered
  auto ex = co_await asio::this_coro::executor;
  sstep(id, "start");
  for (int i = 0; i < rounds; ++i) {
    with_alloc(*inner[id]) {
      asio::steady_timer t(ex, std::chrono::milliseconds(1 + id));
      co_await t.async_wait(use_awaitable);
      sstep(id, "in X after the timer");
      co_await asio::post(ex, use_awaitable);
      sstep(id, "in X after post");
      int v = co_await child(id); // created in X
      sstep(id, v == id * 10 ? "in X after the child" : "BAD child value");
    }
  }
  sstep(id, "end");
}

int main() {
  // Part 1: one session, created in S1, run by io.run() in IO.
  {
    asio::io_context io;
    with_alloc(S1) {
      asio::co_spawn(io, session(1, 1), asio::detached);
      with_alloc(IO) {
        step("main: io.run()");
        io.run();
        step("main: after io.run()");
      }
    }
  }
  // CHECK: main: io.run() ctx=IO>S1 new=IO
  // CHECK-NEXT: s1: start ctx=S1 new=S1
  // CHECK-NEXT: s1: in X after the timer ctx=X1>S1 new=X1
  // CHECK-NEXT: s1: in X after post ctx=X1>S1 new=X1
  // CHECK-NEXT: s1: child: start ctx=X1>S1 new=X1
  // CHECK-NEXT: s1: child: after post ctx=X1>S1 new=X1
  // CHECK-NEXT: s1: child: in K after the timer ctx=K1>X1>S1 new=K1
  // CHECK-NEXT: s1: in X after the child ctx=X1>S1 new=X1
  // CHECK-NEXT: s1: end ctx=S1 new=S1
  // CHECK-NEXT: main: after io.run() ctx=IO>S1 new=IO

  // Part 2: three sessions interleaved.
  verbose = false;
  {
    asio::io_context io;
    with_alloc(S3) {
      asio::co_spawn(io, session(3, 3), asio::detached);
    }
    with_alloc(S1) {
      asio::co_spawn(io, session(1, 3), asio::detached);
      with_alloc(S2) {
        asio::co_spawn(io, session(2, 3), asio::detached);
        with_alloc(IO) { io.run(); }
      }
    }
  }
  std::printf("%s: %d context violations; steps %d %d %d\n",
              violations ? "FAIL" : "OK", violations, steps[1], steps[2],
              steps[3]);
  // Part 1's 8 steps and 20 (1 + 3 rounds of 6 + 1) for each session.
  // CHECK: OK: 0 context violations; steps 28 20 20
  step("main: end");
  // CHECK-NEXT: main: end ctx=- new=heap
}
// The user's 2 coroutines, and Asio's own (co_spawn_entry_point, the
// initiations of async_result<use_awaitable_t>, ...). Awaiting an
// awaitable gets a guard: Asio 1.74's awaitable::await_suspend is not
// noexcept.
// REMARK: remark: 5 coroutines lowered (3 in system headers), 16 suspension points hooked, 7 suspend guards, 0 refused
