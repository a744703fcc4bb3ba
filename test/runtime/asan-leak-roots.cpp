// Under AddressSanitizer's leak checker: a global-heap object referenced only
// from arena memory is not reported as a leak while the arena lives; one that
// is really lost still is.
// REQUIRES: asan
// RUN: %tacitxx -std=c++20 -O1 -g -fsanitize=address %support %s -o %t
// RUN: env ASAN_OPTIONS=detect_leaks=1 %t 2>&1 | FileCheck %s
// RUN: %tacitxx -std=c++20 -O1 -g -fsanitize=address -DREALLY_LOST %support %s -o %t.lost
// RUN: env ASAN_OPTIONS=detect_leaks=1 not %t.lost 2>&1 | FileCheck %s --check-prefix=LOST
#include <tacit/alloc.hpp>

#include <cstdio>
#include <string>
#include <thread>

#include "ledger.hpp"

tacit::arena* keep_alive;
std::string** slot;  // the slot itself is on the arena

// Out of line, so no copy of the heap pointer lingers in main's frame.
__attribute__((noinline)) void build() {
  with_alloc(*keep_alive) {
    slot = new std::string*;                           // on the arena
    without_alloc *slot = new std::string(LONG_TEXT);  // on the heap
  }
}
__attribute__((noinline)) void lose() { *slot = nullptr; }

int main() {
  keep_alive = new tacit::arena;  // never destroyed: its chunks live to exit
  // On a thread that has ended: LeakSanitizer scans stacks conservatively,
  // and a stale copy of the pointer on this thread's stack would hide a leak.
  std::thread([] {
    build();
#ifdef REALLY_LOST
    lose();  // the heap string is now unreachable
#endif
  }).join();
  std::printf("exiting\n");
  // CHECK: exiting
  // CHECK-NOT: LeakSanitizer
  // LOST: ERROR: LeakSanitizer: detected memory leaks
}
