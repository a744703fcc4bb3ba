// A <tacit/alloc.hpp> older than the plugin's coroutine lowering, cut down
// to what test/plugin/CoroutineInScope-no-runtime.cpp needs: the scope
// classes and macros, no tacit::detail::coro_context / suspend_guard.
#pragma once
#include <memory_resource>

namespace tacit {
namespace detail {
class alloc_scope {
public:
  alloc_scope(std::pmr::memory_resource &, const char *, unsigned) noexcept {}
  ~alloc_scope() {}
};
class heap_scope {
public:
  heap_scope(const char *, unsigned) noexcept {}
  ~heap_scope() {}
};
} // namespace detail
} // namespace tacit

#define with_alloc(...)                                                        \
  if (::tacit::detail::alloc_scope tacit_scope_{(__VA_ARGS__), __FILE__,       \
                                                __LINE__};                     \
      false) {                                                                 \
  } else
