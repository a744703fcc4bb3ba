// runtime/src/new_delete.cpp — the replaceable operator new / delete family.
//
// Every form ([new.delete]: plain, array, nothrow, align_val_t, sized)
// funnels into two paths:
//
//   allocate: no scope open (tls_context.top is null) -> malloc, or the
//             preloaded allocator's own operator new (below). That test is
//             the whole cost a program pays for linking the runtime. In a
//             scope: a tacit::arena serves inline (a freed block of the size
//             from its lane's free lists, else the bump); the global heap
//             (without_alloc) mallocs; any other resource is called in its
//             enclosing context and a record of the block is kept. (With
//             TACIT_STATS a thread's top is never null once it has its
//             bottom frame — the first thread from the start, others from
//             their first counted allocation — and arenas never serve
//             inline: every allocation reaches an out-of-line path below,
//             which counts it.)
//   free:     nothing foreign alive and the pointer outside the reserved range
//             -> free() (or the preloaded allocator's delete). In the range:
//             the page table names the chunk, and the block goes back to the
//             lane holding it (the bump, its free lists, or its mailbox from
//             another thread) or, let go, counts in its chunk. Otherwise the
//             slow path asks the records.
//
// The fast paths are kept short and inlined; everything rare is out of line.
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <dlfcn.h>
#include <malloc.h>

#include <cstdlib>
#include <cstring>
#include <new>

#include "internal.hpp"
#include <tacit/testing.hpp>

using tacit::detail::frame;

namespace tacit::detail {

// The no-scope path of a program that preloads (or links before the runtime)
// mimalloc, tcmalloc or jemalloc: their own operator new / delete, which are
// faster than their malloc / free behind the C++ library's layer. Found once
// at start-up; null otherwise (glibc: malloc directly is the fastest way, and
// the C++ library's operator new only adds a layer). Blocks from either are
// one heap: the allocator's malloc is the program's malloc.
struct next_heap {
  void* (*new_)(std::size_t);
  // noexcept, as every operator delete is: operator delete's path to them
  // is then a jump, with no stack frame.
  void (*delete_)(void*) noexcept;
  void (*sized_delete)(void*, std::size_t) noexcept;
  const char* library;
};
constinit next_heap g_next{nullptr, nullptr, nullptr, nullptr};

namespace {

__attribute__((constructor(101))) void find_next_heap() noexcept {
  if (std::getenv("TACIT_NO_FORWARD")) return;
  void* nw = dlsym(RTLD_NEXT, "_Znwm");
  void* del = dlsym(RTLD_NEXT, "_ZdlPv");
  void* sized = dlsym(RTLD_NEXT, "_ZdlPvm");
  Dl_info info;
  if (!nw || !del || !sized || !dladdr(nw, &info) || !info.dli_fname) return;
  const char* lib = info.dli_fname;
  if (!std::strstr(lib, "mimalloc") && !std::strstr(lib, "tcmalloc") &&
      !std::strstr(lib, "jemalloc"))
    return;
  g_next = {reinterpret_cast<void* (*)(std::size_t)>(nw),
            reinterpret_cast<void (*)(void*) noexcept>(del),
            reinterpret_cast<void (*)(void*, std::size_t) noexcept>(sized),
            lib};
}

// The global heap, honouring any alignment, with the new_handler loop the
// standard asks of operator new. `f`: the global-heap frame in context, or
// null (no scope open).
TACIT_NOINLINE void* heap_allocate(frame* f, std::size_t n, std::size_t align,
                                   bool nothrow) {
  if (n == 0) n = 1;
  // (A thread's bottom frame is no scope: failure injection counts only
  // allocations made in one, as without TACIT_STATS.)
  if (f && !is_bottom(f) && TACIT_UNLIKELY(inject_failure())) {
    if (nothrow) return nullptr;
    throw std::bad_alloc();
  }
  for (;;) {
    void* p = heap_block(n, align);
    if (TACIT_LIKELY(p != nullptr)) {
      if (f && TACIT_UNLIKELY(stats_mode != 0)) stats_count(f, n);
      return p;
    }
    std::new_handler handler = std::get_new_handler();
    if (!handler) {
      if (nothrow) return nullptr;
      throw std::bad_alloc();
    }
    if (nothrow) {
      try {
        handler();
      } catch (...) {
        return nullptr;
      }
    } else {
      handler();
    }
  }
}

// A foreign resource: called in its enclosing context (so its own upstream
// calls do not come back here), and recorded so the free finds it. A block
// less aligned than operator new promises is aligned inside a larger one
// (allocate_aligned), and the record remembers where it starts.
TACIT_NOINLINE void* resource_allocate(frame* f, std::size_t n,
                                       std::size_t align, bool nothrow) {
  if (n == 0) n = 1;  // distinct blocks for zero-size requests
  std::pmr::memory_resource* r = f->resource;
  resource_block got;
  try {
    serialised_call one_at_a_time(r, serialised_call::if_shared);
    enclosing_context outside(f);
    if (TACIT_UNLIKELY(inject_failure())) throw std::bad_alloc();
    got = allocate_aligned(r, n, align);
  } catch (...) {
    if (nothrow) return nullptr;
    throw;
  }
  void* p = got.p;
  if (TACIT_UNLIKELY(
          !add_record(p, {r, n, align, nullptr, got.offset, got.asked}))) {
    // No memory for the record: the block goes back, and operator new fails
    // as if the resource had refused.
    {
      serialised_call one_at_a_time(r, serialised_call::if_shared);
      enclosing_context outside(r);
      deallocate_aligned(r, p, n, align, got.offset, got.asked);
    }
    if (nothrow) return nullptr;
    throw std::bad_alloc();
  }
  if (TACIT_UNLIKELY(check_mode != 0)) check_alloc(p, n, align, r, f, false);
  if (TACIT_UNLIKELY(stats_mode != 0)) stats_count(f, n);
  return p;
}

// A tacit::arena's inline path failed: no freed block of the size and the
// chunk is full, a request over 1 KiB while blocks wait in the large lists,
// or arenas_slow() (checked mode, the report, failure injection) keeps every
// arena allocation out of line.
TACIT_NOINLINE void* arena_refill(frame* f, std::size_t n, std::size_t align,
                                  bool nothrow) {
  if (n == 0) n = 1;  // distinct blocks for zero-size requests (try_bump
                      // leaves them here)
  lane& l = *f->fast;
  void* p;
  if (!nothrow) {
    p = arena_access::refill(l, n, align);
  } else {
    try {
      p = arena_access::refill(l, n, align);
    } catch (...) {
      return nullptr;
    }
  }
  if (TACIT_UNLIKELY(stats_mode != 0)) stats_count(f, n);
  return p;
}

// (A zero-size request is made one byte by the out-of-line paths each: the
// inline one leaves it to them.)
TACIT_INLINE void* scoped_allocate(frame* f, std::size_t n, std::size_t align,
                                   bool nothrow) {
  if (TACIT_LIKELY(f->fast != nullptr)) {
    if (void* p = arena_access::try_bump(*f->fast, n, align)) return p;
    return arena_refill(f, n, align, nothrow);
  }
  if (!f->resource) return heap_allocate(f, n, align, nothrow);
  return resource_allocate(f, n, align, nothrow);
}

// No scope, throwing forms, glibc's heap: malloc, and the new_handler loop
// if it fails. Out of line, so that operator new's own no-scope path needs
// no stack frame and ends in a jump (here, or the preloaded allocator's
// operator new).
TACIT_NOINLINE void* unscoped_new(std::size_t n) {
  void* p = std::malloc(n);
  if (TACIT_LIKELY(p != nullptr)) return p;
  return heap_allocate(nullptr, n, default_new_align, false);
}

TACIT_INLINE void* allocate(std::size_t n, std::size_t align, bool nothrow) {
  // operator new's promise: at least __STDCPP_DEFAULT_NEW_ALIGNMENT__, an
  // align_val_t below it included (libstdc++'s new_delete_resource passes
  // the alignment its caller asked, 1 for a pmr::vector<char>). Every arena
  // block so starts 16-aligned, which reuse relies on.
  if (align < default_new_align) align = default_new_align;
  frame* f = tls_context.top;
  if (TACIT_LIKELY(f == nullptr)) {
    if (align <= default_new_align) {
      // Throwing forms only: the allocator's operator new runs its own
      // new_handler loop and throws as the standard asks.
      if (!nothrow) return g_next.new_ ? g_next.new_(n) : unscoped_new(n);
      void* p = std::malloc(n);
      if (TACIT_LIKELY(p != nullptr)) return p;
    }
    return heap_allocate(nullptr, n, align, nothrow);
  }
  return scoped_allocate(f, n, align, nothrow);
}

TACIT_INLINE void free_in_range(void* p, std::uintptr_t off, std::size_t align,
                                std::size_t size) noexcept {
  chunk* c =
      g_range.page_owner[off >> page_shift].load(std::memory_order_acquire);
  if (TACIT_UNLIKELY(c == nullptr)) free_unowned(p);
  chunk_free(c, p, size, align);
}

}  // namespace

// `size`: the size the caller knows, or 0; `align`: the alignment the
// delete form implies, or 0 (unknown): forwarding to a preloaded
// allocator, reuse and checked mode read it.
TACIT_INLINE void free_block(void* p, std::size_t size,
                             std::size_t align) noexcept {
  if (TACIT_LIKELY(g_foreign_live.load(std::memory_order_relaxed) == 0)) {
    std::uintptr_t off;
    if (TACIT_LIKELY(!in_range(p, off))) {
      // The preloaded allocator's delete for the blocks of its own new's
      // alignment (a sized free of an over-aligned block must not reach a
      // plain sized delete); free() for the rest.
      if (g_next.delete_ && align <= default_new_align) {
        if (size)
          g_next.sized_delete(p, size);
        else
          g_next.delete_(p);
        return;
      }
      std::free(p);
      return;
    }
    return free_in_range(p, off, align, size);
  }
  free_slow(p, size, align);
}

void route_free(void* p, std::size_t size, std::size_t align) noexcept {
  free_block(p, size, align);
}

}  // namespace tacit::detail

using tacit::detail::allocate;
using tacit::detail::default_new_align;
using tacit::detail::free_block;

// ---------------------------------------------------------------------------
// The replaceable global allocation functions.

void* operator new(std::size_t n) {
  return allocate(n, default_new_align, false);
}
void* operator new[](std::size_t n) {
  return allocate(n, default_new_align, false);
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  return allocate(n, default_new_align, true);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  return allocate(n, default_new_align, true);
}
void* operator new(std::size_t n, std::align_val_t a) {
  return allocate(n, static_cast<std::size_t>(a), false);
}
void* operator new[](std::size_t n, std::align_val_t a) {
  return allocate(n, static_cast<std::size_t>(a), false);
}
void* operator new(std::size_t n, std::align_val_t a,
                   const std::nothrow_t&) noexcept {
  return allocate(n, static_cast<std::size_t>(a), true);
}
void* operator new[](std::size_t n, std::align_val_t a,
                     const std::nothrow_t&) noexcept {
  return allocate(n, static_cast<std::size_t>(a), true);
}

// The alignment a delete form implies: its align_val_t, or the default for
// the others. Checked mode compares it with the block's; an arena reuses a
// block, and the no-scope path forwards to a preloaded allocator's delete,
// only when it is at most the default.
void operator delete(void* p) noexcept { free_block(p, 0, default_new_align); }
void operator delete[](void* p) noexcept { free_block(p, 0, default_new_align); }
void operator delete(void* p, const std::nothrow_t&) noexcept {
  free_block(p, 0, default_new_align);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  free_block(p, 0, default_new_align);
}
void operator delete(void* p, std::size_t n) noexcept {
  free_block(p, n, default_new_align);
}
void operator delete[](void* p, std::size_t n) noexcept {
  free_block(p, n, default_new_align);
}
void operator delete(void* p, std::align_val_t a) noexcept {
  free_block(p, 0, static_cast<std::size_t>(a));
}
void operator delete[](void* p, std::align_val_t a) noexcept {
  free_block(p, 0, static_cast<std::size_t>(a));
}
void operator delete(void* p, std::align_val_t a,
                     const std::nothrow_t&) noexcept {
  free_block(p, 0, static_cast<std::size_t>(a));
}
void operator delete[](void* p, std::align_val_t a,
                       const std::nothrow_t&) noexcept {
  free_block(p, 0, static_cast<std::size_t>(a));
}
void operator delete(void* p, std::size_t n, std::align_val_t a) noexcept {
  free_block(p, n, static_cast<std::size_t>(a));
}
void operator delete[](void* p, std::size_t n, std::align_val_t a) noexcept {
  free_block(p, n, static_cast<std::size_t>(a));
}

const char* tacit::testing::forwarded_heap() noexcept {
  return tacit::detail::g_next.library;
}
