// An unsized free of an arena block must forget the foreign blocks recorded
// inside it before the arena hands its bytes out again. A
// monotonic_buffer_resource over a make_unique<char[]> buffer, inside an
// arena scope: its objects are dropped with it (never deleted), then
// unique_ptr frees the buffer with an unsized delete[]. The arena's next
// blocks land where the dropped objects were; freeing one of them must reach
// the arena, not the destroyed resource through a stale record. (Found by an
// adversarial pass after unsized frees became reusable: the free went to the
// dead monotonic resource and crashed.)
// UNSUPPORTED: tacit-asan, tacit-check
// (reuse is off by design under AddressSanitizer and in checked mode)
// RUN: %tacitxx -std=c++20 -O2 %s -o %t && %t | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdio>
#include <memory>
#include <memory_resource>

void* volatile sink;
struct alignas(16) S16 {
  char c[16];
};

int main() {
  tacit::arena a;
  bool landed = false;
  with_alloc(a) {
    char* keep = new char[16];  // another live block: the chunk does not empty
    sink = keep;
    void* dropped[4];
    {
      auto buf = std::make_unique<char[]>(512);
      std::pmr::monotonic_buffer_resource m(buf.get(), 512, std::pmr::null_memory_resource());
      with_alloc(m) {
        for (auto& d : dropped) sink = d = new S16;
        // The first is freed: its record shares the buffer's address.
        delete static_cast<S16*>(dropped[0]);
      }
    }  // ~m drops the others; unique_ptr's delete[] is unsized
    char* probe = nullptr;
    for (int i = 0; i < 4; ++i) {
      char* x = new char[16];
      sink = x;
      if (x == dropped[3]) probe = x, landed = true;
    }
    if (probe) {
      delete[] probe;  // the last block bumped: its bytes go back to the bump
      char* next = new char[16];
      sink = next;
      std::printf("a block where a dropped object was: freed to the arena: %s\n",
                  next == probe ? "yes" : "NO");
    }
    delete[] keep;
  }
  std::printf("the arena reused the buffer: %s\n", landed ? "yes" : "NO");
}
// CHECK: a block where a dropped object was: freed to the arena: yes
// CHECK-NEXT: the arena reused the buffer: yes
