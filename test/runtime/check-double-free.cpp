// Checked mode, `double free`: a block of a tacit::arena freed a second time
// is reported (and the second free ignored, so the chunk's live count stays
// right); memory reused by a later allocation is a new block, freed once.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t
// RUN: env TACIT_CHECK=1 %t 2>&1 | FileCheck %s
// RUN: env TACIT_CHECK=abort not --crash %t 2>&1 | FileCheck %s --check-prefix=ABORT
#include <tacit/alloc.hpp>

#include <cstdio>

#include "ledger.hpp"

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  tacit::arena a;
  int* p;
  with_alloc(a) {
    p = new int(1);
    keep(p);
    delete p;
    std::printf("first free done\n");
    // CHECK: first free done
    // ABORT: first free done
    delete p;
    // CHECK-NEXT: tacit check: double free: operator delete(0x{{[0-9a-f]+}}): the block (4 bytes, made in the scope at {{.*}}check-double-free.cpp:17) was already freed
    // CHECK-NEXT: this free is ignored
    // ABORT: tacit check: double free:
    // ABORT-NEXT: this free is ignored
    // ABORT-NEXT: tacit check: stopping (TACIT_CHECK=abort)
    // ABORT-NOT: went on
    std::printf("went on\n");
    // CHECK-NEXT: went on
  }
  // Through the memory_resource interface, too.
  void* q = a.allocate(64, 16);
  a.deallocate(q, 64, 16);
  a.deallocate(q, 64, 16);
  // CHECK-NEXT: tacit check: double free: operator delete(0x{{[0-9a-f]+}}): the block (64 bytes, made in no scope (the resource called directly)) was already freed
  // CHECK-NEXT: this free is ignored

  // After a reset the memory is reused: a new block at the same address is
  // freed once, without a report.
  a.reset();
  with_alloc(a) {
    int* r = new int(2);
    keep(r);
    delete r;
  }
  a.reset();
  std::printf("arena after: %zu allocations\n", a.stats().allocations);
  // CHECK-NEXT: arena after: 0 allocations
  // CHECK-NOT: tacit check
}
