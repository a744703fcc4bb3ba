// set_limit holds for the arena as a whole: two threads allocating 16 KiB
// blocks in one arena at once each get std::bad_alloc when the arena's
// chunks would pass the limit — on their own thread, where they catch it —
// and the arena never holds more than the limit. (With one bump pointer for
// every thread this ended in std::terminate.)
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
// RUN: env TACIT_CHECK=1 %t 2>&1 | FileCheck %s
#include <tacit/alloc.hpp>

#include <atomic>
#include <cstdio>
#include <new>
#include <thread>
#include <vector>

#include "ledger.hpp"

int main() {
  for (int round = 0; round < 20; ++round) {
    tacit::arena a;
    a.set_limit(std::size_t{1} << 20);
    std::atomic<int> refused{0};
    std::atomic<std::size_t> made{0};
    with_alloc(a) {
      auto work = tacit::bind([&] {
        std::vector<char*> kept;
        try {
          kept.reserve(1000);
          for (;;) {
            kept.push_back(new char[16384]);
            kept.back()[16383] = 1;
            ++made;
          }
        } catch (const std::bad_alloc&) {
          ++refused;
        }
        for (char* p : kept) delete[] p;
      });
      std::thread t1, t2;
      without_alloc {  // the threads' own state, on the heap
        t1 = std::thread(work);
        t2 = std::thread(work);
      }
      t1.join();
      t2.join();
    }
    auto s = a.stats();
    bool within = s.peak_chunk_bytes <= a.limit();
    if (round == 0 || !within || refused != 2)
      std::printf("round %d: refused on %d threads, peak within the limit: %s, "
                  "blocks made before: %s\n",
                  round, refused.load(), within ? "yes" : "NO",
                  made > 40 ? "many" : "FEW");
  }
  // CHECK: round 0: refused on 2 threads, peak within the limit: yes, blocks made before: many
  // CHECK-NOT: round
  std::printf("done\n");
  // CHECK: done
}
