// runtime/src/serialise.cpp — resources several threads use, called one
// thread at a time.
//
// A std::pmr resource is usually not thread-safe (unsynchronized_pool_
// resource, monotonic_buffer_resource, most of a user's). When tacit::bind
// carries one into other threads, or the lanes of an arena on several
// threads take their chunks from it, Tacit makes every call it makes into
// such a resource's own code — operator new's and delete's, an arena's
// chunks — hold one lock: recursive (a resource's allocate may reach
// operator new again, in the scope around it, and so another shared
// resource, or the same one), and one for all of them (with a lock per
// resource, two threads entering two nested resources in opposite orders
// would each hold one and wait for the other's). Resources known to be
// thread-safe take no lock; whether one is is decided at each call, by its
// type (a resource made later at the same address may be another kind).
//
// Which resources are shared: a table of addresses, marked when bind carries
// a resource or an arena's chunk call reaches it; an entry is never removed
// (a resource made later at the same address is locked too, which costs only
// the lock). operator new and delete look the table up only once some
// resource has been marked (g_shared_resources != 0): a program that never
// shares one pays one load of a global on its foreign-resource paths.
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <sched.h>

#include <typeinfo>

#include "containers.hpp"
#include "internal.hpp"

namespace tacit::detail {

alignas(64) constinit std::atomic<std::size_t> g_shared_resources{0};

namespace {

// The one lock: the holding thread's token, and how deep it holds it.
struct alignas(64) recursive_lock {
  std::atomic<std::uintptr_t> holder{0};
  unsigned depth = 0;
};
constinit recursive_lock g_call_lock;

void lock() noexcept {
  std::uintptr_t me = thread_token();
  if (g_call_lock.holder.load(std::memory_order_relaxed) == me) {
    ++g_call_lock.depth;
    return;
  }
  for (unsigned spins = 0;; ++spins) {
    std::uintptr_t free = 0;
    if (g_call_lock.holder.load(std::memory_order_relaxed) == 0 &&
        g_call_lock.holder.compare_exchange_weak(free, me,
                                                 std::memory_order_acquire))
      break;
    // A resource's call may be long (its upstream, a system call): spin a
    // little, then give the processor away.
    if (spins < 64)
      __builtin_ia32_pause();
    else
      sched_yield();
  }
  g_call_lock.depth = 1;
}

// Marked resources, by address (open addressing; never removed).
constexpr std::size_t table_size = 4096;
constinit std::atomic<const std::pmr::memory_resource*> g_marked[table_size];
// The table is full: every resource not known to be thread-safe is locked.
constinit std::atomic<bool> g_overflow{false};

std::size_t slot(const void* r) noexcept {
  return (reinterpret_cast<std::uintptr_t>(r) * fibonacci_multiplier) >> 52;
}

bool marked(const std::pmr::memory_resource* r) noexcept {
  if (g_overflow.load(std::memory_order_acquire)) return true;
  for (std::size_t i = 0, at = slot(r); i < table_size;
       ++i, at = (at + 1) & (table_size - 1)) {
    const std::pmr::memory_resource* k = g_marked[at].load(std::memory_order_acquire);
    if (k == r) return true;
    if (k == nullptr) return false;
  }
  return false;
}

// Marks `r` (not known to be thread-safe) shared: in the table, or, when the
// table is full, every such resource.
void mark(const std::pmr::memory_resource* r) noexcept {
  for (std::size_t i = 0, at = slot(r); i < table_size;
       ++i, at = (at + 1) & (table_size - 1)) {
    const std::pmr::memory_resource* k = g_marked[at].load(std::memory_order_acquire);
    if (k == r) return;
    if (k == nullptr &&
        g_marked[at].compare_exchange_strong(k, r, std::memory_order_acq_rel)) {
      g_shared_resources.fetch_add(1, std::memory_order_acq_rel);
      return;
    }
    if (k == r) return;
  }
  if (!g_overflow.exchange(true, std::memory_order_acq_rel))
    g_shared_resources.fetch_add(1, std::memory_order_acq_rel);
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
  // An arena carried to another thread is thread-safe itself, but the lane
  // it gets there takes chunks from its upstream (or that arena's upstream):
  // marked now, on the thread that carries it, so this thread's own calls
  // into that resource lock from here on too.
  while (typeid(*r) == typeid(arena)) r = &static_cast<arena*>(r)->upstream();
  if (!known_thread_safe(r)) mark(r);
}

bool lock_always(const std::pmr::memory_resource* r) noexcept {
  if (known_thread_safe(r)) return false;
  // From now on operator new's and delete's calls into it are serialised
  // too: other threads reach it through the lanes that take chunks from it.
  mark(r);
  lock();
  return true;
}

bool lock_if_shared(const std::pmr::memory_resource* r) noexcept {
  if (!marked(r) || known_thread_safe(r)) return false;
  lock();
  return true;
}

void unlock_call() noexcept {
  if (--g_call_lock.depth == 0)
    g_call_lock.holder.store(0, std::memory_order_release);
}

}  // namespace tacit::detail
