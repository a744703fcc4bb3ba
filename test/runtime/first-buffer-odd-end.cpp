// A first buffer whose end is not a multiple of 16 bytes: a block bumped to
// end exactly there, freed after the lane moved on to a chunk, waits in the
// free list of its 16-byte size class; a later request of that class's full
// size must not be given it (it would write past the user's buffer). The
// buffer sits inside a larger array whose bytes past it are checked.
// RUN: %tacitxx -std=c++20 -O2 %s -o %t && %t | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdio>
#include <cstring>
#include <vector>

int main() {
  int bad = 0;
  for (std::size_t size = 600; size < 664; ++size) {  // every end modulo 16
    alignas(64) unsigned char memory[1024];
    std::memset(memory, 0xAB, sizeof memory);
    {
      tacit::arena a(memory, size);
      with_alloc(a) {
        std::vector<void*> kept;
        // Fill the buffer with 24-byte blocks until one comes from elsewhere.
        for (;;) {
          void* p = ::operator new(24);
          kept.push_back(p);
          auto at = static_cast<unsigned char*>(p);
          if (at < memory || at >= memory + size) break;
        }
        // Free them (the lane is on a chunk now): they wait in the list of
        // 17..32 bytes; then ask for 32-byte blocks and fill each.
        for (void* p : kept) ::operator delete(p, 24);
        kept.clear();
        for (int i = 0; i < 64; ++i) {
          void* p = ::operator new(32);
          std::memset(p, 0x11, 32);
          kept.push_back(p);
        }
        for (void* p : kept) ::operator delete(p, 32);
        kept.clear();
      }
    }
    for (std::size_t i = size; i < sizeof memory; ++i)
      if (memory[i] != 0xAB) {
        std::printf("buffer of %zu bytes: byte %zu past it written\n", size,
                    i - size);
        ++bad;
        break;
      }
  }
  std::printf("buffers with bytes written past their end: %d\n", bad);
  // CHECK: buffers with bytes written past their end: 0
}
