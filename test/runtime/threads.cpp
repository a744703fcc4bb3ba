// A new thread starts with no context; tacit::bind carries the caller's
// context (the whole chain) into a callable run on another thread.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdio>
#include <functional>
#include <string>
#include <thread>

#include "ledger.hpp"

ledger r("R");

int main() {
  with_alloc(r) {
    std::thread([] {
      std::printf("new thread: %s\n", &tacit::current() == &tacit::global() ? "global" : "inherited?!");
      std::string s = LONG_TEXT;
      keep(s);
    }).join();
  }
  std::printf("R after plain thread: %zu made by the thread's string\n", r.allocations() - 1);
  // CHECK: new thread: global
  // (the one allocation is std::thread's own state, made in the scope)
  // CHECK: R after plain thread: 0 made by the thread's string

  std::string* made = nullptr;
  std::function<void()> task;
  std::size_t before;
  with_alloc(r) {
    task = tacit::bind([&] {
      std::printf("bound: %s\n", &tacit::current() == &r ? "R" : "not R");
      made = new std::string(LONG_TEXT);
      without_alloc { std::printf("bound, without_alloc: %s\n", &tacit::current() == &tacit::global() ? "global" : "not global"); }
    });
  }
  before = r.allocations();
  std::thread(task).join();
  // CHECK: bound: R
  // CHECK: bound, without_alloc: global
  std::printf("made on R: %s (%zu allocations)\n", tacit::owner_of(made) == &r ? "yes" : "no",
              r.allocations() - before);
  // CHECK: made on R: yes (2 allocations)
  delete made;
  std::printf("caller after: %s\n", &tacit::current() == &tacit::global() ? "global" : "leaked");
  // CHECK: caller after: global

  // The chain is carried: a pool used as a scope inside with_alloc(outer)
  // still gets its own memory from `outer` when run elsewhere.
  tacit::arena outer;
  std::pmr::unsynchronized_pool_resource pool;  // upstream: new_delete
  std::function<void()> nested;
  with_alloc(outer) with_alloc(pool) nested = tacit::bind([&] {
    auto before = outer.stats().allocations;
    std::string s(5000, 'x');
    keep(s);
    std::printf("pool's memory from outer: %s\n", outer.stats().allocations > before ? "yes" : "no");
  });
  std::thread(nested).join();
  // CHECK: pool's memory from outer: yes
}
