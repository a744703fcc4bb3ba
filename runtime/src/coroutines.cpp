// runtime/src/coroutines.cpp — the context follows the coroutine, not the
// thread (the plugin's coroutine lowering calls these; see coro_context in
// <tacit/alloc.hpp> and docs/internals.md, "The path of a coroutine").
//
// A coroutine's context is a chain of frames, innermost first:
//
//   its own open scopes          with_alloc / without_alloc blocks in its
//     (in the coroutine frame)   body, whose frames live in the coroutine
//                                frame (prev re-pointed at each resumption)
//   its creation context         copies of the creator's frames, made when
//     (copies_, more_)           the coroutine was called, each sharing the
//                                original scope's liveness cell
//   -- or, when it has none, or one of its scopes has ended --
//   its resumer's context        the resuming thread's stack
//
// Installed on the resuming thread at each resumption, taken off at each
// suspension (the resumer's top comes back), so a suspended coroutine's
// scopes are on no thread's stack and no one else allocates in them. Lanes
// follow: a frame of a tacit::arena is given the resuming thread's lane of
// it, entered for as long as the coroutine runs there. User-declared
// contexts follow by the same rules (below, "User-declared contexts").
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <cstdlib>
#include <exception>
#include <new>
#include <typeinfo>

#include "internal.hpp"

namespace tacit::detail {

// A scope's liveness, once a coroutine captured it: shared by the scope and
// every copy of its frame; the scope marks it ended, the last owner frees it.
struct scope_cell {
  std::atomic<int> refs;
  std::atomic<bool> ended;
};

namespace {

scope_cell* cell_of(frame& f) noexcept {
  if (f.flags & frame_flag::captured) {
    f.cell->refs.fetch_add(1, std::memory_order_relaxed);
    return f.cell;
  }
  // (malloc: never operator new, which reads the context being captured.)
  auto* c = static_cast<scope_cell*>(std::malloc(sizeof(scope_cell)));
  if (!c) return nullptr;
  c->refs.store(2, std::memory_order_relaxed);  // the scope's and the copy's
  c->ended.store(false, std::memory_order_relaxed);
  f.cell = c;
  f.flags |= frame_flag::captured;
  return c;
}

// The same for a scope of a user-declared context.
scope_cell* cell_of(user_frame& f) noexcept {
  if (f.flags & frame_flag::captured) {
    f.cell->refs.fetch_add(1, std::memory_order_relaxed);
    return f.cell;
  }
  auto* c = static_cast<scope_cell*>(std::malloc(sizeof(scope_cell)));
  if (!c) return nullptr;
  c->refs.store(2, std::memory_order_relaxed);
  c->ended.store(false, std::memory_order_relaxed);
  f.cell = c;
  f.flags |= frame_flag::captured;
  return c;
}

void release(scope_cell* c) noexcept {
  if (c->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) std::free(c);
}

// A frame of a tacit::arena (fast is set: the lane it had) gets the calling
// thread's lane of it: the home lane, or this thread's, entered.
// (f.fast is null if no memory for a lane is left: its allocations then go
// through the arena's allocate, which fails them.)
void attach(frame& f) noexcept {
  if (!f.fast) return;
  use_lane(f, *static_cast<arena*>(f.resource));
}

void detach(frame& f) noexcept {
  if (f.flags & frame_flag::entered) {
    arena_access::leave(*f.fast);
    f.flags &= static_cast<unsigned char>(~frame_flag::entered);
  }
}

}  // namespace

void scope_cell_ended(scope_cell* c) noexcept {
  c->ended.store(true, std::memory_order_release);
  release(c);
}

void coro_context::capture(frame* top) noexcept {
  int n = 0;
  for (frame* f = top; f && !is_bottom(f) && n < 255; f = f->prev) ++n;
  if (n > inline_depth) {
    more_ = static_cast<frame*>(
        std::malloc(sizeof(frame) * static_cast<std::size_t>(n - inline_depth)));
    if (!more_) n = inline_depth;  // no memory: the innermost frames only
  }
  frame* f = top;
  int kept = 0;
  for (int i = 0; i < n; ++i, f = f->prev) {
    scope_cell* c = cell_of(*f);
    if (!c) break;  // no memory for a cell: the frames inside it only
    frame& k = copy(kept++);
    k.resource = f->resource;
    k.fast = f->fast;  // (the arena's: a lane of it is taken when installed)
    k.file = f->file;
    k.line = f->line;
    k.flags = frame_flag::copy | frame_flag::captured;
    k.check = nullptr;
    k.cell = c;
  }
  depth_ = static_cast<unsigned char>(kept);
  for (int i = 0; i + 1 < kept; ++i) copy(i).prev = &copy(i + 1);
  install();  // it runs in it at once, until its first suspension
}

void coro_context::install() noexcept {
  saved_ = tls_context.top;
  bool alive = depth_ != 0;
  for (int i = 0; alive && i < depth_; ++i)
    alive = !copy(i).cell->ended.load(std::memory_order_acquire);
  if (alive) {
    for (int i = 0; i < depth_; ++i) attach(copy(i));
    // (Under TACIT_STATS the chain ends in this thread's bottom frame.)
    copy(depth_ - 1).prev = stats_mode ? stats_bottom() : nullptr;
    base_ = &copy(0);
  } else {
    base_ = saved_;  // no context of its own, or a scope of it has ended
  }
  frame* top = base_;
  if (own_top_) {
    own_bottom_->prev = base_;
    for (frame* f = own_top_;; f = f->prev) {
      f->flags &= static_cast<unsigned char>(~frame_flag::detached);
      attach(*f);
      if (f == own_bottom_) break;
    }
    top = own_top_;
    own_top_ = own_bottom_ = nullptr;
  }
  tls_context.top = top;
  installed_ = true;
}

bool coro_context::suspend_slow() noexcept {
  if (!installed_) return false;
  frame* base = depth_ != 0 ? base_ : saved_;
  frame* top = tls_context.top;
  if (top != base) {
    // Its own open scopes: off this thread, their lanes left.
    frame* f = top;
    for (int steps = 0;; f = f->prev, ++steps) {
      if (!f || steps > 4096)
        fatal(
            "a coroutine suspends with a context stack that does not lead "
            "back to where it was resumed (a scope opened in it was not "
            "closed, or the stack was changed behind Tacit's back)");
      detach(*f);
      f->flags |= frame_flag::detached;
      if (f->prev == base) break;
    }
    own_top_ = top;
    own_bottom_ = f;
  }
  if (depth_ != 0 && base_ != saved_)
    for (int i = 0; i < depth_; ++i) detach(copy(i));
  tls_context.top = saved_;
  suspend_users();
  installed_ = false;
  return false;
}

// ---------------------------------------------------------------------------
// User-declared contexts follow the coroutine by the same rules. Each
// context's value is a thread-local slot of its own, and the thread's list
// of user_frames says which scope set it (the innermost frame of a context
// holds its value). A coroutine copies, when it is created, the innermost
// frame of each context in effect (sharing each scope's liveness cell);
// while it runs, its list is its own scopes on top of those copies, and
// the slots say so; when it suspends, its own scopes are undone in reverse
// (each slot gets back what it held before the scope), the copies taken
// off, and the resumer's list and values come back. Resumed after a scope
// of its creation context has ended, it runs in its resumer's user
// contexts, its own scopes on top: never with an ended scope's value.

namespace {

// Whether a frame above f on the list (from top) is of f's context.
bool shadowed(const user_frame* top, const user_frame* f) noexcept {
  for (const user_frame* g = top; g != f; g = g->prev)
    if (g->desc == f->desc) return true;
  return false;
}

// The slots the list from `top` sets, to null.
void hide_users(user_frame* top) noexcept {
  for (user_frame* f = top; f; f = f->prev) *f->desc->slot() = nullptr;
}

// Each context's slot to the value of its innermost frame on the list.
void show_users(user_frame* top) noexcept {
  for (user_frame* f = top; f; f = f->prev)
    if (!shadowed(top, f)) *f->desc->slot() = f->value;
}

// Its own scopes go back on, outermost first (each saves what the slot
// holds under it now).
void reopen(user_frame* f, user_frame* bottom, int depth) noexcept {
  if (depth > 4096)
    fatal("a coroutine resumes with more than 4096 with_context scopes of "
          "its own open");
  if (f != bottom) reopen(f->prev, bottom, depth + 1);
  void** slot = f->desc->slot();
  f->saved = *slot;
  *slot = f->value;
  f->flags &= static_cast<unsigned char>(~frame_flag::detached);
}

}  // namespace

void coro_context::capture_users() noexcept {
  // The innermost frame of each context in effect (saved_users_: the
  // creator's list).
  int n = 0;
  for (user_frame* f = saved_users_; f && n < 255; f = f->prev)
    if (!shadowed(saved_users_, f)) ++n;
  auto* copies =
      static_cast<user_frame*>(std::malloc(sizeof(user_frame) * n));
  if (!copies) return;  // no memory: it runs in its resumers' contexts
  int kept = 0;
  for (user_frame* f = saved_users_; f && kept < n; f = f->prev) {
    if (shadowed(saved_users_, f)) continue;
    scope_cell* c = cell_of(*f);
    if (!c) break;
    user_frame& k = copies[kept++];
    k.desc = f->desc;
    k.value = f->value;
    k.saved = nullptr;
    k.flags = frame_flag::copy | frame_flag::captured;
    k.cell = c;
  }
  if (kept != n) {  // no memory for a cell: none of it
    for (int i = 0; i < kept; ++i) release(copies[i].cell);
    std::free(copies);
    return;
  }
  for (int i = 0; i < n; ++i) copies[i].prev = i + 1 < n ? &copies[i + 1] : nullptr;
  ucopies_ = copies;
  ucount_ = static_cast<unsigned char>(n);
  // It runs in them at once, until its first suspension: the values are
  // the creator's already.
  tls_context.users = &copies[0];
  uinstalled_ = true;
}

void coro_context::install_users() noexcept {
  saved_users_ = tls_context.users;
  bool alive = ucount_ != 0;
  for (int i = 0; alive && i < ucount_; ++i)
    alive = !ucopies_[i].cell->ended.load(std::memory_order_acquire);
  user_frame* base = saved_users_;
  if (alive) {
    hide_users(saved_users_);  // the resumer's contexts are not its
    for (int i = 0; i < ucount_; ++i)
      *ucopies_[i].desc->slot() = ucopies_[i].value;
    base = &ucopies_[0];
    uinstalled_ = true;
  }
  if (uown_top_) {
    uown_bottom_->prev = base;
    reopen(uown_top_, uown_bottom_, 0);
    tls_context.users = uown_top_;
    uown_top_ = uown_bottom_ = nullptr;
  } else {
    tls_context.users = base;
  }
}

void coro_context::suspend_users() noexcept {
  user_frame* base = uinstalled_ ? &ucopies_[0] : saved_users_;
  user_frame* top = tls_context.users;
  if (top != base) {
    // Its own open scopes: undone in reverse, off this thread.
    user_frame* f = top;
    for (int steps = 0;; f = f->prev, ++steps) {
      if (!f || steps > 4096)
        fatal(
            "a coroutine suspends with a list of with_context scopes that "
            "does not lead back to where it was resumed (a scope opened in "
            "it was not closed, or the list was changed behind Tacit's "
            "back)");
      *f->desc->slot() = f->saved;
      f->flags |= frame_flag::detached;
      if (f->prev == base) break;
    }
    uown_top_ = top;
    uown_bottom_ = f;
  }
  if (uinstalled_) {
    hide_users(&ucopies_[0]);
    show_users(saved_users_);
    uinstalled_ = false;
  }
  tls_context.users = saved_users_;
}

void coro_context::end_users() noexcept {
  if (installed_) {
    // (Every scope of its own has ended: their destructors ran first.)
    if (uinstalled_) {
      hide_users(&ucopies_[0]);
      show_users(saved_users_);
      uinstalled_ = false;
    }
    tls_context.users = saved_users_;
  }
  for (int i = 0; i < ucount_; ++i) release(ucopies_[i].cell);
  std::free(ucopies_);
  ucopies_ = nullptr;
  ucount_ = 0;
}

void coro_context::resume_slow() noexcept {
  install();
  install_users();
}

void coro_context::end() noexcept {
  end_users();
  if (installed_) {
    if (depth_ != 0 && base_ != saved_)
      for (int i = 0; i < depth_; ++i) detach(copy(i));
    // (Every scope of its own has ended: their destructors ran first.)
    tls_context.top = saved_;
    installed_ = false;
  }
  for (int i = 0; i < depth_; ++i) release(copy(i).cell);
  std::free(more_);
  more_ = nullptr;
  depth_ = 0;
}

suspend_guard::suspend_guard() noexcept
    : c_(tls_context.suspending), exceptions_(std::uncaught_exceptions()) {
  tls_context.suspending = nullptr;
}

suspend_guard::~suspend_guard() {
  if (c_ && std::uncaught_exceptions() > exceptions_) c_->resumed();
}

void misnested(frame& f) noexcept {
  if (check_mode) {
    check_misnested(f);
  } else {
    fatal(
        "the scope opened at %s:%u ends while it is not the innermost on "
        "this thread: a scope opened inside it is still open, or it ends on "
        "another thread than the one it was opened on — a coroutine that "
        "suspended inside it was compiled without the Tacit plugin, which "
        "makes a scope follow its coroutine (docs/reference.md, Coroutines)",
        f.file ? f.file : "?", f.line);
  }
  // Checked mode goes on as before: the frame's enclosing context comes back.
  tls_context.top = f.prev;
}

}  // namespace tacit::detail
