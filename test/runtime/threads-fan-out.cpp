// A scope spans threads: one request arena, the home thread and three
// workers allocating in it at once (std::thread, std::jthread, std::async
// and a small thread pool, each running a callable tacit::bind carried
// there). Every block comes from the arena, every result is intact, the
// arena counts every thread's work, and checked mode has nothing to say.
// (This crashed while an arena had one bump pointer for every thread.)
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
// RUN: env TACIT_CHECK=1 %t 2>&1 | FileCheck %s --check-prefix=CHECKED
#include <tacit/alloc.hpp>

#include <condition_variable>
#include <cstdio>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ledger.hpp"
#include "threads.hpp"

// Ordinary code: it knows nothing of allocators.
std::vector<std::string> build(int seed, int n) {
  std::vector<std::string> out;
  std::map<int, std::string> index;
  for (int i = 0; i < n; ++i) {
    out.push_back("item " + std::to_string(seed) + "/" + std::to_string(i) +
                  std::string(i % 40, 'x'));
    index[i] = out.back();
    if (index.size() > 64) index.erase(index.begin());
  }
  return out;
}

bool intact(const std::vector<std::string>& v, int seed) {
  for (std::size_t i = 0; i < v.size(); ++i)
    if (v[i] != "item " + std::to_string(seed) + "/" + std::to_string(i) +
                    std::string(i % 40, 'x'))
      return false;
  return true;
}

int main() {
  // Two workers, the kind a server keeps, made outside the request: its own
  // state is on the heap, and its queue outlives any request, so submit()
  // runs on the global heap; a job is destroyed before wait_idle() says it
  // is done.
  pool workers(2);
  for (int round = 0; round < 20; ++round) {
    tacit::arena request;
    with_alloc(request) {
      std::vector<std::string> a, b, c, d, home;
      std::thread t(tacit::bind([&] { a = build(1, 3000); }));
      std::jthread j(tacit::bind([&](std::stop_token) { b = build(2, 3000); }));
      auto f = std::async(std::launch::async, tacit::bind([&] { c = build(3, 3000); }));
      workers.submit(tacit::bind([&] { d = build(4, 3000); }));
      home = build(5, 3000);  // the home thread keeps working meanwhile
      t.join();
      j.join();
      f.get();
      workers.wait_idle();
      bool ok = intact(a, 1) && intact(b, 2) && intact(c, 3) &&
                intact(d, 4) && intact(home, 5);
      bool all_on_arena = tacit::owner_of(a[10].data()) == &request &&
                          tacit::owner_of(b[10].data()) == &request &&
                          tacit::owner_of(c[10].data()) == &request &&
                          tacit::owner_of(d[10].data()) == &request &&
                          tacit::owner_of(home[10].data()) == &request;
      auto s = request.stats();
      if (round == 0 || !ok || !all_on_arena)
        std::printf("round %d: intact %s, on the arena %s, threads %zu, "
                    "allocations %s\n",
                    round, ok ? "yes" : "NO", all_on_arena ? "yes" : "NO",
                    s.threads,
                    s.allocations > 5 * 3000 ? "all counted" : "missing");
    }  // the results go here, on the home thread: blocks of four other lanes
  }
  // CHECK: round 0: intact yes, on the arena yes, threads {{[5-6]}}, allocations all counted
  // CHECK-NOT: NO
  std::printf("done\n");
  // CHECK: done
  // CHECKED-NOT: tacit check
  // CHECKED: done
}
