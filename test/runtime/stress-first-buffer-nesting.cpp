// Nesting inside an arena's first buffer. A first buffer is the user's
// memory, and other tacit memory can live inside it: a nested arena's chunk
// (taken from the outer arena while its current chunk is the first buffer),
// or another arena's first buffer carved from a block of it. A free must
// reach the innermost owner, and the outer arena must not reuse memory that
// still holds live blocks of the inner one.
//
// A regression test: this failed until 5583ef3 ("innermost owner for nested
// first buffers"). free_slow and find_owner (ownership.cpp) asked
// buffer_owner() before page_owner(), and buffer_owner() returned the first
// range in slot order, not the innermost. A block of a chunk nested in a
// first buffer was counted as a free of the outer first buffer: the nested
// chunk's own count never dropped, while the outer buffer's dropped to zero
// although the nested chunk (one of its blocks) was still live; reset() then
// kept that buffer as idle and rewound over the nested arena's live blocks.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdio>
#include <cstring>

#include "ledger.hpp"

alignas(64) static char storage[256 << 10];
alignas(64) static char storage2[64 << 10];

static bool all(const char* p, char c, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    if (p[i] != c) return false;
  return true;
}

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);

  // Part 1: a nested arena whose chunk lies in the outer arena's first buffer.
  {
    tacit::arena a(storage, sizeof storage, tacit::global());
    char *p1, *p2;
    with_alloc(a) {
      tacit::arena n;  // upstream: a (its current chunk: the first buffer)
      with_alloc(n) {
        p1 = new char[100];
        keep(p1);
        p2 = new char[100];
        keep(p2);
      }
      std::memset(p1, 'n', 100);
      std::printf("p1 in storage: %s\n",
                  p1 >= storage && p1 < storage + sizeof storage ? "yes" : "no");
      std::printf("owner of p1: %s\n", tacit::owner_of(p1) == &n   ? "n"
                                       : tacit::owner_of(p1) == &a ? "a"
                                                                   : "other");
      delete[] p2;
    }  // n ends; its chunk lives on (p1)
    a.reset();
    with_alloc(a) {
      for (int i = 0; i < 100; ++i) {
        char* q = new char[1000];
        std::memset(q, 'a', 1000);
        keep(q);
      }
    }
    std::printf("p1 intact after a.reset(): %s\n", all(p1, 'n', 100) ? "yes" : "no");
    delete[] p1;
  }
  // CHECK: p1 in storage: yes
  // CHECK-NEXT: owner of p1: n
  // CHECK-NEXT: p1 intact after a.reset(): yes

  // Part 2: a first buffer inside another arena's first buffer.
  {
    tacit::arena a(storage2, sizeof storage2, tacit::global());
    char* inner_buf;
    with_alloc(a) {
      inner_buf = new char[16 << 10];
      keep(inner_buf);
    }
    char* b1;
    {
      tacit::arena b(inner_buf, 16 << 10, tacit::global());
      with_alloc(b) {
        b1 = new char[64];
        keep(b1);
      }
      std::printf("owner of b's block: %s\n", tacit::owner_of(b1) == &b   ? "b"
                                              : tacit::owner_of(b1) == &a ? "a"
                                                                          : "other");
      delete[] b1;
    }
    std::printf("a still holds inner_buf: %s\n",
                tacit::owner_of(inner_buf) == &a ? "yes" : "no");
    delete[] inner_buf;
  }
  // CHECK-NEXT: owner of b's block: b
  // CHECK-NEXT: a still holds inner_buf: yes
  std::printf("done\n");
  // CHECK-NEXT: done
}
