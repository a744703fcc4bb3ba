// The no-scope path forwards to a preloaded allocator's own operator new and
// delete: prints which library it forwards to, then mixes every form of new
// and delete, in and out of scopes, with blocks crossing between them, so a
// block reaching the wrong heap's free (or a wrong sized free) would crash
// or be caught by the allocator.
#include <tacit/alloc.hpp>
#include <tacit/testing.hpp>

#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <vector>

int main() {
  const char* lib = tacit::testing::forwarded_heap();
  const char* base = lib ? std::strrchr(lib, '/') : nullptr;
  std::printf("forwarded to: %s\n", lib ? (base ? base + 1 : lib) : "none");
  std::vector<void*> kept;
  long sum = 0;
  for (int round = 0; round < 200; ++round) {
    // No scope: plain, sized, array, nothrow, aligned.
    auto* s = new std::string(100 + round, 'x');
    auto* a = new int[round + 1];
    void* n = ::operator new(48, std::nothrow);
    void* al = ::operator new(96, std::align_val_t{64});
    sum += static_cast<long>(s->size()) + (reinterpret_cast<std::uintptr_t>(al) % 64 == 0);
    kept.push_back(::operator new(round + 1));
    tacit::arena arena;
    with_alloc(arena) {
      std::vector<std::string> v(10, std::string(40, 'y'));
      sum += static_cast<long>(v.size());
      without_alloc {
        delete s;  // a no-scope block freed inside a scope
        kept.push_back(new char[64]);
      }
    }
    delete[] a;
    ::operator delete(n, std::nothrow);
    ::operator delete(al, 96, std::align_val_t{64});
  }
  for (std::size_t i = 0; i < kept.size(); ++i)
    if (i % 2 == 0)
      ::operator delete(kept[i], i / 2 + 1);  // sized, as allocated
    else
      delete[] static_cast<char*>(kept[i]);
  std::printf("sum %ld\n", sum);
}
