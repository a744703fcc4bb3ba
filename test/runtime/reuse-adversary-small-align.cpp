// Fixed: operator new raises an align_val_t below 16 to 16 (allocate() in
// new_delete.cpp), as its promise of __STDCPP_DEFAULT_NEW_ALIGNMENT__ asks.
// The report that found it:
// (arena reuse): operator new(n, std::align_val_t{a}) with a < 16 bumps
// at alignment a (try_bump / checked_bump take `align` as given; only
// arena::do_allocate raises it to 16), so arena blocks can be smaller than 16
// bytes or start off a 16-byte boundary. free_in_chunk then parks such a
// block on a sized aligned delete (size <= 1 KiB, align <= 16): it writes the
// 16-byte parked_block {next, chunk*} over the block, i.e. over the live
// neighbours that follow a 3- or 5-byte block, and a block parked from an
// 8-aligned address is later popped (pop_freed) for a plain 16-aligned
// operator new of the same size class: misaligned, and overlapping the block
// bumped right after it. docs/internals.md says "every arena block starts
// 16-aligned ... allocate raises smaller alignments to 16": operator new's
// aligned forms do not.
// Reached by plain standard code: libstdc++'s new_delete_resource() (the
// default std::pmr resource) calls ::operator new(bytes, align_val_t(align))
// and ::operator delete(p, bytes, align_val_t(align)), so any std::pmr
// container on the default resource inside with_alloc(arena) — e.g. a
// std::pmr::vector<char> — corrupts the arena's live blocks.
// UNSUPPORTED: tacit-asan, tacit-check
// (reuse is off there)
// RUN: %tacitxx -std=c++20 -O2 %s -o %t && %t | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory_resource>
#include <new>
#include <vector>

int main() {
  // 1. The default pmr resource, 5-byte blocks of alignment 1: free every
  // other one, the others must keep their contents.
  {
    tacit::arena a;
    int bad = 0;
    with_alloc(a) {
      std::pmr::memory_resource* nd = std::pmr::new_delete_resource();
      char* v[64];
      for (int i = 0; i < 64; ++i) {
        v[i] = static_cast<char*>(nd->allocate(5, 1));
        std::memset(v[i], 'a' + i % 26, 5);
      }
      for (int i = 0; i < 64; i += 2) nd->deallocate(v[i], 5, 1);
      for (int i = 1; i < 64; i += 2)
        for (int k = 0; k < 5; ++k)
          if (v[i][k] != 'a' + i % 26) { ++bad; break; }
      for (int i = 1; i < 64; i += 2) nd->deallocate(v[i], 5, 1);
    }
    std::printf("default resource, align 1: %s\n", bad ? "LIVE BLOCKS OVERWRITTEN" : "intact");
  }
  // CHECK: default resource, align 1: intact

  // 2. A block made 8-aligned off a 16-byte boundary, parked, then popped
  // by a plain operator new of its size class.
  {
    tacit::arena a;
    bool misaligned = false, overlap = false;
    with_alloc(a) {
      void* k = ::operator new(8, std::align_val_t{8});  // 16-aligned start
      void* p = ::operator new(24, std::align_val_t{8}); // k + 8
      auto* q = static_cast<char*>(::operator new(16));   // after p
      std::memset(q, 'q', 16);
      ::operator delete(p, 24, std::align_val_t{8});      // parked, class 17..32
      void* r = ::operator new(32);                        // pops p
      misaligned = reinterpret_cast<std::uintptr_t>(r) % 16 != 0;
      auto x = reinterpret_cast<std::uintptr_t>(r), y = reinterpret_cast<std::uintptr_t>(q);
      overlap = x < y + 16 && y < x + 32;
      ::operator delete(r, 32);
      ::operator delete(q, 16);
      ::operator delete(k, 8, std::align_val_t{8});
    }
    std::printf("plain new after align-8 free: %s, %s\n",
                misaligned ? "MISALIGNED" : "aligned",
                overlap ? "OVERLAPS a live block" : "no overlap");
  }
  // CHECK-NEXT: plain new after align-8 free: aligned, no overlap

  // 3. The same through a std::pmr::vector<char> on the default resource.
  {
    tacit::arena a;
    int bad = 0;
    with_alloc(a) {
      std::vector<std::pmr::vector<char>> vs;
      for (int i = 0; i < 200; ++i) vs.emplace_back(1 + i % 7, char('A' + i % 26));
      for (int i = 0; i < 200; i += 3) vs[i] = std::pmr::vector<char>();
      for (int i = 0; i < 200; ++i)
        if (i % 3 != 0)
          for (char c : vs[i]) if (c != 'A' + i % 26) { ++bad; break; }
    }
    std::printf("pmr::vector<char> on the default resource: %s\n", bad ? "CORRUPTED" : "intact");
  }
  // CHECK-NEXT: pmr::vector<char> on the default resource: intact
}
