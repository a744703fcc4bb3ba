// Allocators nest as a tree: an arena constructed inside a scope takes its
// chunks from that scope's allocator — another arena, or any foreign
// resource (the chunks really come from it, and frees still find their
// owner). A resource used as a scope runs in the context around it: a pool
// inside with_alloc(outer) gets its own memory from `outer`.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include "ledger.hpp"

ledger led("ledger");

int main() {
  // System -> outer arena -> inner arena.
  tacit::arena outer;
  {
    std::size_t before = outer.stats().allocations;
    with_alloc(outer) {
      tacit::arena inner;  // upstream: outer
      with_alloc(inner) {
        std::vector<std::string> v(200, LONG_TEXT);
        keep(v);
        std::printf("inner block owner: %s\n", tacit::owner_of(v.data()) == &inner ? "inner" : "other");
        std::printf("inner chunks from outer: %s\n", outer.stats().allocations > before ? "yes" : "no");
        std::printf("inner's upstream is outer: %s\n", &inner.upstream() == &outer ? "yes" : "no");
      }
    }
  }
  // CHECK: inner block owner: inner
  // CHECK: inner chunks from outer: yes
  // CHECK: inner's upstream is outer: yes

  // A block of an inner arena that outlives it, inside an outer arena.
  std::string* survivor;
  with_alloc(outer) {
    tacit::arena inner;
    with_alloc(inner) survivor = new std::string(LONG_TEXT);
  }
  std::printf("survivor after inner ended: %s, owner %s\n", survivor->c_str(),
              tacit::owner_of(survivor) == nullptr ? "an ended arena" : "?");
  // CHECK: survivor after inner ended: a string comfortably longer than the small-string buffer, owner an ended arena
  delete survivor;

  // System -> foreign resource -> arena: the arena's chunks come from the
  // ledger, and go back to it (with their size and alignment) at the end.
  {
    with_alloc(led) {
      tacit::arena a;
      with_alloc(a) {
        std::vector<std::string> v(500, LONG_TEXT);
        keep(v);
        std::printf("arena in ledger: block owner %s, ledger holds %s chunk(s)\n",
                    tacit::owner_of(&v[0]) == &a ? "arena" : "other",
                    led.live() > 0 ? "some" : "no");
      }
    }
    std::printf("after: ledger live %zu\n", led.live());
  }
  // CHECK: arena in ledger: block owner arena, ledger holds some chunk(s)
  // CHECK: after: ledger live 0

  // A pool as a scope inside with_alloc(outer): its memory from outer, no
  // recursion into itself.
  {
    std::pmr::unsynchronized_pool_resource pool;
    std::size_t before = outer.stats().allocations;
    with_alloc(outer) with_alloc(pool) {
      std::vector<int> v(1000, 1);
      keep(v);
      std::printf("pool: block owner %s, pool memory from outer: %s\n",
                  tacit::owner_of(v.data()) == &pool ? "pool" : "other",
                  outer.stats().allocations > before ? "yes" : "no");
    }
  }
  // CHECK: pool: block owner pool, pool memory from outer: yes

  // A monotonic_buffer_resource inside an arena scope, objects never freed
  // (the monotonic way), then gone: the global heap keeps working.
  {
    with_alloc(outer) {
      std::pmr::monotonic_buffer_resource mono;
      with_alloc(mono) for (int i = 0; i < 1000; ++i) keep(new std::string(LONG_TEXT));
    }
  }
  std::vector<std::string*> later;
  for (int i = 0; i < 5000; ++i) later.push_back(new std::string(LONG_TEXT));
  for (auto* s : later) delete s;
  std::printf("global heap after a monotonic scope: fine\n");
  // CHECK: global heap after a monotonic scope: fine
}
