// Checked mode, `cross-thread`: a resource that is not known to be
// thread-safe (a std::pmr::unsynchronized_pool_resource here), allocated
// into on one thread while another thread has it open in a scope, is
// reported, naming both scopes — once per scope. Carried by tacit::bind, its
// calls are made one at a time (the report says so); two scopes of their
// own on two threads are not. A tacit::arena, which any number of threads
// may allocate in at once, and a std::pmr::synchronized_pool_resource are
// never reported; taking turns is fine.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t
// RUN: env TACIT_CHECK=1 %t 2>&1 | FileCheck %s
// RUN: env TACIT_CHECK=abort not --crash %t 2>&1 | FileCheck %s --check-prefix=ABORT
#include <tacit/alloc.hpp>

#include <cstdio>
#include <memory_resource>
#include <semaphore>
#include <thread>

#include "ledger.hpp"

tacit::arena shared;
std::pmr::unsynchronized_pool_resource pool;
std::pmr::synchronized_pool_resource synced;

void one_block() {
  int* p = new int(1);
  keep(p);
  delete p;
}

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  // An arena, two threads in it at once: silent.
  with_alloc(shared) {
    one_block();
    std::thread([] { with_alloc(shared) { one_block(); } }).join();
    std::thread(tacit::bind([] { one_block(); })).join();
    one_block();
  }
  // A synchronized pool, the same: silent.
  with_alloc(synced) {
    one_block();
    std::thread([] { with_alloc(synced) { one_block(); } }).join();
    std::thread(tacit::bind([] { one_block(); })).join();
  }
  // The pool, taking turns: silent.
  with_alloc(pool) { one_block(); }
  std::thread([] { with_alloc(pool) { one_block(); } }).join();
  with_alloc(pool) { one_block(); }
  std::printf("turns taken\n");
  // CHECK: turns taken
  // CHECK-NOT: tacit check
  // ABORT: turns taken

  // The pool, carried by tacit::bind while its scope is open: reported once
  // (the second worker's allocations come from the same scope).
  with_alloc(pool) {
    one_block();
    std::thread(tacit::bind([] { one_block(); })).join();
    std::thread(tacit::bind([] { one_block(); })).join();
  }
  std::printf("carried\n");
  // CHECK-NEXT: tacit check: cross-thread: std::pmr::unsynchronized_pool_resource 0x{{[0-9a-f]+}} allocated into on thread {{[0-9]+}} (the scope at {{.*}}check-cross-thread.cpp:[[@LINE-6]], carried there by tacit::bind or a coroutine) while thread {{[0-9]+}} has it open in the scope at {{.*}}check-cross-thread.cpp:[[@LINE-6]]
  // CHECK-NEXT: it is not known to be thread-safe: Tacit makes its calls one thread at a time
  // CHECK-NEXT: carried
  // ABORT: tacit check: cross-thread:
  // ABORT: tacit check: stopping (TACIT_CHECK=abort)
  // ABORT-NOT: carried

  // Two scopes of its own, on two threads at once.
  with_alloc(pool) {
    one_block();
    std::thread([] {
      with_alloc(pool) { one_block(); }
    }).join();
  }
  // CHECK-NEXT: tacit check: cross-thread: std::pmr::unsynchronized_pool_resource 0x{{[0-9a-f]+}} allocated into on thread {{[0-9]+}} (the scope at {{.*}}check-cross-thread.cpp:[[@LINE-3]]) while thread {{[0-9]+}} has it open in the scope at {{.*}}check-cross-thread.cpp:[[@LINE-6]]
  // CHECK-NEXT: only the calls of scopes tacit::bind carries are made one thread at a time
  std::printf("went on\n");
  // CHECK-NEXT: went on
}
