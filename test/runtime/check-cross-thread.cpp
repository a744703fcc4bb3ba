// Checked mode, `cross-thread`: a tacit::arena allocated into from a second
// thread while the first still has it open in a scope (not handed over with
// tacit::bind) is reported, naming both scopes. Taking turns (one scope ends,
// then the other thread's begins) and a hand-over by tacit::bind are fine.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t
// RUN: env TACIT_CHECK=1 %t 2>&1 | FileCheck %s
// RUN: env TACIT_CHECK=abort not --crash %t 2>&1 | FileCheck %s --check-prefix=ABORT
#include <tacit/alloc.hpp>

#include <cstdio>
#include <thread>

#include "ledger.hpp"

tacit::arena shared;

void one_block() {
  int* p = new int(1);
  keep(p);
  delete p;
}

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  // Taking turns: silent.
  with_alloc(shared) { one_block(); }
  std::thread([] { with_alloc(shared) { one_block(); } }).join();
  with_alloc(shared) { one_block(); }
  std::printf("turns taken\n");
  // CHECK: turns taken
  // CHECK-NOT: tacit check
  // ABORT: turns taken

  // Handed over with tacit::bind while the scope is open: silent.
  with_alloc(shared) {
    one_block();
    std::thread(tacit::bind([] { one_block(); })).join();
    one_block();
  }
  std::printf("handed over\n");
  // CHECK-NEXT: handed over

  // Two threads at once.
  with_alloc(shared) {
    one_block();
    std::thread([] {
      with_alloc(shared) { one_block(); }
    }).join();
  }
  // CHECK-NEXT: tacit check: cross-thread: tacit::arena 0x{{[0-9a-f]+}} allocated into on thread {{[0-9]+}} (the scope at {{.*}}check-cross-thread.cpp:47) while thread {{[0-9]+}} has it open in the scope at {{.*}}check-cross-thread.cpp:44
  // CHECK-NEXT: an arena serves one allocating thread at a time
  // ABORT: tacit check: cross-thread:
  // ABORT: tacit check: stopping (TACIT_CHECK=abort)
  // ABORT-NOT: went on
  std::printf("went on\n");
  // CHECK-NEXT: went on
}
