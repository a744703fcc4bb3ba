// The commonest short scope: one temporary at a time. Each delete gives the
// block back to the bump and leaves the chunk with nothing alive; the chunk
// is then as new (every start bit went with its block), with no work beyond
// the free itself. What that must keep: the next block starts at the chunk's
// first bytes again, the arena never takes a second chunk, and blocks freed
// without their size afterwards (their extent read from the start bits)
// are whole and reused.
// UNSUPPORTED: tacit-check, tacit-asan
// (checked mode and AddressSanitizer keep freed blocks, so nothing is reused)
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdio>
#include <new>
#include <string>

int main() {
  tacit::arena a;
  bool same = true, reused = true;
  void* first = nullptr;
  with_alloc(a) {
    for (int i = 0; i < 100000; ++i) {
      std::string s(100 + i % 64, 'x');  // one temporary, alone in the arena
      if (!first) first = s.data();
      same = same && s.data() == first;
    }
    // Blocks freed unsized after that: their extent comes from the start
    // bits, which must hold only the blocks alive now.
    // (Called directly, not through new-expressions, which the optimiser
    // may elide in pairs.)
    for (int i = 0; i < 1000; ++i) {
      std::size_t n = 40 + i % 200;
      void* keep = ::operator new(300);
      void* p = ::operator new(n);
      asm volatile("" : : "r"(keep), "r"(p) : "memory");
      ::operator delete(p);  // unsized
      void* q = ::operator new(n);
      asm volatile("" : : "r"(q) : "memory");
      reused = reused && q == p;
      ::operator delete(q);
      ::operator delete(keep);
    }
  }
  std::printf("one temporary at a time, from the first bytes: %s\n",
              same ? "yes" : "NO");
  // CHECK: one temporary at a time, from the first bytes: yes
  std::printf("unsized frees reused whole: %s\n", reused ? "yes" : "NO");
  // CHECK: unsized frees reused whole: yes
  std::printf("chunks taken: %zu\n", a.stats().chunks);
  // CHECK: chunks taken: 1
}
