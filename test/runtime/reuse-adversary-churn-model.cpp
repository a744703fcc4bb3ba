// Arena reuse against a model: a long scope of random churn — sizes 1..2100,
// sized and unsized delete, new[]/delete[], aligned new (32/64/4096), pmr
// containers given the arena directly, arena.allocate(n, 1/2/4/8), a nested
// arena, a first-buffer arena, reset() with survivors — every live block
// keeps its fill pattern, is aligned as asked and overlaps no other live
// block; after everything is freed and the arenas are gone the ledger
// upstream holds nothing. Also with the debug-invariants runtime, and with
// reuse on under AddressSanitizer (poisoned waiting blocks).
// UNSUPPORTED: tacit-asan, tacit-check
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
// RUN: %clangxx -std=c++20 -O1 -DTACIT_DEBUG_INVARIANTS=1 %include %support %s %{runtime_srcs} -o %t.dbg -lpthread -ldl && %t.dbg | FileCheck %s
// RUN: %clangxx -std=c++20 -O1 -g -fsanitize=address -DTACIT_ASAN_REUSE=1 %include %support %s %{runtime_srcs} -o %t.asan -lpthread -ldl && %t.asan | FileCheck %s
// RUN: env TACIT_CHECK=1 %t 2>&1 | FileCheck %s --check-prefixes=CHECK,QUIET
// QUIET-NOT: tacit:
#include <tacit/alloc.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory_resource>
#include <new>
#include <string>
#include <vector>

#include "ledger.hpp"

namespace {

std::uint64_t rng = 0x9E3779B97F4A7C15ull;
std::uint64_t next() { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }

enum form { plain_sized, plain_unsized, array_sized, array_unsized, aligned_form, direct };
struct blk { char* p; std::size_t n, align; form f; unsigned char tag; };

// Model storage outside any scope: a fixed array (no operator new).
blk live[4096];
int nlive = 0;
int errors = 0;

void fill(const blk& b) { std::memset(b.p, b.tag, b.n); }
bool intact(const blk& b) {
  for (std::size_t i = 0; i < b.n; ++i) if (static_cast<unsigned char>(b.p[i]) != b.tag) return false;
  return true;
}

blk make(std::pmr::memory_resource& a) {
  blk b{};
  std::size_t r = next() % 100;
  b.n = r < 70 ? 1 + next() % 1024 : r < 90 ? 1 + next() % 64 : 1025 + next() % 1100;
  b.f = static_cast<form>(next() % 6);
  b.tag = static_cast<unsigned char>(1 + next() % 250);
  b.align = 16;
  switch (b.f) {
    case plain_sized: case plain_unsized: b.p = static_cast<char*>(::operator new(b.n)); break;
    case array_sized: case array_unsized: b.p = static_cast<char*>(::operator new[](b.n)); break;
    case aligned_form: {
      static const std::size_t al[] = {32, 64, 4096};
      b.align = al[next() % 3];
      b.p = static_cast<char*>(::operator new(b.n, std::align_val_t{b.align}));
      break;
    }
    case direct: {
      static const std::size_t al[] = {1, 2, 4, 8, 16};
      b.align = al[next() % 5];
      b.p = static_cast<char*>(a.allocate(b.n, b.align));
      break;
    }
  }
  return b;
}

void unmake(std::pmr::memory_resource& a, const blk& b) {
  switch (b.f) {
    case plain_sized: ::operator delete(b.p, b.n); break;
    case plain_unsized: ::operator delete(b.p); break;
    case array_sized: ::operator delete[](b.p, b.n); break;
    case array_unsized: ::operator delete[](b.p); break;
    case aligned_form: ::operator delete(b.p, b.n, std::align_val_t{b.align}); break;
    case direct: a.deallocate(b.p, b.n, b.align); break;
  }
}

void verify_all(const char* when) {
  for (int i = 0; i < nlive; ++i) {
    if (!intact(live[i])) { ++errors; std::printf("%s: block %p (%zu) OVERWRITTEN\n", when, (void*)live[i].p, live[i].n); }
    if (reinterpret_cast<std::uintptr_t>(live[i].p) % live[i].align) { ++errors; std::printf("%s: MISALIGNED\n", when); }
  }
  // overlap: sort a copy of the addresses
  static blk s[4096];
  std::copy(live, live + nlive, s);
  std::sort(s, s + nlive, [](const blk& x, const blk& y) { return x.p < y.p; });
  for (int i = 1; i < nlive; ++i)
    if (s[i - 1].p + s[i - 1].n > s[i].p) { ++errors; std::printf("%s: OVERLAP\n", when); }
}

void churn(std::pmr::memory_resource& a, int steps, int cap) {
  for (int s = 0; s < steps; ++s) {
    if (nlive < cap && (nlive == 0 || next() % 100 < 55)) {
      live[nlive] = make(a);
      fill(live[nlive]);
      ++nlive;
    } else {
      int i = static_cast<int>(next() % nlive);
      if (!intact(live[i])) { ++errors; std::printf("block OVERWRITTEN before free\n"); }
      unmake(a, live[i]);
      live[i] = live[--nlive];
    }
    if (s % 997 == 0) verify_all("churn");
  }
}

void free_all(std::pmr::memory_resource& a) {
  verify_all("end");
  while (nlive) { unmake(a, live[nlive - 1]); --nlive; }
}

}  // namespace

int main() {
  ledger up("upstream");
  {
    tacit::arena a(up);
    with_alloc(a) {
      churn(a, 20000, 400);
      // pmr containers given the arena directly, alongside the churn
      std::pmr::vector<char> vc(&a);
      std::pmr::string str(&a);
      std::pmr::unordered_map<int, std::pmr::string> um(&a);
      std::map<int, std::string> ref;
      for (int i = 0; i < 3000; ++i) {
        vc.push_back(static_cast<char>(i));
        str += static_cast<char>('a' + i % 26);
        um[i % 300] = std::pmr::string(i % 90, 'a' + i % 26, &a);
        ref[i % 300] = std::string(i % 90, 'a' + i % 26);
        if (i % 7 == 0) um.erase((i * 13) % 300), ref.erase((i * 13) % 300);
        if (i % 5 == 0) churn(a, 10, 400);
        if (i % 500 == 0) str.shrink_to_fit(), vc.shrink_to_fit();
      }
      bool same = um.size() == ref.size();
      for (auto& [k, v] : ref) same = same && um.count(k) && um.at(k) == v.c_str();
      for (int i = 0; i < 3000; ++i) same = same && vc[i] == static_cast<char>(i) && str[i] == 'a' + i % 26;
      std::printf("pmr containers on the arena: %s\n", same ? "match the heap" : "DIFFER");

      // a nested arena churning inside the outer one's scope
      {
        ledger* none = nullptr; (void)none;
        tacit::arena inner;  // upstream: a
        int saved = nlive;
        with_alloc(inner) { churn(inner, 5000, 200 + saved); }
        // free only the inner's blocks (those after `saved`)
        verify_all("inner");
        while (nlive > saved) { unmake(inner, live[nlive - 1]); --nlive; }
      }
      churn(a, 5000, 400);
      // reset with survivors: they stay valid, and reuse starts afresh
      std::vector<std::string*> survivors;
      without_alloc { survivors.reserve(64); }
      for (int i = 0; i < 64; ++i) survivors.push_back(new std::string(100 + i, 'S'));
      verify_all("before reset");
      free_all(a);
      a.reset();
      churn(a, 8000, 400);
      for (int i = 0; i < 64; ++i) if (*survivors[i] != std::string(100 + i, 'S')) ++errors;
      for (auto* s : survivors) delete s;
      free_all(a);
    }
    std::printf("arena: %zu allocations, %s reused\n", a.stats().allocations,
                a.stats().reused ? "some" : "none");
  }
  // a first-buffer arena with churn
  {
    alignas(64) static char buf[64 * 1024];
    tacit::arena b(buf, sizeof buf, up);
    with_alloc(b) { churn(b, 10000, 300); free_all(b); }
  }
  std::printf("errors: %d, upstream live: %zu\n", errors, up.live());
}
// CHECK: pmr containers on the arena: match the heap
// CHECK: arena: {{[0-9]+}} allocations, {{some|none}} reused
// CHECK: errors: 0, upstream live: 0
