// runtime/src/os.cpp — virtual memory, lines on stderr (write_line,
// type_name), fatal errors and broken invariants, AddressSanitizer and
// LeakSanitizer hooks.
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <sys/mman.h>

#include <cxxabi.h>
#include <unistd.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <typeinfo>

#include "internal.hpp"

extern "C" {
void __lsan_register_root_region(const void*, std::size_t)
    __attribute__((weak));
void __lsan_unregister_root_region(const void*, std::size_t)
    __attribute__((weak));
}

namespace tacit::detail {

void* os_reserve(std::size_t size) noexcept {
  void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}

void os_discard(void* p, std::size_t size) noexcept {
  madvise(p, size, MADV_DONTNEED);
}

void os_unreserve(void* p, std::size_t size) noexcept { munmap(p, size); }

void fatal(const char* fmt, ...) noexcept {
  char buf[512];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, args);
  va_end(args);
  std::fprintf(stderr, "tacit: %s\n", buf);
  std::fflush(stderr);
  std::abort();
}

void write_line(const char* prefix, const char* fmt, va_list args) noexcept {
  char buf[2048];
  int n = std::snprintf(buf, sizeof buf, "%s", prefix);
  if (n < 0 || static_cast<std::size_t>(n) > sizeof buf - 2) n = 0;
  int m = std::vsnprintf(buf + n, sizeof buf - n - 1, fmt, args);
  std::size_t len = static_cast<std::size_t>(n) +
                    std::min<std::size_t>(m < 0 ? 0 : m, sizeof buf - n - 2);
  buf[len++] = '\n';
  for (std::size_t done = 0; done < len;) {
    ssize_t w = ::write(2, buf + done, len - done);
    if (w <= 0) break;
    done += static_cast<std::size_t>(w);
  }
}

void type_name(const std::type_info& t, char* out, std::size_t size) noexcept {
  int status = 0;
  char* nice = abi::__cxa_demangle(t.name(), nullptr, nullptr, &status);
  std::snprintf(out, size, "%s", status == 0 && nice ? nice : t.name());
  std::free(nice);
  // libstdc++'s inline namespace is noise here.
  if (char* v = std::strstr(out, "::__cxx11"))
    std::memmove(v, v + 9, std::strlen(v + 9) + 1);
}

void invariant_broken(const char* cond, const char* file, int line) noexcept {
  fatal("invariant broken: %s (%s:%d); the runtime's bookkeeping is corrupt "
        "(a double free or a wild pointer freed, or a runtime bug)",
        cond, file, line);
}

void asan_poison(const void* p, std::size_t n) noexcept {
  if (&__asan_poison_memory_region != nullptr && n != 0)
    __asan_poison_memory_region(p, n);
}

void asan_unpoison(const void* p, std::size_t n) noexcept {
  if (&__asan_unpoison_memory_region != nullptr && n != 0)
    __asan_unpoison_memory_region(p, n);
}

void lsan_add_root(const void* p, std::size_t n) noexcept {
  if (&__lsan_register_root_region != nullptr)
    __lsan_register_root_region(p, n);
}

void lsan_remove_root(const void* p, std::size_t n) noexcept {
  if (&__lsan_unregister_root_region != nullptr)
    __lsan_unregister_root_region(p, n);
}

}  // namespace tacit::detail
