// runtime/src/serialise.cpp — resources several threads use, called one
// thread at a time.
//
// A std::pmr resource is usually not thread-safe (unsynchronized_pool_
// resource, monotonic_buffer_resource, most of a user's). When tacit::bind
// carries one into other threads, or the lanes of an arena on several
// threads take their chunks from it, Tacit makes every call it makes into
// the resource's own code hold that resource's lock: a recursive spinlock
// (a resource's allocate may reach operator new, and through an enclosing
// scope of the same resource, itself). The locks live in a table keyed by
// the resource's address; an entry is never removed (a resource made later
// at the same address is locked too, which costs only the lock). Resources
// known to be thread-safe take no lock.
//
// operator new and delete look the table up only once some resource has been
// carried to another thread (g_shared_resources != 0): a program that never
// does pays one load of a global on its foreign-resource paths.
#include <sched.h>

#include <typeinfo>

#include "internal.hpp"

namespace tacit::detail {

alignas(64) constinit std::atomic<std::size_t> g_shared_resources{0};

struct resource_lock {
  std::atomic<const std::pmr::memory_resource*> key{nullptr};
  std::atomic<bool> ready{false};   // `safe` is written
  std::atomic<bool> shared{false};  // carried to another thread
  bool safe = false;                // known thread-safe: no lock
  std::atomic<std::uintptr_t> holder{0};
  unsigned depth = 0;
};

namespace {

constexpr std::size_t table_size = 4096;
constinit resource_lock g_table[table_size];
// When the table is full: one lock for every resource not in it.
constinit resource_lock g_overflow;

std::size_t slot(const void* r) noexcept {
  return (reinterpret_cast<std::uintptr_t>(r) * 0x9E3779B97F4A7C15ull) >> 52;
}

resource_lock* find(const std::pmr::memory_resource* r, bool insert) noexcept {
  for (std::size_t i = 0, at = slot(r); i < table_size;
       ++i, at = (at + 1) & (table_size - 1)) {
    resource_lock& e = g_table[at];
    const std::pmr::memory_resource* k = e.key.load(std::memory_order_acquire);
    if (k == r) {
      while (!e.ready.load(std::memory_order_acquire)) __builtin_ia32_pause();
      return &e;
    }
    if (k == nullptr) {
      if (!insert) return nullptr;
      if (e.key.compare_exchange_strong(k, r, std::memory_order_acq_rel)) {
        e.safe = known_thread_safe(r);
        e.ready.store(true, std::memory_order_release);
        return &e;
      }
      if (k == r) {
        while (!e.ready.load(std::memory_order_acquire)) __builtin_ia32_pause();
        return &e;
      }
    }
  }
  if (!insert) return &g_overflow;  // (any resource may be behind it)
  g_overflow.shared.store(true, std::memory_order_relaxed);
  return &g_overflow;
}

void lock(resource_lock& e) noexcept {
  std::uintptr_t me = thread_token();
  if (e.holder.load(std::memory_order_relaxed) == me) {
    ++e.depth;
    return;
  }
  for (unsigned spins = 0;; ++spins) {
    std::uintptr_t free = 0;
    if (e.holder.load(std::memory_order_relaxed) == 0 &&
        e.holder.compare_exchange_weak(free, me, std::memory_order_acquire))
      break;
    // A resource's call may be long (its upstream, a system call): spin a
    // little, then give the processor away.
    if (spins < 64)
      __builtin_ia32_pause();
    else
      sched_yield();
  }
  e.depth = 1;
}

}  // namespace

bool known_thread_safe(const std::pmr::memory_resource* r) noexcept {
  if (r == &global() || r == &deny() ||
      r == std::pmr::new_delete_resource() ||
      r == std::pmr::null_memory_resource())
    return true;
  const std::type_info& t = typeid(*r);
  return t == typeid(arena) || t == typeid(std::pmr::synchronized_pool_resource);
}

void mark_shared(std::pmr::memory_resource* r) noexcept {
  resource_lock* e = find(r, true);
  if (e->safe || e->shared.load(std::memory_order_relaxed)) return;
  e->shared.store(true, std::memory_order_relaxed);
  g_shared_resources.fetch_add(1, std::memory_order_acq_rel);
}

resource_lock* lock_always(const std::pmr::memory_resource* r) noexcept {
  resource_lock* e = find(r, true);
  if (e->safe) return nullptr;
  lock(*e);
  return e;
}

resource_lock* lock_if_shared(const std::pmr::memory_resource* r) noexcept {
  resource_lock* e = find(r, false);
  if (!e || e->safe || !e->shared.load(std::memory_order_acquire))
    return nullptr;
  lock(*e);
  return e;
}

void unlock(resource_lock* e) noexcept {
  if (--e->depth == 0) e->holder.store(0, std::memory_order_release);
}

}  // namespace tacit::detail
