// Resources that are not thread-safe, carried by tacit::bind into eight
// threads while the home thread keeps allocating in them too: a
// std::pmr::unsynchronized_pool_resource and a monotonic_buffer_resource,
// each over a strict upstream (it aborts on any free it did not hand out
// exactly, and it is the one place both are seen from). Tacit calls each
// one thread at a time. Three rounds each, a new resource each round; then
// the same with a tacit::arena and a synchronized_pool_resource, which
// threads may share. Every result is right and owned by its resource, and
// the upstream ends empty.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
// Checked mode reports the sharing of the two resources that are not
// thread-safe (once per scope: the first round's), and nothing else — not
// the arena, not the synchronized pool.
// RUN: env TACIT_CHECK=1 %t 2>&1 | FileCheck %s --check-prefix=CHECKED
// CHECKED-NOT: tacit check
// CHECKED: tacit check: cross-thread: std::pmr::unsynchronized_pool_resource {{.*}}carried there by tacit::bind
// CHECKED-NOT: tacit check
// CHECKED: pool: 3 rounds right
// CHECKED-NOT: tacit check
// CHECKED: tacit check: cross-thread: std::pmr::monotonic_buffer_resource {{.*}}carried there by tacit::bind
// CHECKED-NOT: tacit check
// CHECKED: monotonic: 3 rounds right
// CHECKED-NOT: tacit check
#include <tacit/alloc.hpp>

#include <atomic>
#include <cstdio>
#include <map>
#include <memory_resource>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "ledger.hpp"

ledger up("upstream");
std::atomic<int> bad{0};

std::size_t churn(int seed, int n) {
  std::map<int, std::string> m;
  for (int i = 0; i < n; ++i) {
    m[(i * 31 + seed) % 400] =
        std::string(20 + (i * seed) % 500, static_cast<char>('a' + seed));
    if (i % 7 == 0) m.erase(i % 400);
  }
  std::size_t total = 0;
  for (auto& [k, v] : m) {
    if (v[0] != 'a' + seed) ++bad;
    total += v.size();
  }
  return total;
}

std::size_t expect[9];

// Eight threads and the home thread, all in `r` (the scope open around the
// call, carried by bind).
void eight_and_home(std::pmr::memory_resource& r) {
  // The home thread's scope holds `r` from its first block on.
  std::string first(300, 'h');
  if (tacit::owner_of(first.data()) != &r) ++bad;
  std::vector<std::thread> ts;
  without_alloc ts.reserve(8);
  for (int t = 0; t < 8; ++t) {
    auto job = tacit::bind([&r, t] {
      if (churn(t, 3000) != expect[t]) ++bad;
      std::string s(300, 'q');
      if (tacit::owner_of(s.data()) != &r) ++bad;
    });
    without_alloc ts.emplace_back(std::move(job));
  }
  if (churn(8, 3000) != expect[8]) ++bad;  // the home thread, meanwhile
  std::string s(300, 'h');
  if (tacit::owner_of(s.data()) != &r) ++bad;
  for (auto& t : ts) t.join();
}

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  alarm(60);
  for (int t = 0; t < 9; ++t) expect[t] = churn(t, 3000);

  for (int round = 0; round < 3; ++round) {
    std::pmr::unsynchronized_pool_resource pool(&up);
    with_alloc(pool) eight_and_home(pool);
  }
  std::printf("pool: 3 rounds %s\n", bad ? "WRONG" : "right");
  // CHECK: pool: 3 rounds right

  for (int round = 0; round < 3; ++round) {
    std::pmr::monotonic_buffer_resource mono(&up);
    with_alloc(mono) eight_and_home(mono);
  }
  std::printf("monotonic: 3 rounds %s\n", bad ? "WRONG" : "right");
  // CHECK: monotonic: 3 rounds right

  for (int round = 0; round < 3; ++round) {
    tacit::arena a(up);
    with_alloc(a) eight_and_home(a);
  }
  std::printf("arena: 3 rounds %s\n", bad ? "WRONG" : "right");
  // CHECK: arena: 3 rounds right

  for (int round = 0; round < 3; ++round) {
    std::pmr::synchronized_pool_resource synced(&up);
    with_alloc(synced) eight_and_home(synced);
  }
  std::printf("synchronized pool: 3 rounds %s\n", bad ? "WRONG" : "right");
  // CHECK: synchronized pool: 3 rounds right

  std::printf("upstream blocks live: %zu\n", up.live());
  // CHECK: upstream blocks live: 0
  // CHECKED: upstream blocks live: 0
}
