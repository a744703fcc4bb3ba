// runtime/src/context.cpp — the per-thread context stack.
//
// Each thread's stack is a linked list of frames living in the scope objects
// that with_alloc / without_alloc declare; `tls_context.top` is the innermost.
// Opening a scope is two stores, and nothing here allocates.
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <typeinfo>

#include "internal.hpp"

namespace tacit::detail {

thread_local constinit thread_context tls_context
    __attribute__((tls_model("initial-exec"))) = {nullptr, nullptr, nullptr, nullptr};

void open(frame& f, std::pmr::memory_resource* r) noexcept {
  if (!r)
    fatal("with_alloc(nullptr) at %s:%u: the resource pointer is null", f.file,
          f.line);
  if (r == &global()) {
    f.resource = nullptr;  // the global heap: like without_alloc
  } else {
    f.resource = r;
    if (typeid(*r) == typeid(arena)) use_lane(f, *static_cast<arena*>(r));
  }
  push(f);
}

void scope_ended(frame& f) noexcept {
  // (A detached frame's coroutine is suspended and being destroyed: the
  // frame is on no thread's stack, and left its lane when it suspended.)
  if (!(f.flags & frame_flag::detached)) {
    pop(f);
    if (f.flags & frame_flag::entered) arena_access::leave(*f.fast);
  }
  if (f.flags & frame_flag::tracked) check_scope_ended(f);
  if (f.flags & frame_flag::captured) scope_cell_ended(f.cell);
  f.flags = 0;
}

enclosing_context::enclosing_context(std::pmr::memory_resource* r) noexcept
    : saved_(tls_context.top), saved_serving_(tls_context.serving) {
  frame* f = saved_;
  frame* outermost = nullptr;
  while (f && f->resource != r) {
    outermost = f;
    f = f->prev;
  }
  // Outside every scope is the thread's bottom frame, when it has one
  // (TACIT_STATS): the resource's own allocations are counted there.
  tls_context.top =
      f ? f->prev : (outermost && is_bottom(outermost) ? outermost : nullptr);
}

context_snapshot context_snapshot::capture() noexcept {
  context_snapshot s;
  frame* chain[max_depth];
  int n = 0;
  // (A bottom frame is no scope: not carried; the thread running the
  // callable has its own.)
  for (frame* f = tls_context.top; f && !is_bottom(f) && n < max_depth;
       f = f->prev)
    chain[n++] = f;
  for (int i = 0; i < n; ++i) {
    frame* f = chain[n - 1 - i];  // outermost first
    arena* a = f->fast ? f->fast->of() : nullptr;
    if (!a && f->resource && typeid(*f->resource) == typeid(arena))
      a = static_cast<arena*>(f->resource);  // (no lane: memory ran out)
    s.entries[i] = {f->resource, a, f->file, f->line};
    // Another resource (or an arena's upstream) may be called from several
    // threads from now on: one at a time (serialise.cpp).
    if (f->resource) mark_shared(f->resource);
  }
  s.depth = n;
  capture_users(s);
  return s;
}

context_snapshot::replay::replay(const context_snapshot& s) noexcept
    : saved_(tls_context.top) {
  frame* prev = nullptr;
  if (TACIT_UNLIKELY(stats_mode != 0)) {
    // The replayed chain sits on this thread's bottom frame, which stays
    // when the replay ends (the thread is counted from here on).
    prev = stats_bottom();
    if (!saved_) saved_ = prev;
  }
  for (int i = 0; i < s.depth; ++i) {
    const entry& e = s.entries[i];
    frames_[i] = {e.resource, nullptr, prev, e.file, e.line, frame_flag::copy,
                  nullptr, nullptr};
    // Inside the arena on another thread than the one that made it: the
    // thread owns its lane meanwhile, and reset() and the destructor refuse
    // to run.
    if (e.fast_arena) use_lane(frames_[i], *e.fast_arena);
    prev = &frames_[i];
  }
  tls_context.top = prev;
  depth_ = s.depth;
  user_count_ = replay_users(s, user_frames_);
}

void context_snapshot::replay::end() noexcept {
  for (int i = 0; i < depth_; ++i) {
    frame& f = frames_[i];
    if (f.flags & frame_flag::entered) arena_access::leave(*f.fast);
    // (A coroutine made in the callable captured it: the copy ends here.)
    if (f.flags & frame_flag::captured) scope_cell_ended(f.cell);
  }
}

}  // namespace tacit::detail

namespace tacit {

std::pmr::memory_resource* owner_of(const void* p) noexcept {
  return detail::find_owner(p);
}

scope::~scope() {
  // (Detached: its coroutine is suspended, and being destroyed.)
  if (detail::tls_context.top != &f_ &&
      !(f_.flags & detail::frame_flag::detached))
    detail::fatal(
        "tacit::scope opened at %s:%u ended out of order: a scope opened "
        "inside it is still open, or it ends on another thread (scopes are "
        "strictly nested, like with_alloc blocks)",
        f_.file, f_.line);
  if (f_.flags == 0)
    detail::pop(f_);
  else
    detail::scope_ended(f_);
}

std::pmr::memory_resource& current() noexcept {
  detail::frame* f = detail::tls_context.top;
  return f && f->resource ? *f->resource : global();
}

}  // namespace tacit
