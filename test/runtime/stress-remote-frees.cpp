// Concurrency that works today (checked under ThreadSanitizer with the
// runtime instrumented): an arena's blocks freed by worker threads while the
// owner keeps allocating, resetting and finally destroying the arena (the
// workers' frees are all remote, atomic); foreign resources (a thread-safe
// ledger, std::pmr::synchronized_pool_resource) used as scopes on several
// threads at once; tacit::bind carrying a scope into a small thread pool.
// Every block must come back: the ledgers end with nothing live, every
// arena block's chunk is returned.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
#include <tacit/alloc.hpp>

#include <condition_variable>
#include <cstdio>
#include <deque>
#include <functional>
#include <memory_resource>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ledger.hpp"

struct queue {
  std::mutex m;
  std::condition_variable cv;
  std::deque<std::string*> items;
  bool done = false;
};

int main() {
  // 1. Owner allocates, three workers free remotely; reset and destroy race
  //    with the remote frees.
  ledger chunks("chunks");
  for (int round = 0; round < 10; ++round) {
    queue q;
    std::vector<std::thread> workers;
    for (int w = 0; w < 3; ++w)
      workers.emplace_back([&] {
        for (;;) {
          std::string* s;
          {
            std::unique_lock<std::mutex> l(q.m);
            q.cv.wait(l, [&] { return !q.items.empty() || q.done; });
            if (q.items.empty()) return;
            s = q.items.front();
            q.items.pop_front();
          }
          delete s;
        }
      });
    {
      tacit::arena a(chunks);
      for (int i = 0; i < 3000; ++i) {
        std::string* s;
        with_alloc(a) {
          s = new std::string(LONG_TEXT);
          keep(s);
        }
        {
          std::lock_guard<std::mutex> l(q.m);
          q.items.push_back(s);
        }
        q.cv.notify_one();
        if (i % 700 == 699) a.reset();
      }
    }  // destroyed while the workers may still be freeing
    {
      std::lock_guard<std::mutex> l(q.m);
      q.done = true;
    }
    q.cv.notify_all();
    for (auto& t : workers) t.join();
  }
  std::printf("arena chunks live after remote frees: %zu\n", chunks.live());
  // CHECK: arena chunks live after remote frees: 0

  // 2. Foreign resources as scopes on four threads at once.
  ledger shared("shared");
  {
    std::pmr::synchronized_pool_resource pool(&shared);
    ledger direct("direct");
    std::vector<std::thread> ts;
    for (int t = 0; t < 4; ++t)
      ts.emplace_back([&, t] {
        for (int i = 0; i < 1500; ++i) {
          std::vector<std::string> v;
          if (t & 1) {
            with_alloc(pool) {
              v.emplace_back(LONG_TEXT);
              v.emplace_back(LONG_TEXT);
              keep(v);
            }
          } else {
            with_alloc(direct) {
              v.emplace_back(LONG_TEXT);
              keep(v);
            }
          }
        }
      });
    for (auto& t : ts) t.join();
    std::printf("direct ledger live: %zu\n", direct.live());
  }
  std::printf("pool's upstream live after the pool: %zu\n", shared.live());
  // CHECK: direct ledger live: 0
  // CHECK: pool's upstream live after the pool: 0

  // 3. tacit::bind into a thread pool: each task allocates on the caller's
  //    (thread-safe) resource, whichever worker runs it.
  ledger bound("bound");
  {
    std::mutex m;
    std::condition_variable cv;
    std::deque<std::function<void()>> tasks;
    bool stop = false;
    std::vector<std::thread> pool;
    for (int w = 0; w < 3; ++w)
      pool.emplace_back([&] {
        for (;;) {
          std::function<void()> f;
          {
            std::unique_lock<std::mutex> l(m);
            cv.wait(l, [&] { return !tasks.empty() || stop; });
            if (tasks.empty()) return;
            f = std::move(tasks.front());
            tasks.pop_front();
          }
          f();
          f = nullptr;
        }
      });
    std::mutex out_m;
    std::vector<std::string*> made;
    with_alloc(bound) {
      for (int i = 0; i < 200; ++i) {
        auto task = tacit::bind([&] {
          auto* s = new std::string(LONG_TEXT);
          std::lock_guard<std::mutex> l(out_m);
          made.push_back(s);
        });
        std::lock_guard<std::mutex> l(m);
        tasks.push_back(std::move(task));
        cv.notify_one();
      }
    }
    {
      std::lock_guard<std::mutex> l(m);
      stop = true;
    }
    cv.notify_all();
    for (auto& t : pool) t.join();
    int on_bound = 0;
    for (auto* s : made) on_bound += tacit::owner_of(s) == &bound;
    std::printf("bound tasks on the caller's resource: %d of %zu\n", on_bound, made.size());
    for (auto* s : made) delete s;
  }
  std::printf("bound ledger live: %zu\n", bound.live());
  // CHECK: bound tasks on the caller's resource: 200 of 200
  // CHECK: bound ledger live: 0
}
