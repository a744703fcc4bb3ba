// A server loop resets its arena between requests from inside its scope
// (docs/internals.md, "How arenas grow": "an arena reset between requests of
// one shape takes nothing from upstream after the first"). That works on
// the thread that made the arena; it must work the same on another thread
// — an arena made at start-up on the main thread, the loop on a server
// thread — when no other thread is inside the arena.
//
// Found failing: reset() counted the calling thread's own entry in
// running_ and refused ("reset while 1 other thread is still inside it").
// Now reset() leaves the caller's own entry out (arena.cpp, entered_here).
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdio>
#include <string>
#include <thread>
#include <unistd.h>

#include "ledger.hpp"

tacit::arena requests;  // made at start-up, on the main thread

int serve(int rounds) {
  int ok = 0;
  with_alloc(requests) {
    for (int i = 0; i < rounds; ++i) {
      std::string reply(1000 + i, 'x');
      keep(reply);
      ok += tacit::owner_of(reply.data()) == &requests;
      reply = std::string();
      requests.reset();  // between requests
    }
  }
  return ok;
}

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  alarm(20);
  std::printf("main thread: %d requests served\n", serve(3));
  // CHECK: main thread: 3 requests served
  int served = 0;
  std::thread server([&] { served = serve(3); });
  server.join();
  std::printf("server thread: %d requests served\n", served);
  // CHECK: server thread: 3 requests served
  auto s = requests.stats();
  std::printf("after the last reset: %zu allocations\n", s.allocations);
  // CHECK: after the last reset: 0 allocations
}
