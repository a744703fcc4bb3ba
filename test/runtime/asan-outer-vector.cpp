// Under AddressSanitizer: an outer std::vector grown inside a scope whose
// arena then dies stays valid (clean run); and arena memory that was freed
// is poisoned, so a use after scope is caught.
// REQUIRES: asan
// RUN: %tacitxx -std=c++20 -O1 -g -fsanitize=address %support %s -o %t && %t 2>&1 | FileCheck %s
// RUN: %tacitxx -std=c++20 -O1 -g -fsanitize=address -DUSE_AFTER_SCOPE %support %s -o %t.uas
// RUN: not %t.uas 2>&1 | FileCheck %s --check-prefix=POISON
#include <tacit/alloc.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include "ledger.hpp"

int main() {
#ifndef USE_AFTER_SCOPE
  std::vector<std::string> outer;  // declared outside the scope
  {
    tacit::arena request;
    with_alloc(request) {
      for (int i = 0; i < 1000; ++i) outer.emplace_back(LONG_TEXT);  // grown inside
    }
  }  // the arena is gone; outer's storage lives on
  std::size_t total = 0;
  for (auto& s : outer) total += s.size();
  for (int i = 0; i < 1000; ++i) outer.emplace_back("more, now on the global heap, long enough");
  outer.clear();
  outer.shrink_to_fit();
  std::printf("outer survived: %zu chars\n", total);
  // CHECK: outer survived: 56000 chars
  // CHECK-NOT: ERROR: AddressSanitizer
#else
  const char* dangling;
  {
    tacit::arena request;
    with_alloc(request) {
      std::string s = LONG_TEXT;
      dangling = s.data();
    }  // s freed: its arena memory is poisoned
  }
  std::printf("%c\n", dangling[3]);
  // POISON: ERROR: AddressSanitizer: use-after-poison
#endif
}
