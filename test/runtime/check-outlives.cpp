// Checked mode, `outlives scope`: blocks still alive when their scope ends
// are reported with their count and bytes, naming the scope by file:line, for
// arenas and for foreign resources alike; a scope whose blocks are all freed
// in it says nothing. TACIT_CHECK=1 reports and goes on; TACIT_CHECK=abort
// stops at the first report. Unset, nothing is reported.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t
// RUN: env TACIT_CHECK=1 %t 2>&1 | FileCheck %s
// RUN: env TACIT_CHECK=abort not --crash %t 2>&1 | FileCheck %s --check-prefix=ABORT
// RUN: env -u TACIT_CHECK %t 2>&1 | FileCheck %s --check-prefix=OFF
#include <tacit/alloc.hpp>

#include <cstdio>
#include <memory_resource>
#include <string>
#include <vector>

#include "ledger.hpp"

std::vector<std::string>* global_list;

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  tacit::arena a;
  with_alloc(a) {  // line 24: everything freed inside
    std::vector<std::string> v(10, LONG_TEXT);
    keep(v);
  }
  std::printf("clean scope done\n");
  // CHECK: clean scope done
  // CHECK-NOT: tacit check
  // ABORT: clean scope done
  // OFF: clean scope done

  int* kept;
  with_alloc(a) {
    kept = new int[4];  // 16 bytes
    global_list = new std::vector<std::string>;  // 24 bytes
    keep(kept);
  }
  // CHECK: tacit check: outlives scope: 2 blocks (40 bytes) made in the scope at {{.*}}check-outlives.cpp:35 are still alive when it ends
  // CHECK-NEXT: its resource: tacit::arena 0x{{[0-9a-f]+}}; they keep their arena memory alive
  // CHECK-NEXT: block 0x{{[0-9a-f]+}} (16 bytes)
  // CHECK-NEXT: block 0x{{[0-9a-f]+}} (24 bytes)
  // ABORT: tacit check: outlives scope: 2 blocks (40 bytes) made in the scope at {{.*}}check-outlives.cpp:35
  // ABORT: tacit check: stopping (TACIT_CHECK=abort)
  // ABORT-NOT: after the arena scope
  std::printf("after the arena scope\n");
  // CHECK: after the arena scope
  delete[] kept;
  delete global_list;

  // A std::pmr resource whose block outlives the scope (the pattern that
  // crashes later without checked mode once the resource is gone).
  std::pmr::unsynchronized_pool_resource pool;
  std::string* s;
  with_alloc(pool) { s = new std::string(LONG_TEXT); }
  // CHECK: tacit check: outlives scope: 2 blocks ({{[0-9]+}} bytes) made in the scope at {{.*}}check-outlives.cpp:56 are still alive when it ends
  // CHECK-NEXT: its resource: std::pmr::unsynchronized_pool_resource 0x{{[0-9a-f]+}}; they dangle once the resource is destroyed or released
  delete s;  // fine: the pool is still alive

  // Nested scopes: each names its own blocks.
  with_alloc(a) {
    tacit::arena inner;
    int* outer_block = new int(1);
    with_alloc(inner) {
      int* inner_block = new int(2);
      keep(inner_block);
      delete inner_block;
    }
    keep(outer_block);
    global_list = reinterpret_cast<std::vector<std::string>*>(outer_block);
  }
  // CHECK: tacit check: outlives scope: 1 block (4 bytes) made in the scope at {{.*}}check-outlives.cpp:62 is still alive when it ends
  // CHECK-NOT: check-outlives.cpp:66
  delete reinterpret_cast<int*>(global_list);
  std::printf("end\n");
  // CHECK: end
  // CHECK-NOT: tacit check
  // OFF-NOT: tacit check
  // OFF: end
}
