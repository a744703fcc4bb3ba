// tracing_resource logs each allocation with the with_alloc that asked for
// it, and each deallocation with the size and alignment it was made with.
// UNSUPPORTED: tacit-check
// (its blocks outlive their scope on purpose: checked mode reports them on
// the stderr this test reads)
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t 2>&1 | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include "ledger.hpp"

int main() {
  tacit::tracing_resource trace;  // upstream: the global heap; stderr
  std::string* s;
  with_alloc(trace) s = new std::string(LONG_TEXT);
  // CHECK: tacit: allocate 32 (align 16) -> [[OBJ:0x[0-9a-f]+]] for with_alloc at {{.*}}tracing.cpp:[[@LINE-1]]
  // CHECK-NEXT: tacit: allocate 57 (align 16) -> [[BUF:0x[0-9a-f]+]] for with_alloc at {{.*}}tracing.cpp:[[@LINE-2]]
  delete s;
  // CHECK-NEXT: tacit: deallocate 57 (align 16) [[BUF]]
  // CHECK-NEXT: tacit: deallocate 32 (align 16) [[OBJ]]
  std::pmr::vector<int> direct({1, 2, 3}, &trace);
  // CHECK-NEXT: tacit: allocate 12 (align 4) -> {{0x[0-9a-f]+}} direct
  std::fflush(stderr);
}
