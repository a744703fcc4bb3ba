// Checked mode, `size mismatch`: a sized delete whose size differs from the
// allocation's, or an aligned delete whose alignment differs, is reported;
// the free then goes on with the block's own size and alignment, so the
// resource still gets exactly what it made (the ledger aborts otherwise).
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t
// RUN: env TACIT_CHECK=1 %t 2>&1 | FileCheck %s
// RUN: env TACIT_CHECK=abort not --crash %t 2>&1 | FileCheck %s --check-prefix=ABORT
#include <tacit/alloc.hpp>

#include <cstdio>
#include <new>

#include "ledger.hpp"

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  tacit::arena a;
  ledger foreign("foreign");
  with_alloc(a) {
    void* p = ::operator new(40);
    void* q = ::operator new(64, std::align_val_t{64});
    ::operator delete(p, 32);
    // CHECK: tacit check: size mismatch: operator delete(0x{{[0-9a-f]+}}, 32): the block was made with size 40, in the scope at {{.*}}check-size-mismatch.cpp:19
    // CHECK-NEXT: freed with its own size instead
    // ABORT: tacit check: size mismatch:
    // ABORT-NEXT: freed with its own size instead
    // ABORT-NEXT: tacit check: stopping (TACIT_CHECK=abort)
    ::operator delete(q);  // made aligned, freed by the unaligned form
    // CHECK-NEXT: tacit check: size mismatch: operator delete(0x{{[0-9a-f]+}}) with alignment 16: the block (64 bytes) was made with alignment 64, in the scope at {{.*}}check-size-mismatch.cpp:19
    // CHECK-NEXT: freed with its own alignment instead
    void* big = ::operator new(24);
    ::operator delete(big, 4096);  // larger than the block: still a mismatch
    // CHECK-NEXT: tacit check: size mismatch: operator delete(0x{{[0-9a-f]+}}, 4096): the block was made with size 24, in the scope at {{.*}}check-size-mismatch.cpp:19
    // CHECK-NEXT: freed with its own size instead
  }
  with_alloc(foreign) {
    void* r = ::operator new(40);
    void* s = ::operator new(24);
    ::operator delete(r, 24);
    // CHECK-NEXT: tacit check: size mismatch: operator delete(0x{{[0-9a-f]+}}, 24): the block was made with size 40, in the scope at {{.*}}check-size-mismatch.cpp:36
    // CHECK-NEXT: freed with its own size instead
    ::operator delete(s, 24, std::align_val_t{32});
    // CHECK-NEXT: tacit check: size mismatch: operator delete(0x{{[0-9a-f]+}}) with alignment 32: the block (24 bytes) was made with alignment 16
    // CHECK-NEXT: freed with its own alignment instead
  }
  std::printf("foreign live: %zu, arena: %zu chunk(s)\n", foreign.live(),
              a.stats().chunks);
  // CHECK-NEXT: foreign live: 0, arena: 1 chunk(s)
}
