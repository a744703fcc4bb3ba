// Completion handlers carry the context with tacit::bind (docs/reference.md,
// Threads): a request posts work to a Boost.Asio io_context run by two other
// threads, and waits on a timer, from inside with_alloc(request). The bound
// handlers allocate on the request's arena, whichever io thread runs them;
// a handler they post in turn, bound again there, too. The same handlers
// unbound run in the io thread's context: the global heap.
// REQUIRES: boost
// RUN: %tacitxx -std=c++20 -O2 %s -o %t && %t | FileCheck %s
// Checked mode: the handlers posted in the scope rightly outlive it (they
// run after it ends: "outlives scope"); nothing else may be reported.
// RUN: env TACIT_CHECK=1 %t 2>&1 | FileCheck %s --check-prefixes=CHECK,QUIET
// QUIET-NOT: tacit check: {{cross-thread|double free|unknown pointer|size mismatch|misnested|no context}}
#include <utility>  // (Boost 1.74's headers use std::exchange)

#include <boost/asio.hpp>
#include <tacit/alloc.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;

int main() {
  asio::io_context io;
  auto work = asio::make_work_guard(io);
  std::thread runners[2];
  for (auto& t : runners) t = std::thread([&] { io.run(); });

  tacit::arena request;
  std::atomic<int> on_request{0}, on_heap{0}, elsewhere{0}, done{0};
  auto tally = [&](const void* p) {
    const std::pmr::memory_resource* owner = tacit::owner_of(p);
    if (owner == &request)
      ++on_request;
    else if (owner == &tacit::global())
      ++on_heap;
    else
      ++elsewhere;
  };
  asio::steady_timer timer(io);
  constexpr int posts = 50;

  with_alloc(request) {
    for (int i = 0; i < posts; ++i) {
      // Bound: on the request's arena, on an io thread.
      asio::post(io, tacit::bind([&, i] {
                   std::string s(100 + i, 'x');
                   tally(s.data());
                   // Posted from a bound handler, bound again: still the
                   // request's context.
                   asio::post(io, tacit::bind([&] {
                                std::vector<int> v(1000);
                                tally(v.data());
                                ++done;
                              }));
                   ++done;
                 }));
      // Unbound: the io thread's own context.
      asio::post(io, [&] {
        std::vector<char> v(500);
        if (tacit::owner_of(v.data()) == &tacit::global()) ++on_heap;
        ++done;
      });
    }
    timer.expires_after(std::chrono::milliseconds(5));
    timer.async_wait(tacit::bind([&](const boost::system::error_code& ec) {
      std::string s(ec ? "cancelled" : std::string(200, 't'));
      tally(s.data());
      ++done;
    }));
  }
  while (done.load() < 3 * posts + 1) std::this_thread::yield();
  work.reset();
  for (auto& t : runners) t.join();

  std::printf("bound handlers on the request's arena: %d of %d\n",
              on_request.load(), 2 * posts + 1);
  std::printf("unbound handlers on the global heap: %d of %d\n",
              on_heap.load(), posts);
  std::printf("elsewhere: %d\n", elsewhere.load());
  // CHECK: bound handlers on the request's arena: 101 of 101
  // CHECK-NEXT: unbound handlers on the global heap: 50 of 50
  // CHECK-NEXT: elsewhere: 0
}
