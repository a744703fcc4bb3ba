// runtime/src/user_contexts.cpp — contexts a user declares (TACIT_CONTEXT,
// tacit/context.hpp): the list of them, tacit::bind's snapshot of their
// values.
//
// Each context's value lives in a thread-local pointer of its own, declared
// by the macro in the user's code, so reading one is a thread-local load
// and opening a scope touches nothing here. What the runtime keeps is the
// list of declared contexts (each registers itself during static
// initialisation), which tacit::bind walks to carry the values in effect
// into a callable run on another thread. Each scope is also a frame on the
// thread's list of user-context scopes (user_frame, <tacit/alloc.hpp>),
// which coroutines carry (coroutines.cpp). (A tacit::get that finds none,
// and checked mode's entry check, are reported by check.cpp, beside the
// other `no context`.)
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <atomic>

#include "internal.hpp"
#include <tacit/context.hpp>

namespace tacit::detail {

namespace {
// The declared contexts, newest first (pushed once each, never removed).
constinit std::atomic<context_desc*> g_contexts{nullptr};
}  // namespace

void register_context(context_desc& d) noexcept {
  context_desc* head = g_contexts.load(std::memory_order_relaxed);
  do {
    d.next = head;
  } while (!g_contexts.compare_exchange_weak(head, &d, std::memory_order_release,
                                             std::memory_order_relaxed));
}

void capture_users(context_snapshot& s) noexcept {
  int n = 0;
  for (context_desc* d = g_contexts.load(std::memory_order_acquire); d;
       d = d->next) {
    void* v = *d->slot();
    if (!v) continue;
    if (n == context_snapshot::max_users)
      fatal("tacit::bind: more than %d user contexts are in effect at once "
            "(one of them: '%s'); tacit::bind carries at most %d",
            context_snapshot::max_users, d->name, context_snapshot::max_users);
    s.users[n++] = {d, v};
  }
  s.user_count = n;
}

int replay_users(const context_snapshot& s, user_frame* frames) noexcept {
  for (int i = 0; i < s.user_count; ++i) {
    user_frame& f = frames[i];
    void** slot = s.users[i].desc->slot();
    f.desc = s.users[i].desc;
    f.value = s.users[i].value;
    f.saved = *slot;
    f.prev = tls_context.users;
    f.flags = frame_flag::copy;
    f.cell = nullptr;
    *slot = f.value;
    tls_context.users = &f;
  }
  return s.user_count;
}

void context_snapshot::replay::restore_users() noexcept {
  for (int i = user_count_ - 1; i >= 0; --i) user_scope_ended(user_frames_[i]);
}

void user_scope_ended(user_frame& f) noexcept {
  // (A detached frame's coroutine is suspended and being destroyed: the
  // frame is on no thread's list, and its value was taken off the slot
  // when it suspended.)
  if (!(f.flags & frame_flag::detached)) {
    if (tls_context.users != &f) {
      misnested_user(f);
    } else {
      tls_context.users = f.prev;
      *f.desc->slot() = f.saved;
    }
  }
  if (f.flags & frame_flag::captured) scope_cell_ended(f.cell);
  f.flags = 0;
}

void misnested_user(user_frame& f) noexcept {
  if (check_mode)
    check_misnested_user(f.desc->name);
  else
    fatal(
        "a scope of the context '%s' ends while it is not the innermost "
        "user-context scope on this thread: a scope opened inside it is "
        "still open, or it ends on another thread than the one it was "
        "opened on — a coroutine that suspended inside with_context was "
        "compiled without the Tacit plugin, which makes a scope follow its "
        "coroutine (docs/reference.md, Coroutines)",
        f.desc->name);
  // Checked mode goes on: the frame leaves the list wherever it is, and
  // its context gets back what it held before it.
  for (user_frame** p = &tls_context.users; *p; p = &(*p)->prev)
    if (*p == &f) {
      *p = f.prev;
      break;
    }
  *f.desc->slot() = f.saved;
}

}  // namespace tacit::detail
