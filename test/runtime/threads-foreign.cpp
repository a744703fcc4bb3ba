// A resource not known to be thread-safe, carried by tacit::bind into
// several threads, is never called by two threads at once: Tacit makes its
// calls one at a time. A std::pmr::unsynchronized_pool_resource carried
// into three threads (2 runs in 5 ended in glibc's "double free or
// corruption" before), and a monotonic_buffer_resource hosting an arena
// whose lanes on three threads take chunks from it. Every block reaches its
// resource exactly (the ledger aborts on any mismatch).
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdio>
#include <map>
#include <memory_resource>
#include <string>
#include <thread>
#include <vector>

#include "ledger.hpp"

ledger upstream("upstream");

void churn(int seed) {
  std::map<int, std::string> m;
  for (int i = 0; i < 20000; ++i) {
    m[i % 500] = std::string(20 + (i * seed) % 300, 'x');
    if (i % 7 == 0) m.erase(i % 500);
  }
  keep(m);
}

template <class Run>
void three_threads(Run run) {
  std::vector<std::thread> ts;
  for (int i = 1; i <= 3; ++i) ts.emplace_back(tacit::bind([=] { run(i); }));
  run(4);  // and the home thread
  for (auto& t : ts) t.join();
}

int main() {
  for (int round = 0; round < 5; ++round) {
    std::pmr::unsynchronized_pool_resource pool(&upstream);
    with_alloc(pool) three_threads(churn);
  }
  std::printf("pool shared by four threads: ok, %zu upstream blocks live\n",
              upstream.live());
  // CHECK: pool shared by four threads: ok, 0 upstream blocks live

  for (int round = 0; round < 5; ++round) {
    std::pmr::monotonic_buffer_resource mono(&upstream);
    with_alloc(mono) {
      tacit::arena a;  // its chunks come from `mono`, for every lane
      with_alloc(a) three_threads(churn);
    }
  }
  std::printf("arena on a monotonic resource, four lanes: ok, %zu upstream blocks live\n",
              upstream.live());
  // CHECK: arena on a monotonic resource, four lanes: ok, 0 upstream blocks live
}
