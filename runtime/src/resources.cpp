// runtime/src/resources.cpp — global(), deny(), counting_resource, tracing_resource.
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <new>

#include "internal.hpp"

namespace tacit {
namespace {

// The program's malloc, whichever it is.
class global_resource final : public std::pmr::memory_resource {
  void* do_allocate(std::size_t n, std::size_t align) override {
    if (n == 0) n = 1;
    void* p = detail::heap_block(n, align);
    if (!p) throw std::bad_alloc();
    return p;
  }
  void do_deallocate(void* p, std::size_t, std::size_t) override {
    std::free(p);
  }
  bool do_is_equal(const memory_resource& o) const noexcept override {
    return this == &o;
  }
};

class deny_resource final : public std::pmr::memory_resource {
  void* do_allocate(std::size_t, std::size_t) override {
    throw std::bad_alloc();
  }
  void do_deallocate(void* p, std::size_t, std::size_t) override {
    detail::fatal("tacit::deny() was asked to free %p, which it never made", p);
  }
  bool do_is_equal(const memory_resource& o) const noexcept override {
    return this == &o;
  }
};

// Constant-initialised, never destroyed: usable from any static
// initialiser or destructor.
union global_storage {
  global_resource r;
  constexpr global_storage() : r() {}
  ~global_storage() {}
};
union deny_storage {
  deny_resource r;
  constexpr deny_storage() : r() {}
  ~deny_storage() {}
};
constinit global_storage g_global;
constinit deny_storage g_deny;

}  // namespace

std::pmr::memory_resource& global() noexcept { return g_global.r; }
std::pmr::memory_resource& deny() noexcept { return g_deny.r; }

counting_resource::counting_resource() noexcept : upstream_(&current()) {}

void* counting_resource::do_allocate(std::size_t n, std::size_t align) {
  void* p;
  try {
    p = upstream_->allocate(n, align);
  } catch (...) {
    failures_.fetch_add(1, std::memory_order_relaxed);
    throw;
  }
  allocations_.fetch_add(1, std::memory_order_relaxed);
  bytes_.fetch_add(n, std::memory_order_relaxed);
  std::size_t live = live_bytes_.fetch_add(n, std::memory_order_relaxed) + n;
  std::size_t peak = peak_bytes_.load(std::memory_order_relaxed);
  while (live > peak && !peak_bytes_.compare_exchange_weak(
                            peak, live, std::memory_order_relaxed)) {
  }
  return p;
}

void counting_resource::do_deallocate(void* p, std::size_t n,
                                      std::size_t align) {
  upstream_->deallocate(p, n, align);
  deallocations_.fetch_add(1, std::memory_order_relaxed);
  live_bytes_.fetch_sub(n, std::memory_order_relaxed);
}

counting_resource::statistics counting_resource::stats() const noexcept {
  return {allocations_.load(std::memory_order_relaxed),
          deallocations_.load(std::memory_order_relaxed),
          bytes_.load(std::memory_order_relaxed),
          live_bytes_.load(std::memory_order_relaxed),
          peak_bytes_.load(std::memory_order_relaxed),
          failures_.load(std::memory_order_relaxed)};
}

namespace {
// Writes one formatted line with one fwrite; a line longer than the buffer
// (a long __FILE__) is cut, never read past.
__attribute__((format(printf, 2, 3))) void trace_line(std::FILE* out,
                                                      const char* fmt, ...) {
  char line[512];
  va_list args;
  va_start(args, fmt);
  int len = std::vsnprintf(line, sizeof line, fmt, args);
  va_end(args);
  if (len < 0) return;
  std::size_t n = static_cast<std::size_t>(len);
  if (n >= sizeof line) {
    n = sizeof line - 1;
    line[n - 1] = '\n';
  }
  std::fwrite(line, 1, n, out ? out : stderr);
}
}  // namespace

tracing_resource::tracing_resource(std::FILE* out) noexcept
    : upstream_(&current()), out_(out) {}

void* tracing_resource::do_allocate(std::size_t n, std::size_t align) {
  // Which with_alloc asked: the frame operator new is serving, if this call
  // comes from it (and not from a nested resource of ours).
  detail::frame* f = detail::tls_context.serving;
  if (f && f->resource != this) f = nullptr;
  void* p;
  try {
    p = upstream_->allocate(n, align);
  } catch (...) {
    trace_line(out_, "tacit: allocate %zu (align %zu) refused\n", n, align);
    throw;
  }
  if (f)
    trace_line(out_,
               "tacit: allocate %zu (align %zu) -> %p for with_alloc at "
               "%s:%u\n",
               n, align, p, f->file, f->line);
  else
    trace_line(out_, "tacit: allocate %zu (align %zu) -> %p direct\n", n, align,
               p);
  return p;
}

void tracing_resource::do_deallocate(void* p, std::size_t n,
                                     std::size_t align) {
  trace_line(out_, "tacit: deallocate %zu (align %zu) %p\n", n, align, p);
  upstream_->deallocate(p, n, align);
}

}  // namespace tacit
