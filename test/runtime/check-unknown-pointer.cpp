// Checked mode, `unknown pointer`: a free of something that is not the start
// of a live block — an interior pointer of an arena or foreign block, a stack
// address, an address inside arena memory that no block starts at — is
// reported and ignored (without checked mode it would corrupt a chunk's
// count or crash in free()).
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t
// RUN: env TACIT_CHECK=1 %t 2>&1 | FileCheck %s
// RUN: env TACIT_CHECK=abort not --crash %t 2>&1 | FileCheck %s --check-prefix=ABORT
#include <tacit/alloc.hpp>

#include <cstdio>
#include <memory_resource>

#include "ledger.hpp"

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  tacit::arena a;
  ledger foreign("foreign");
  with_alloc(a) {
    char* block = new char[100];
    keep(block);
    ::operator delete(block + 8);
    // CHECK: tacit check: unknown pointer: operator delete(0x{{[0-9a-f]+}}): not the start of a live block; it is 8 bytes into the block at 0x{{[0-9a-f]+}} (100 bytes, made in the scope at {{.*}}check-unknown-pointer.cpp:20)
    // CHECK-NEXT: this free is ignored
    // ABORT: tacit check: unknown pointer:
    // ABORT-NEXT: this free is ignored
    // ABORT-NEXT: tacit check: stopping (TACIT_CHECK=abort)
    // ABORT-NOT: went on

    // Arena memory no block starts at (past the last block of the chunk).
    ::operator delete(block + 2048);
    // CHECK-NEXT: tacit check: unknown pointer: operator delete(0x{{[0-9a-f]+}}): the address is inside tacit::arena memory but is not the start of a live block
    // CHECK-NEXT: this free is ignored
    delete[] block;
  }

  with_alloc(foreign) {
    char* other = new char[48];
    keep(other);
    ::operator delete(other + 16, 32);
    // CHECK-NEXT: tacit check: unknown pointer: operator delete(0x{{[0-9a-f]+}}): not the start of a live block; it is 16 bytes into the block at 0x{{[0-9a-f]+}} (48 bytes, made in the scope at {{.*}}check-unknown-pointer.cpp:38)
    // CHECK-NEXT: this free is ignored
    delete[] other;
  }

  int local = 0;
  keep(local);
  ::operator delete(&local);
  // CHECK-NEXT: tacit check: unknown pointer: operator delete(0x{{[0-9a-f]+}}): the address is on this thread's stack
  // CHECK-NEXT: this free is ignored

  std::printf("went on, foreign live: %zu\n", foreign.live());
  // CHECK-NEXT: went on, foreign live: 0
}
