// A block made in a scope can be freed anywhere: after the scope, after its
// arena is gone, on another thread. The free reaches the resource that made
// it; an arena's chunk goes back upstream when its last block is freed.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "ledger.hpp"

ledger upstream("upstream");  // where the arenas below take their chunks
ledger foreign("foreign");

int main() {
  // 1. Foreign resource: freed on another thread, with size and alignment.
  std::vector<std::string*> blocks;
  blocks.reserve(100);  // (grown inside the scope, its buffer would be R's)
  with_alloc(foreign) {
    for (int i = 0; i < 100; ++i) blocks.push_back(new std::string(LONG_TEXT));
  }
  std::thread([&] { for (auto* s : blocks) delete s; }).join();
  std::printf("foreign: %zu made, %zu live\n", foreign.allocations(), foreign.live());
  // CHECK: foreign: 200 made, 0 live

  // 2. Arena: blocks outlive the arena; its chunks stay until they are freed.
  std::vector<std::string*> survivors;
  survivors.reserve(1000);
  {
    tacit::arena a(upstream);
    with_alloc(a) {
      for (int i = 0; i < 1000; ++i) survivors.push_back(new std::string(LONG_TEXT));
    }
    std::printf("arena alive: %zu chunk(s) upstream\n", upstream.live());
  }
  // CHECK: arena alive: [[N:[1-9][0-9]*]] chunk(s) upstream
  std::printf("arena gone: %zu chunk(s) upstream, text intact: %s\n",
              upstream.live(), *survivors[999] == LONG_TEXT ? "yes" : "no");
  // CHECK: arena gone: [[N]] chunk(s) upstream, text intact: yes

  // Half freed on another thread, half here: the last free returns them all.
  std::thread([&] {
    for (int i = 0; i < 500; ++i) delete survivors[i];
  }).join();
  for (int i = 500; i < 1000; ++i) delete survivors[i];
  std::printf("all freed: %zu chunk(s) upstream\n", upstream.live());
  // CHECK: all freed: 0 chunk(s) upstream

  // 3. Arena alive, frees from another thread while this one keeps allocating.
  tacit::arena b(upstream);
  std::vector<int*> ints;
  ints.reserve(10000);
  with_alloc(b) { for (int i = 0; i < 10000; ++i) ints.push_back(new int(i)); }
  std::thread t([&] { for (int* p : ints) delete p; });
  long sum = 0;
  with_alloc(b) { for (int i = 0; i < 10000; ++i) { int* p = new int(i); sum += *p; delete p; } }
  t.join();
  std::printf("concurrent: sum %ld, owner of a new block is b: %s\n", sum,
              [&] { int* p; with_alloc(b) p = new int; bool ok = tacit::owner_of(p) == &b; delete p; return ok; }() ? "yes" : "no");
  // CHECK: concurrent: sum 49995000, owner of a new block is b: yes
}
