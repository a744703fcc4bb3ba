// runtime/src/free.cpp — the slow path of operator delete: who made this
// block, and sending it back there.
//
// operator delete (new_delete.cpp) handles inline the two common cases: a
// block of the global heap while nothing foreign is alive, and a block in the
// reserved range. Everything else comes here and asks, in order (after
// checked mode's check_free), the foreign block records (records.cpp), the
// chunks (pages.cpp: the range's page table, first buffers, the page map),
// and finally the global heap.
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <malloc.h>

#include <cstdlib>

#include "internal.hpp"

namespace tacit::detail {

alignas(64) constinit std::atomic<std::size_t> g_foreign_live{0};

void free_unowned(void* p) noexcept {
  fatal(
      "operator delete(%p): the pointer is inside the arena range but "
      "in no live chunk (a double free, or a pointer tacit never made)",
      p);
}

std::pmr::memory_resource* find_owner(const void* p) noexcept {
  if (std::pmr::memory_resource* r = record_owner(p)) return r;
  if (chunk* c = chunk_of(p)) {
    lane* l = c->holder.load(std::memory_order_acquire);
    return l ? l->of() : nullptr;
  }
  return &global();
}

void free_slow(void* p, std::size_t size, std::size_t align) noexcept {
  if (!p) return;
  if (TACIT_UNLIKELY(check_mode != 0) && !check_free(p, size, align)) return;
  block_record r;
  take_result found = take_record(p, size, r);
  if (found == take_result::taken) {
    serialised_call one_at_a_time(r.resource, serialised_call::if_shared);
    enclosing_context outside(r.resource);
    deallocate_aligned(r.resource, p, r.size, r.align, r.offset, r.asked);
    return;
  }
  if (chunk* c = chunk_of(p)) {
    // A block of an arena going back: records of foreign blocks inside it
    // (a resource that kept its memory there: a monotonic resource's buffer,
    // its chunk) are stale from now on, since the arena may hand this memory
    // out again at once (reuse).
    if (size != 0) forget_records_in(p, size);
    return chunk_free(c, p, size, align);
  }
  std::uintptr_t off;
  if (in_range(p, off)) free_unowned(p);
  // A block of the global heap. If foreign blocks lived inside it (their
  // resource kept its memory here and never freed them), forget them: the
  // address may come back from malloc for something else.
  std::size_t len = size ? size : malloc_usable_size(p);
  forget_records_in(p, len);
  if (TACIT_UNLIKELY(check_mode != 0)) {
    auto b = reinterpret_cast<std::uintptr_t>(p);
    check_forget(b, b + len);
  }
  std::free(p);
}

}  // namespace tacit::detail
