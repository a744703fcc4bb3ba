// Two resources that are not thread-safe, each asking its upstream through
// operator new (as a std::pmr pool over new_delete_resource() does: its
// upstream is then whatever scope encloses it). tacit::bind carries both to
// a worker, nested r1 then r2; the home thread opens them the other way
// round, r2 then r1. Each thread allocates in its innermost resource, whose
// own upstream call goes to the other one. Tacit calls each resource one
// thread at a time; the program must still finish.
//
// Found failing: one lock per resource, held for the whole call, so the two
// threads each held one and waited for the other's: a deadlock. Now every
// shared foreign resource's call takes one recursive lock (serialise.cpp):
// calls nest, so one lock cannot invert.
//
// Each resource's allocate waits (up to 1 s) for the other thread to be
// inside the other resource, so the interleaving does not depend on timing.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
#include <tacit/alloc.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory_resource>
#include <new>
#include <thread>
#include <unistd.h>

#include "ledger.hpp"

std::atomic<int> meeting{0};

class upstreamed final : public std::pmr::memory_resource {
 public:
  std::atomic<bool> armed{false};

 private:
  void* do_allocate(std::size_t n, std::size_t a) override {
    if (armed.exchange(false)) {
      ++meeting;
      auto t0 = std::chrono::steady_clock::now();
      while (meeting.load() < 2 && std::chrono::steady_clock::now() - t0 <
                                       std::chrono::seconds(1))
        std::this_thread::yield();
    }
    // Its upstream: operator new, in the context that encloses it.
    return ::operator new (n, std::align_val_t{a});
  }
  void do_deallocate(void* p, std::size_t, std::size_t a) override {
    ::operator delete (p, std::align_val_t{a});
  }
  bool do_is_equal(const memory_resource& o) const noexcept override {
    return this == &o;
  }
};

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  alarm(20);
  std::thread([] {  // the watchdog
    std::this_thread::sleep_for(std::chrono::seconds(5));
    std::printf("DEADLOCK: still waiting after 5 s\n");
    std::_Exit(1);
  })
      .detach();
  upstreamed r1, r2;
  tacit::arena outer;  // where r1's and r2's upstream calls end up, at last
  std::atomic<bool> go{false};
  std::thread worker;
  with_alloc(outer) {
    with_alloc(r1) with_alloc(r2) {  // the worker: r2 innermost, on r1
      auto job = tacit::bind([&] {
        while (!go) std::this_thread::yield();
        int* p = new int(1);  // r2, whose upstream call goes to r1
        keep(p);
        delete p;
      });
      without_alloc worker = std::thread(std::move(job));
    }
    r1.armed = true;
    r2.armed = true;
    with_alloc(r2) with_alloc(r1) {  // the home thread: r1 innermost, on r2
      go = true;
      int* p = new int(2);  // r1, whose upstream call goes to r2
      keep(p);
      delete p;
    }
  }
  worker.join();
  std::printf("both threads done\n");
  // CHECK: both threads done
}
