// A block freed without its size (unsized operator delete / delete[]) is
// reused like a sized one: its extent is read from its chunk's start bitmap
// (up to the next block's start, or to the bump), never more, so a block
// handed out again never overlaps a live neighbour.
// UNSUPPORTED: tacit-asan, tacit-check
// (reuse is off by design under AddressSanitizer and in checked mode)
// RUN: %tacitxx -std=c++20 -O2 %s -o %t && %t | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

// Every block escapes (the compiler may otherwise elide a new/delete pair).
void* volatile sink;
template <class T>
T* escape(T* p) {
  sink = p;
  return p;
}

bool overlaps(const void* a, std::size_t n, const void* b, std::size_t m) {
  auto x = reinterpret_cast<std::uintptr_t>(a), y = reinterpret_cast<std::uintptr_t>(b);
  return x < y + m && y < x + n;
}

bool filled(const char* p, std::size_t n, char c) {
  for (std::size_t i = 0; i < n; ++i)
    if (p[i] != c) return false;
  return true;
}

}  // namespace

int main() {
  // 1. delete[] of a trivially destructible array is unsized: the block in
  // the middle waits in its size's list and serves the next array of that
  // size; a larger request (another 16-byte size) is not given it.
  {
    tacit::arena a;
    with_alloc(a) {
      char* x = escape(new char[40]);
      char* keep = escape(new char[100]);
      std::memset(keep, 7, 100);
      delete[] x;                      // 48 bytes up to keep's start
      char* big = escape(new char[64]);  // 49..64: another list, bumped
      char* y = escape(new char[48]);    // 33..48: x's list
      std::printf("unsized middle: %s, bigger %s\n", y == x ? "reused" : "FRESH",
                  big == x ? "REUSED (overlaps keep)" : "fresh");
      std::memset(y, 1, 48);
      std::printf("neighbour intact: %s\n", filled(keep, 100, 7) ? "yes" : "NO");
      delete[] y;
      delete[] big;
      delete[] keep;
    }
  }
  // CHECK: unsized middle: reused, bigger fresh
  // CHECK-NEXT: neighbour intact: yes

  // 2. The last block bumped, freed unsized, gives its bytes back to the
  // bump: the next block starts where it did.
  {
    tacit::arena a;
    bool same = true;
    with_alloc(a) {
      char* first = nullptr;
      for (int i = 0; i < 100; ++i) {
        char* p = escape(new char[24 + i % 9]);
        if (!first) first = p;
        same = same && p == first;
        delete[] p;
      }
    }
    std::printf("unsized pairs: %s\n", same ? "one address" : "addresses moved");
  }
  // CHECK-NEXT: unsized pairs: one address

  // 3. A block followed by an over-aligned one: its extent runs to the next
  // start (the padding included) and no further; the over-aligned block
  // stays intact while the freed one is handed out again and written over.
  {
    tacit::arena a;
    bool intact = true, disjoint = true;
    with_alloc(a) {
      for (int i = 0; i < 200; ++i) {
        char* x = escape(new char[20]);
        auto* al = static_cast<char*>(::operator new(64, std::align_val_t{256}));
        std::memset(al, 5, 64);
        char* tail = escape(new char[16]);  // x is not the last block
        delete[] x;
        for (std::size_t n : {17u, 32u, 48u, 200u}) {
          char* y = escape(new char[n]);
          std::memset(y, 9, n);
          disjoint = disjoint && !overlaps(y, n, al, 64) && !overlaps(y, n, tail, 16);
          delete[] y;
        }
        intact = intact && filled(al, 64, 5);
        ::operator delete(al, 64, std::align_val_t{256});
        delete[] tail;
      }
    }
    std::printf("padded extent: neighbours %s, overlap %s\n", intact ? "intact" : "CORRUPT",
                disjoint ? "none" : "YES");
  }
  // CHECK-NEXT: padded extent: neighbours intact, overlap none

  // 4. A long scope where everything is freed unsized — arrays, and the
  // message of every std::runtime_error (libstdc++'s own COW string) — with
  // long-lived blocks spread over the chunks: chunk memory stays flat.
  {
    tacit::arena a;
    std::size_t at_2000 = 0;
    with_alloc(a) {
      std::vector<char*> keep;
      for (int i = 0; i < 20000; ++i) {
        char* p = escape(new char[16 + i % 200]);
        if (i % 500 == 0) keep.push_back(p);  // a few live on
        else delete[] p;
        try {
          throw std::runtime_error("step " + std::to_string(i));
        } catch (const std::runtime_error& e) {
          if (e.what()[0] != 's') std::printf("bad message\n");
        }
        if (i == 2000) at_2000 = a.stats().chunk_bytes;
      }
      for (char* p : keep) delete[] p;
    }
    std::printf("unsized churn: chunk bytes after 20000 steps %s those after 2000\n",
                a.stats().chunk_bytes <= at_2000 ? "at most" : "MORE THAN");
  }
  // CHECK-NEXT: unsized churn: chunk bytes after 20000 steps at most those after 2000

  // 5. Blocks of chunks the arena left behind, the last one of each among
  // them, may take their chunk's tail: nothing else is ever bumped there, so
  // reuse stays safe. Every other block of many chunks is freed unsized and
  // the same number allocated again; every survivor keeps its contents.
  {
    tacit::arena a;
    bool intact = true;
    std::size_t reused = 0;
    with_alloc(a) {
      static char* blocks[3000];
      for (int i = 0; i < 3000; ++i) {
        blocks[i] = escape(new char[100]);
        std::memset(blocks[i], 'a' + i % 26, 100);
      }
      for (int i = 1; i < 3000; i += 2) delete[] blocks[i];
      const std::size_t before = a.stats().reused;
      for (int i = 1; i < 3000; i += 2) {
        blocks[i] = escape(new char[100]);
        std::memset(blocks[i], '#', 100);
      }
      reused = a.stats().reused - before;
      for (int i = 0; i < 3000; i += 2) intact = intact && filled(blocks[i], 100, 'a' + i % 26);
      for (char* p : blocks) delete[] p;
    }
    std::printf("left-behind chunks: freed blocks reused: %s, survivors %s\n",
                reused >= 1400 ? "most" : "FEW", intact ? "intact" : "CORRUPT");
    std::fprintf(stderr, "left-behind chunks: %zu of 1500 reused\n", reused);
  }
  // CHECK-NEXT: left-behind chunks: freed blocks reused: most, survivors intact
  // 6. A first buffer of any size: every 16 bytes of it, the last ones
  // included, have their bit in the start bitmap. (A buffer whose size past
  // its 64-aligned start was 8192 * k + r, r < 128, once had its last r
  // bytes without bits: a block bumped there set a bit past the bitmap, in
  // the first block.)
  {
    alignas(64) static unsigned char buf[8192 + 112];
    tacit::arena a(buf, sizeof buf);
    auto* first = static_cast<unsigned char*>(a.allocate(16, 16));
    std::memset(first, 0, 16);
    bool in_buffer = true, intact = true;
    int blocks = 0;
    while (in_buffer) {
      auto* p = static_cast<unsigned char*>(a.allocate(16, 16));
      in_buffer = p >= buf && p < buf + sizeof buf;
      blocks += in_buffer;
      intact = intact && filled(reinterpret_cast<char*>(first), 16, 0);
    }
    std::printf("odd-sized first buffer: %s blocks, first block %s\n",
                blocks > 400 ? "filled with" : "FEW", intact ? "intact" : "CORRUPTED");
  }
  // CHECK-NEXT: odd-sized first buffer: filled with blocks, first block intact
}
