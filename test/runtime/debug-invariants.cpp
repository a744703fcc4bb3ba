// The debug-invariants runtime (TACIT_DEBUG_INVARIANTS) stops at a broken
// bookkeeping rule and names it: here an arena block freed twice (outside
// checked mode), which the release runtime would silently count twice.
// REQUIRES: tacit-debug
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t
// RUN: env -u TACIT_CHECK not --crash %t 2>&1 | FileCheck %s
// CHECK: first free done
// CHECK: tacit: invariant broken: {{.*}}c->live{{.*}}; the runtime's bookkeeping is corrupt
#include <tacit/alloc.hpp>

#include <cstdio>

#include "ledger.hpp"

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  tacit::arena a;
  with_alloc(a) {
    int* p = new int(1);
    keep(p);
    delete p;
    std::printf("first free done\n");
    delete p;
  }
  std::printf("not reached\n");
}
