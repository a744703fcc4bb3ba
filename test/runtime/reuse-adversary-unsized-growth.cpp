// A long scope must not grow when blocks are freed without their size.
// The standard library frees unsized on a common path: std::runtime_error's
// message (libstdc++'s COW string, released inside libstdc++.so) is freed
// with unsized operator delete. Before the chunks' start bitmaps (block_extent
// in the runtime), such a block came back only when every block of its chunk
// was freed: with a few long-lived blocks spread over the chunks (here
// weak_ptr control blocks beside std::function and string churn), each
// exception thrown and caught in the scope left ~48 bytes behind, chunk
// memory kept doubling (16 KiB -> 512 KiB over 20,000 iterations, and on),
// and an arena under set_limit that fit the working set threw bad_alloc
// after ~8,000 iterations.
// UNSUPPORTED: tacit-asan, tacit-check
// RUN: %tacitxx -std=c++20 -O2 %s -o %t && %t | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdio>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

struct thrower {
  std::string s;
  explicit thrower(int i) : s(40, 'T') {
    if (i % 3 == 0) throw std::runtime_error("mid-construction " + std::to_string(i));
  }
};

int main() {
  tacit::arena a;
  std::size_t at_4000 = 0;
  long sum = 0;
  with_alloc(a) {
    std::vector<std::weak_ptr<std::string>> weak;
    weak.reserve(64);
    for (int i = 0; i < 20000; ++i) {
      {
        auto sp = std::make_shared<std::string>(i % 40, 'a' + i % 26);
        if (weak.size() < 64) weak.push_back(sp);
        else weak[i % 64] = sp;
      }
      std::function<long(int)> f = [big = std::vector<long>(i % 50, i),
                                    s = std::string(i % 30, 'f')](int k) {
        return static_cast<long>(big.size()) + static_cast<long>(s.size()) + k;
      };
      sum += f(1);
      try {
        delete new thrower(i);
      } catch (const std::runtime_error& e) {
        sum += std::string(e.what()).size();
      }
      if (i == 4000) at_4000 = a.stats().chunk_bytes;
    }
  }
  std::fprintf(stderr, "chunk bytes %zu at step 4000, %zu at 20000 (sum %ld)\n", at_4000,
               a.stats().chunk_bytes, sum);
  std::printf("chunk bytes after 20000 steps: %s those after 4000\n",
              a.stats().chunk_bytes <= at_4000 ? "at most" : "MORE THAN");
}
// CHECK: chunk bytes after 20000 steps: at most those after 4000
