// Under AddressSanitizer: a first buffer given to a second arena, after the
// first arena ended with every block freed (sized frees poison the blocks),
// is addressable again for the second arena's blocks; so is the buffer once
// the user has it back. Found by fuzz-runtime's long run.
// REQUIRES: asan
// RUN: %tacitxx -std=c++20 -O1 -g -fsanitize=address %support %s -o %t
// RUN: %t 2>&1 | FileCheck %s
// CHECK: second arena's blocks written
// CHECK-NEXT: buffer written by its owner
// CHECK-NOT: AddressSanitizer
#include <tacit/alloc.hpp>

#include <cstdio>
#include <cstring>
#include <string>

#include "ledger.hpp"

alignas(64) char buffer[4096];

int main() {
  {
    tacit::arena first(buffer, sizeof buffer);
    with_alloc(first) {
      for (int i = 0; i < 20; ++i) {
        auto* s = new std::string(LONG_TEXT);
        keep(s);
        delete s;  // sized: poisons the block
      }
    }
  }
  {
    tacit::arena second(buffer, sizeof buffer);
    with_alloc(second) {
      for (int i = 0; i < 20; ++i) {
        auto* s = new std::string(LONG_TEXT);
        keep(s);
        delete s;
      }
    }
  }
  std::printf("second arena's blocks written\n");
  std::memset(buffer, 1, sizeof buffer);
  keep(buffer);
  std::printf("buffer written by its owner\n");
}
