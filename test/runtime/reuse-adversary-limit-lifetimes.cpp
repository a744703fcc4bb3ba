// Arena reuse under set_limit, with the lifetimes the standard library makes:
// make_shared blocks whose weak_ptrs outlive the shared owners, std::function
// with large captures, strings crossing the SSO boundary. Total allocation is ~100x the limit; the working set fits, so
// reuse must keep every allocation under it; contents are checked against
// known values, and the ledger upstream ends empty.
// UNSUPPORTED: tacit-asan, tacit-check
// (the limit holds only with reuse, which is off there)
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
// RUN: %clangxx -std=c++20 -O1 -DTACIT_DEBUG_INVARIANTS=1 %include %support %s %{runtime_srcs} -o %t.dbg -lpthread -ldl && %t.dbg | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdio>
#include <functional>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "ledger.hpp"

int main() {
  ledger up("upstream");
  long sum = 0, expect = 0;
  int thrown = 0, bad = 0;
  bool over = false;
  {
    tacit::arena a(up);
    a.set_limit(128 * 1024);
    try {
      with_alloc(a) {
        std::vector<std::weak_ptr<std::string>> weak;
        weak.reserve(64);
        for (int i = 0; i < 20000; ++i) {
          {
            auto sp = std::make_shared<std::string>(i % 40, 'a' + i % 26);  // SSO and heap
            if (weak.size() < 64) weak.push_back(sp);
            else weak[i % 64] = sp;  // the old control block dies now, its string long gone
          }
          std::function<long(int)> f = [big = std::vector<long>(i % 50, i), s = std::string(i % 30, 'f')](int k) {
            return static_cast<long>(big.size()) + static_cast<long>(s.size()) + k;
          };
          sum += f(1);
          expect += (i % 50) + (i % 30) + 1;
          std::string grow;
          for (int k = 0; k < i % 64; ++k) grow += static_cast<char>('0' + k % 10);
          for (int k = 0; k < i % 64; ++k) bad += grow[k] != '0' + k % 10;
        }
        for (auto& w : weak) bad += !w.expired();
      }
    } catch (const std::bad_alloc&) {
      over = true;
    }
    std::printf("over the limit: %s; allocations %s the limit's worth\n", over ? "YES" : "no",
                a.stats().bytes > 10 * a.limit() ? "well past" : "NOT past");
  }
  std::printf("results: %s, thrown %d, bad %d, upstream live %zu\n",
              sum == expect ? "match" : "DIFFER", thrown, bad, up.live());
}
// CHECK: over the limit: no; allocations well past the limit's worth
// CHECK-NEXT: results: match, thrown 0, bad 0, upstream live 0
