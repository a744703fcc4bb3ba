// Reuse across threads: an arena that a fan-out or a producer/consumer pair
// shares stays near its live data. Each thread reuses what it frees, and
// what other threads free comes back to the thread that made it (its
// lane's mailbox), in batches. Before lanes, an arena carried by tacit::bind
// stopped reusing (four workers below held 48 MB of chunks for about
// 0.3 MB alive; two, 75 MB) and blocks freed on another thread were never
// reused (the producer/consumer pair held 830 MB for 8 MB alive).
// UNSUPPORTED: tacit-check, tacit-asan
// (checked mode and AddressSanitizer keep freed blocks, so nothing is reused)
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
// Checked mode keeps every freed block (no reuse), and has no cross-thread
// report for an arena threads share:
// RUN: env TACIT_CHECK=1 %t 2>&1 | FileCheck %s --check-prefix=CHECKED
#include <tacit/alloc.hpp>

#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ledger.hpp"

constexpr std::size_t MiB = std::size_t{1} << 20;

// Makes `n` strings of 40..239 bytes, keeping at most `alive` of them.
void churn(int n, std::size_t alive) {
  std::deque<std::string> live;
  for (int i = 0; i < n; ++i) {
    live.push_back(std::string(40 + i % 200, 'x'));
    if (live.size() > alive) live.pop_front();
  }
  keep(live);
}

void fan_out(int workers, int n, std::size_t alive, std::size_t bound) {
  tacit::arena a;
  with_alloc(a) {
    auto work = tacit::bind([=] { churn(n, alive); });
    std::vector<std::thread> ts;
    for (int i = 0; i < workers; ++i) ts.emplace_back(work);
    for (auto& t : ts) t.join();
  }
  auto s = a.stats();
  std::printf("%d workers, %d strings each, at most %zu alive: %s (reused %s)\n",
              workers, n, alive,
              s.peak_chunk_bytes <= bound ? "near the live data" : "GROWS",
              s.reused * 10 > s.allocations * 9 ? "over 90%" : "too little");
  if (s.peak_chunk_bytes > bound)
    std::printf("  peak chunk bytes %zu\n", s.peak_chunk_bytes);
}

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  fan_out(4, 100000, 1000, 4 * MiB);
  // CHECK: 4 workers, 100000 strings each, at most 1000 alive: near the live data (reused over 90%)
  fan_out(2, 300000, 200, 2 * MiB);
  // CHECK: 2 workers, 300000 strings each, at most 200 alive: near the live data (reused over 90%)

  // The home thread makes 4 KiB blocks and hands batches of 1,024 to a
  // second thread, which frees them; at most three batches (12 MiB) alive.
  tacit::arena a;
  std::mutex m;
  std::condition_variable cv;
  std::deque<std::vector<char*>> queue;
  bool done = false;
  std::thread consumer([&] {
    for (;;) {
      std::vector<char*> batch;
      {
        std::unique_lock<std::mutex> hold(m);
        cv.wait(hold, [&] { return done || !queue.empty(); });
        if (queue.empty()) return;
        batch = std::move(queue.front());
        queue.pop_front();
      }
      for (char* p : batch) delete[] p;
      cv.notify_one();
    }
  });
  with_alloc(a) {
    for (int round = 0; round < 200; ++round) {
      std::vector<char*> batch;
      batch.reserve(1024);
      for (int i = 0; i < 1024; ++i) batch.push_back(new char[4096]);
      std::unique_lock<std::mutex> hold(m);
      cv.wait(hold, [&] { return queue.size() < 2; });
      without_alloc queue.push_back(std::move(batch));
      cv.notify_one();
    }
  }
  {
    std::lock_guard<std::mutex> hold(m);
    done = true;
  }
  cv.notify_all();
  consumer.join();
  auto s = a.stats();
  std::printf("producer/consumer: %s, %s\n",
              s.peak_chunk_bytes <= 32 * MiB ? "near the live data" : "GROWS",
              s.remote_frees >= 190 * 1024 ? "frees handed back" : "frees LOST");
  if (s.peak_chunk_bytes > 32 * MiB)
    std::printf("  peak chunk bytes %zu, remote frees %zu\n", s.peak_chunk_bytes,
                s.remote_frees);
  // CHECK: producer/consumer: near the live data, frees handed back
  // CHECKED-NOT: tacit check: cross-thread
}
