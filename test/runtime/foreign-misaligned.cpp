// operator new keeps its alignment promise whatever the resource in context
// does. A resource that hands out under-aligned blocks (libstdc++ 12's
// unsynchronized_pool_resource returns 8-aligned blocks for allocate(24, 16);
// `skewed` below returns every block 8 bytes off) still yields blocks aligned
// to __STDCPP_DEFAULT_NEW_ALIGNMENT__, or to the requested alignment, from
// every form of operator new: plain, array, nothrow, aligned, aligned
// nothrow. The record stays right: each free reaches the resource with the
// very pointer, size and alignment it handed out (skewed's ledger aborts on
// any mismatch), sized frees included, and owner_of names the resource.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory_resource>
#include <mutex>
#include <new>
#include <string>
#include <vector>

#include "ledger.hpp"

// Every block `skew` bytes past an aligned address; exact bookkeeping.
class skewed final : public std::pmr::memory_resource {
 public:
  std::size_t live = 0, calls = 0;
  static constexpr std::size_t skew = 8;

 private:
  struct entry { void* p; std::size_t size, align; };
  entry made_[4096];
  int used_ = 0;

  void* do_allocate(std::size_t size, std::size_t align) override {
    void* base = nullptr;
    if (posix_memalign(&base, 64, size + 64) != 0) throw std::bad_alloc();
    void* p = static_cast<char*>(base) + skew;
    made_[used_++] = {p, size, align};
    ++live;
    ++calls;
    return p;
  }
  void do_deallocate(void* p, std::size_t size, std::size_t align) override {
    for (int i = 0; i < used_; ++i) {
      if (made_[i].p != p) continue;
      if (made_[i].size != size || made_[i].align != align) {
        std::printf("MISMATCH %p: made %zu/%zu, freed %zu/%zu\n", p,
                    made_[i].size, made_[i].align, size, align);
        std::abort();
      }
      made_[i] = made_[--used_];
      --live;
      std::free(static_cast<char*>(p) - skew);
      return;
    }
    std::printf("MISMATCH: free of %p, never made (or twice)\n", p);
    std::abort();
  }
  bool do_is_equal(const memory_resource& o) const noexcept override {
    return this == &o;
  }
};

bool aligned(const void* p, std::size_t a) {
  return reinterpret_cast<std::uintptr_t>(p) % a == 0;
}

struct alignas(64) wide { char c[64]; };

int bad = 0;
void expect(const char* what, const void* p, std::size_t a,
            std::pmr::memory_resource& r) {
  if (!p || !aligned(p, a) || tacit::owner_of(p) != &r) {
    std::printf("%s: %p not %zu-aligned or not owned\n", what, p, a);
    ++bad;
  }
}

template <class R>
void every_form(const char* name, R& r) {
  constexpr std::size_t def = __STDCPP_DEFAULT_NEW_ALIGNMENT__;
  bad = 0;
  with_alloc(r) {
    for (int i = 0; i < 50; ++i) {
      void* a = ::operator new(24);
      void* b = ::operator new[](40);
      void* c = ::operator new(24, std::nothrow);
      void* d = ::operator new[](8, std::nothrow);
      void* e = ::operator new(24, std::align_val_t{32});
      void* f = ::operator new[](100, std::align_val_t{64});
      void* g = ::operator new(24, std::align_val_t{128}, std::nothrow);
      void* h = ::operator new[](24, std::align_val_t{32}, std::nothrow);
      wide* w = new wide;
      auto* s = new std::string(LONG_TEXT);
      expect("new", a, def, r);
      expect("new[]", b, def, r);
      expect("new nothrow", c, def, r);
      expect("new[] nothrow", d, def, r);
      expect("new align 32", e, 32, r);
      expect("new[] align 64", f, 64, r);
      expect("new align 128 nothrow", g, 128, r);
      expect("new[] align 32 nothrow", h, 32, r);
      expect("new wide", w, 64, r);
      expect("new string", s, def, r);
      expect("string data", s->data(), def, r);
      // Frees of every form, sized and not.
      ::operator delete(a, 24);
      ::operator delete[](b);
      ::operator delete(c, std::nothrow);
      ::operator delete[](d, 8);
      ::operator delete(e, 24, std::align_val_t{32});
      ::operator delete[](f, std::align_val_t{64});
      ::operator delete(g, std::align_val_t{128}, std::nothrow);
      ::operator delete[](h, 24, std::align_val_t{32});
      delete w;
      delete s;
    }
    // Stock containers, freed after the scope.
  }
  std::printf("%s: %d misaligned\n", name, bad);
}

int main() {
  skewed sk;
  every_form("skewed", sk);
  std::printf("skewed: %zu live after\n", sk.live);
  // CHECK: skewed: 0 misaligned
  // CHECK-NEXT: skewed: 0 live after

  // Blocks made in the scope, freed after it (the record carries the fix-up).
  std::vector<std::string>* v;
  with_alloc(sk) {
    v = new std::vector<std::string>;
    for (int i = 0; i < 100; ++i) v->push_back(std::to_string(i) + LONG_TEXT);
  }
  bool ok = aligned(v, 16) && aligned(v->data(), 16);
  for (auto& s : *v) ok = ok && aligned(s.data(), 16);
  delete v;
  std::printf("skewed, freed after: %s, %zu live\n", ok ? "aligned" : "MISALIGNED",
              sk.live);
  // CHECK: skewed, freed after: aligned, 0 live

  {
    std::pmr::unsynchronized_pool_resource pool;
    every_form("unsynchronized_pool", pool);
  }
  // CHECK: unsynchronized_pool: 0 misaligned
  {
    std::pmr::synchronized_pool_resource pool;
    every_form("synchronized_pool", pool);
  }
  // CHECK: synchronized_pool: 0 misaligned

  // A misaligned resource nested in an arena scope: its upstream calls are
  // served by the arena, its blocks are fixed up.
  tacit::arena outer;
  with_alloc(outer) {
    std::pmr::unsynchronized_pool_resource pool;
    every_form("pool in arena", pool);
  }
  // CHECK: pool in arena: 0 misaligned
  std::printf("arena chunks after: %zu\n", outer.stats().chunks);
  // CHECK: arena chunks after: {{[0-9]+}}

  // An arena whose upstream hands out chunks off page alignment: each chunk
  // starts at a page boundary inside a larger block, and goes back whole.
  {
    skewed up;
    {
      tacit::arena a(up);
      bool fine = true;
      std::vector<int*> made;
      with_alloc(a) {
        for (int i = 0; i < 5000; ++i) made.push_back(new int[i % 50 + 1]);
      }
      for (int* p : made) fine = fine && aligned(p, 16) && tacit::owner_of(p) == &a;
      for (int* p : made) delete[] p;
      std::printf("arena on skewed: %s, upstream calls %s\n",
                  fine ? "aligned and owned" : "WRONG",
                  up.calls > 0 ? "made" : "none");
    }
    std::printf("arena on skewed: %zu live upstream after\n", up.live);
  }
  // CHECK: arena on skewed: aligned and owned, upstream calls made
  // CHECK-NEXT: arena on skewed: 0 live upstream after
}
