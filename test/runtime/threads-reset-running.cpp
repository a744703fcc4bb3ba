// reset() and the destructor keep their meaning once the threads working in
// an arena are done; while a callable tacit::bind carried to another thread
// still runs in it (or a scope of it is open there), they stop the program
// with a message rather than race that thread's allocations.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t
// RUN: %t joined | FileCheck %s --check-prefix=JOINED
// RUN: not --crash %t running 2>&1 | FileCheck %s --check-prefix=RUNNING
#include <tacit/alloc.hpp>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

#include "ledger.hpp"

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  tacit::arena a;
  std::atomic<bool> inside{false}, release{false};
  std::thread t;
  with_alloc(a) {
    t = std::thread(tacit::bind([&] {
      std::string s(1000, 'x');
      keep(s);
      inside = true;
      while (!release) std::this_thread::yield();
    }));
  }
  while (!inside) std::this_thread::yield();
  if (std::strcmp(argv[argc - 1], "joined") == 0) {
    release = true;
    t.join();
    a.reset();
    std::printf("reset after the join: %zu allocations\n", a.stats().allocations);
    // JOINED: reset after the join: 0 allocations
    return 0;
  }
  a.reset();
  // RUNNING: tacit: tacit::arena 0x{{[0-9a-f]+}} reset while 1 other thread is still inside it (a with_alloc scope of it open there, or a callable tacit::bind carried there still running): join them, or wait for them to leave, first
  std::printf("not reached\n");
  release = true;
  t.join();
}
