// tacit/context.hpp — contexts beyond the allocator: capabilities a user
// declares (a logger, a request id, a deadline), provided in a scope and
// read anywhere below it, carried by tacit::bind (SPEC §6).
//
//     struct Logger { void info(const char*); };
//     TACIT_CONTEXT(logger, Logger);              // a context named `logger`
//     TACIT_CONTEXT(deadline, Deadline, Deadline::never());  // with a default
//
//     void handle(Request& r) {                    // no parameter added
//       tacit::get<logger>().info("handling");     // the innermost one
//     }
//     with_context(logger, mine) { handle(r); }    // provides it; nests
//
// The runtime half: declaring, providing, reading, carrying into threads.
// With the plugin, [[tacit::uses(name, ...)]] / [[tacit::without(name)]]
// (or TACIT_USES / TACIT_WITHOUT) are checked like alloc, and a call of
// get<name>() requires `name` when its declaration gives no default
// (docs/reference.md "User contexts", docs/diagnostics.md).
//
// Costs. Each context is one thread-local pointer: `find` and `get` read it
// (one thread-local load and, for `get`, a test). `with_context` saves and
// sets it, and links a frame (in the scope object) onto the thread's list
// of user-context scopes, which coroutines carry; the block's end undoes
// both (a few loads and stores, no allocation, no call into the runtime). tacit::bind snapshots the contexts
// in effect (a walk over the declared ones, nothing when none is declared).
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef TACIT_CONTEXT_HPP
#define TACIT_CONTEXT_HPP

#include <tacit/alloc.hpp>  // (TACIT_CONCAT, the scope pragmas)

#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace tacit {

// Every context a TACIT_CONTEXT declares derives from this (the plugin and
// tacit::get recognise contexts by it).
struct context_tag {};

namespace detail {

// One declared context, for tacit::bind: its name and the calling thread's
// slot. Linked into the runtime's list at start-up (register_context).
struct context_desc {
  const char* name;
  void** (*slot)() noexcept;
  context_desc* next;
};
void register_context(context_desc& d) noexcept;
struct context_registration {
  explicit context_registration(context_desc& d) noexcept {
    register_context(d);
  }
};

// tacit::get found no scope of `name` open and its declaration gives no
// default: checked mode reports `no context`, and the program stops with a
// message naming the context and where get was called (there is no value
// to return).
[[noreturn]] void context_missing(const char* name, const char* file,
                                  unsigned line) noexcept;

// Opening and ending a scope of a user context: the slot gets the value
// (the old one kept in the frame), the frame goes on the thread's list.
// Ending one that has more to do than pop — a coroutine captured it, it is
// detached, it is not the innermost — is out of line (user_contexts.cpp).
[[gnu::always_inline]] inline void push_user(user_frame& f, context_desc& d,
                                             void*& slot,
                                             void* value) noexcept {
  f.desc = &d;
  f.value = value;
  f.saved = slot;
  f.prev = tls_context.users;
  slot = value;
  tls_context.users = &f;
}
void user_scope_ended(user_frame& f) noexcept;
[[gnu::always_inline]] inline void pop_user(user_frame& f,
                                            void*& slot) noexcept {
  if (__builtin_expect(f.flags == 0 && tls_context.users == &f, 1)) {
    tls_context.users = f.prev;
    slot = f.saved;
  } else {
    user_scope_ended(f);
  }
}

// What the plugin inserts at the top of a [[tacit::without(name)]]
// function (and a constructor's initializers): the body runs with no
// `name` in context, whatever its caller has; the caller's value is back
// when the body is left, by a return or an exception.
//
//     ::tacit::detail::context_cleared<logger> __tacit_without_logger(
//         "audit.cpp", 12u);
template <class C>
class context_cleared {
 public:
  context_cleared(const char*, unsigned) noexcept {
    push_user(f_, C::desc_, C::current_, nullptr);
  }
  context_cleared(const context_cleared&) = delete;
  context_cleared& operator=(const context_cleared&) = delete;
  ~context_cleared() { pop_user(f_, C::current_); }

 private:
  user_frame f_;
};

// What the plugin inserts at the top of a [[tacit::uses(name)]] function
// (checked mode's entry check, as uses_check is alloc's):
//
//     ::tacit::detail::uses_context_check<logger> __tacit_uses_logger(
//         "handle", "handle.cpp", 12u);
//
// In checked mode, entering the function with no `name` in context (and
// its declaration gives no default) reports `tacit check: no context:
// handle (handle.cpp:12) entered with no 'logger' context` and stops: the
// body's tacit::get would have nothing to return. Checking off, it costs a
// load of check_mode and a predictable branch.
[[noreturn]] void uses_context_entered(const char* context,
                                       const char* function, const char* file,
                                       unsigned line) noexcept;
template <class C>
class uses_context_check {
 public:
  uses_context_check(const char* function, const char* file,
                     unsigned line) noexcept {
    if constexpr (!C::has_default)
      if (__builtin_expect(check_mode != 0, 0) && C::current_ == nullptr)
        uses_context_entered(C::spelling, function, file, line);
  }
  uses_context_check(const uses_context_check&) = delete;
  uses_context_check& operator=(const uses_context_check&) = delete;
};

// The plugin knows these by the names in <tacit/names.hpp>.
template <class C>
using names_match_context_cleared = TACIT_NAME_CONTEXT_CLEARED<C>;
template <class C>
using names_match_uses_context_check = TACIT_NAME_USES_CONTEXT_CHECK<C>;

}  // namespace detail

// (C++17: a trait and static_asserts rather than a concept.)
template <class C>
inline constexpr bool is_context_v = std::is_base_of_v<context_tag, C>;

// The innermost value of context C on this thread, or null when no scope of
// it is open: the unchecked, ambient read.
template <class C>
[[gnu::always_inline]] inline typename C::type* find() noexcept {
  static_assert(is_context_v<C>, "tacit::find<C>: C is not a TACIT_CONTEXT");
  return static_cast<typename C::type*>(C::current_);
}

// The innermost value of context C. With none open: the declaration's
// default if it gives one, otherwise a `no context` report and the program
// stops (detail::context_missing). With the plugin, a call of get<C>
// requires C like a [[tacit::uses(C)]] function does.
template <class C>
[[gnu::always_inline]] inline typename C::type& get(
    const char* file = __builtin_FILE(),
    unsigned line = __builtin_LINE()) noexcept {
  static_assert(is_context_v<C>, "tacit::get<C>: C is not a TACIT_CONTEXT");
  if (void* p = C::current_; __builtin_expect(p != nullptr, 1))
    return *static_cast<typename C::type*>(p);
  if constexpr (C::has_default)
    return C::fallback();
  else
    detail::context_missing(C::spelling, file, line);
}

// tacit::context_scope<C> — provides context C from its construction to its
// destruction, for code that is not a block (with_context is the block
// form). The value is referred to, not copied, when it is an lvalue; an
// rvalue is moved into the scope object and lives as long as it. Strictly
// nested, like every scope: it ends on the thread that opened it.
template <class C>
class context_scope {
  static_assert(is_context_v<C>, "context_scope<C>: C is not a TACIT_CONTEXT");
 public:
  using type = typename C::type;
  explicit context_scope(type& v) noexcept {
    detail::push_user(f_, C::desc_, C::current_,
                      static_cast<void*>(std::addressof(v)));
  }
  template <class V,
            std::enable_if_t<!std::is_lvalue_reference_v<V> &&
                                 !std::is_abstract_v<type> &&
                                 std::is_constructible_v<type, V&&>,
                             int> = 0>
  explicit context_scope(V&& v) noexcept(
      std::is_nothrow_constructible_v<type, V&&>)
      : own_(std::in_place, std::forward<V>(v)) {
    detail::push_user(f_, C::desc_, C::current_,
                      static_cast<void*>(std::addressof(*own_)));
  }
  context_scope(const context_scope&) = delete;
  context_scope& operator=(const context_scope&) = delete;
  ~context_scope() { detail::pop_user(f_, C::current_); }

 private:
  struct no_value {};
  detail::user_frame f_;
  // (An abstract type is only ever referred to.)
  std::conditional_t<std::is_abstract_v<type>, no_value, std::optional<type>>
      own_;
};

}  // namespace tacit

// TACIT_CONTEXT(name, Type) / TACIT_CONTEXT(name, Type, default-expression)
// declares a context named `name` whose value is a Type. At namespace scope
// (the context is a class with static members); a Type with commas in it
// needs an alias. The default, when given, is made on first use (a
// function-local static: on the global heap, whatever scope is open) and
// returned by get<name>() when no scope of it is open.
#define TACIT_CONTEXT_COMMON_(name, ...)                                   \
  using type = __VA_ARGS__;                                                \
  [[maybe_unused]] static constexpr const char* spelling = #name;          \
  static inline thread_local TACIT_CONSTINIT void* current_ = nullptr;     \
  static void** slot() noexcept { return &current_; }                      \
  static inline ::tacit::detail::context_desc desc_{#name, &slot, nullptr}; \
  static inline const ::tacit::detail::context_registration registered_{   \
      desc_};
#define TACIT_CONTEXT_2_(name, Type)         \
  struct name : ::tacit::context_tag {       \
    TACIT_CONTEXT_COMMON_(name, Type)        \
    [[maybe_unused]] static constexpr bool has_default = false; \
  }
#define TACIT_CONTEXT_3_(name, Type, ...)                 \
  struct name : ::tacit::context_tag {                    \
    TACIT_CONTEXT_COMMON_(name, Type)                     \
    [[maybe_unused]] static constexpr bool has_default = true; \
    static type& fallback() {                             \
      static type value = __VA_ARGS__;                    \
      return value;                                       \
    }                                                     \
  }
#define TACIT_CONTEXT_1_(name) \
  static_assert(false, "TACIT_CONTEXT(" #name ", Type): the context's type is missing")
#define TACIT_CONTEXT_PICK_(a, b, c, macro, ...) macro
#define TACIT_CONTEXT(...)                                              \
  TACIT_CONTEXT_PICK_(__VA_ARGS__, TACIT_CONTEXT_3_, TACIT_CONTEXT_2_, \
                      TACIT_CONTEXT_1_)(__VA_ARGS__)

// TACIT_USES(name, ...) / TACIT_WITHOUT(name) — [[tacit::uses(name, ...)]]
// and [[tacit::without(name)]] when the plugin is loaded, nothing otherwise
// (so code built without it gets no unknown-attribute warning). The names
// are `alloc` and contexts declared with TACIT_CONTEXT.
#if defined(TACIT_DETAIL_PLUGIN)
#define TACIT_USES(...) [[tacit::uses(__VA_ARGS__)]]
#define TACIT_WITHOUT(...) [[tacit::without(__VA_ARGS__)]]
#else
#define TACIT_USES(...)
#define TACIT_WITHOUT(...)
#endif

// with_context(name, value) { ... } — the block runs with `value` as the
// innermost `name`; one statement, ended however the block is left (as
// with_alloc). `value` an lvalue of the context's type (referred to) or an
// rvalue (moved into the scope).
#define TACIT_WITH_CONTEXT(name, ...)                                \
  TACIT_SCOPE_PRAGMAS_BEGIN                                          \
  if (::tacit::context_scope<name> TACIT_CONCAT(tacit_context_,      \
                                                __COUNTER__){        \
          __VA_ARGS__};                                              \
      false) {                                                       \
  } else                                                             \
    TACIT_SCOPE_PRAGMAS_END

#ifndef TACIT_NO_KEYWORDS
#define with_context(name, ...) TACIT_WITH_CONTEXT(name, __VA_ARGS__)
#endif

#endif  // TACIT_CONTEXT_HPP
