// runtime/src/user_contexts.cpp — contexts a user declares (TACIT_CONTEXT,
// tacit/context.hpp): the list of them, tacit::bind's snapshot of their
// values.
//
// Each context's value lives in a thread-local pointer of its own, declared
// by the macro in the user's code, so reading one is a thread-local load
// and opening a scope touches nothing here. What the runtime keeps is the
// list of declared contexts (each registers itself during static
// initialisation), which tacit::bind walks to carry the values in effect
// into a callable run on another thread. (A tacit::get that finds none is
// reported by check.cpp, beside the other `no context`.)
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

int replay_users(const context_snapshot& s,
                 context_snapshot::user_entry* saved) noexcept {
  for (int i = 0; i < s.user_count; ++i) {
    void** slot = s.users[i].desc->slot();
    saved[i] = {s.users[i].desc, *slot};
    *slot = s.users[i].value;
  }
  return s.user_count;
}

void context_snapshot::replay::restore_users() noexcept {
  for (int i = user_count_ - 1; i >= 0; --i)
    *users_saved_[i].desc->slot() = users_saved_[i].value;
}

}  // namespace tacit::detail
