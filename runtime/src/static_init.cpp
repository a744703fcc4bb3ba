// runtime/src/static_init.cpp — function-local statics initialise on the
// global heap.
//
// A cache or singleton first reached inside with_alloc(arena) must not land
// in the arena. The Itanium C++ ABI brackets every thread-safe initialisation
// of a function-local static with __cxa_guard_acquire / _release (or _abort
// on an exception). The runtime interposes these three, forwards to the C++
// library's own, and keeps the global heap in context in between.
//
// (Statics initialised with -fno-threadsafe-statics, and function-local
// thread_local objects, do not go through the guard: see docs/reference.md,
// "Limits and decisions".)
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <dlfcn.h>

#include <cstdint>

#include "internal.hpp"

namespace {

using acquire_fn = int (*)(std::uint64_t*);
using release_fn = void (*)(std::uint64_t*);

// Resolved on first use; a race only resolves the same address twice.
std::atomic<acquire_fn> real_acquire{nullptr};
std::atomic<release_fn> real_release{nullptr};
std::atomic<release_fn> real_abort{nullptr};

template <class F>
F resolve(std::atomic<F>& slot, const char* name) noexcept {
  F f = slot.load(std::memory_order_acquire);
  if (!f) {
    f = reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
    if (!f)
      tacit::detail::fatal(
          "cannot find the C++ library's %s (is the program "
          "linked statically?)",
          name);
    slot.store(f, std::memory_order_release);
  }
  return f;
}

// Initialisations nest (an initialiser may reach another static); each one
// in progress holds a heap frame here.
constexpr int max_nesting = 32;
thread_local tacit::detail::frame t_frames[max_nesting]
    __attribute__((tls_model("initial-exec")));
thread_local int t_depth __attribute__((tls_model("initial-exec")));

void enter() noexcept {
  int d = t_depth++;
  if (d >= max_nesting) return;
  tacit::detail::frame& f = t_frames[d];
  f = {nullptr, nullptr, nullptr, "(static initialisation)", 0};
  tacit::detail::push(f);
}

void leave() noexcept {
  int d = --t_depth;
  if (d >= max_nesting || d < 0) return;
  tacit::detail::pop(t_frames[d]);
}

}  // namespace

extern "C" {

int __cxa_guard_acquire(std::uint64_t* guard) {
  int first = resolve(real_acquire, "__cxa_guard_acquire")(guard);
  if (first) enter();
  return first;
}

void __cxa_guard_release(std::uint64_t* guard) noexcept {
  resolve(real_release, "__cxa_guard_release")(guard);
  leave();
}

void __cxa_guard_abort(std::uint64_t* guard) noexcept {
  resolve(real_abort, "__cxa_guard_abort")(guard);
  leave();
}

}  // extern "C"
