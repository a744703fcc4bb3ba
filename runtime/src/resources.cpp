// runtime/src/resources.cpp — global(), deny(), counting_resource.
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
    void* p = nullptr;
    if (align <= detail::default_new_align) {
      p = std::malloc(n);
    } else if (posix_memalign(&p, align, n) != 0) {
      p = nullptr;
    }
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

tracing_resource::tracing_resource(std::FILE* out) noexcept
    : upstream_(&current()), out_(out) {}

void* tracing_resource::do_allocate(std::size_t n, std::size_t align) {
  // Which with_alloc asked: the frame operator new is serving, if this call
  // comes from it (and not from a nested resource of ours).
  detail::frame* f = detail::tls_context.serving;
  if (f && f->resource != this) f = nullptr;
  char line[256];
  void* p;
  try {
    p = upstream_->allocate(n, align);
  } catch (...) {
    int len = std::snprintf(line, sizeof line,
                            "tacit: allocate %zu (align %zu) refused\n", n,
                            align);
    std::fwrite(line, 1, static_cast<std::size_t>(len), out_ ? out_ : stderr);
    throw;
  }
  int len;
  if (f)
    len = std::snprintf(line, sizeof line,
                        "tacit: allocate %zu (align %zu) -> %p for with_alloc "
                        "at %s:%u\n",
                        n, align, p, f->file, f->line);
  else
    len = std::snprintf(line, sizeof line,
                        "tacit: allocate %zu (align %zu) -> %p direct\n", n,
                        align, p);
  std::fwrite(line, 1, static_cast<std::size_t>(len < 0 ? 0 : len),
              out_ ? out_ : stderr);
  return p;
}

void tracing_resource::do_deallocate(void* p, std::size_t n,
                                     std::size_t align) {
  char line[128];
  int len = std::snprintf(line, sizeof line,
                          "tacit: deallocate %zu (align %zu) %p\n", n, align,
                          p);
  std::fwrite(line, 1, static_cast<std::size_t>(len < 0 ? 0 : len),
              out_ ? out_ : stderr);
  upstream_->deallocate(p, n, align);
}

}  // namespace tacit
