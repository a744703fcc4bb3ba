// A foreign resource used as a scope inside another foreign resource's scope
// (a resource runs in the context that encloses it: a
// std::pmr::unsynchronized_pool_resource used as a scope inside
// with_alloc(outer) gets its own memory from outer; docs/design.md, "The path
// of a new inside a scope", step 4). The inner resource's
// block often starts at the very address of the outer block it lives in (a
// monotonic_buffer_resource's first block is at the start of its buffer; a
// pool passes large requests straight to its upstream). Each free must still
// reach the resource that made the block: the inner block to the inner
// resource, the outer block (when the inner resource releases it) to the
// outer one.
//
// A regression test: this failed until 5583ef3 ("nested foreign records stack
// at one address, sized frees pick theirs"). Block records were keyed by
// address alone (ownership.cpp, add_record / word_map::put overwrote).
// resource_allocate recorded the outer block {outer} while the inner
// resource's allocate ran, then recorded the inner block at the same address
// {inner}, overwriting it. The outer resource's block was then freed to the
// wrong place: part 1 leaked the ledger's buffer (the inner monotonic
// resource's release went to std::free behind the ledger's back); part 2
// freed the pool's unpooled block with std::free, and the outer pool freed
// it again: a double free.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdio>
#include <memory_resource>
#include <string>
#include <vector>

#include "ledger.hpp"

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);

  // Part 1: ledger (outer) -> monotonic_buffer_resource (inner).
  {
    ledger outer("outer");
    with_alloc(outer) {
      std::pmr::monotonic_buffer_resource mono;  // buffers: operator new -> outer
      with_alloc(mono) {
        std::string s(LONG_TEXT);
        keep(s);
        std::printf("string on mono: %s\n",
                    tacit::owner_of(s.data()) == &mono ? "yes" : "no");
      }
    }  // mono released its buffer: it must have gone back to `outer`
    std::printf("outer live after mono: %zu\n", outer.live());
  }
  // CHECK: string on mono: yes
  // CHECK-NEXT: outer live after mono: 0
  // CHECK-NOT: still live at destruction

  // Part 2: pool -> pool, a block large enough to bypass both pools.
  {
    ledger backing("backing");
    {
      std::pmr::unsynchronized_pool_resource p1(&backing);
      std::pmr::unsynchronized_pool_resource p2;  // upstream: new_delete -> p1
      with_alloc(p1) with_alloc(p2) {
        std::vector<char> v(1 << 20, 'x');
        keep(v);
        std::printf("vector on p2: %s\n",
                    tacit::owner_of(v.data()) == &p2 ? "yes" : "no");
      }
    }
    std::printf("backing live after pools: %zu\n", backing.live());
  }
  // CHECK: vector on p2: yes
  // CHECK-NEXT: backing live after pools: 0
  std::printf("done\n");
  // CHECK: done
}
