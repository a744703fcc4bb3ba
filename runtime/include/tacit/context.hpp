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
// (one thread-local load and, for `get`, a test), `with_context` saves and
// sets it and restores it at the block's end (two stores and a load, no
// allocation, no call into the runtime). tacit::bind snapshots the contexts
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
  explicit context_scope(type& v) noexcept : saved_(C::current_) {
    C::current_ = static_cast<void*>(std::addressof(v));
  }
  template <class V,
            std::enable_if_t<!std::is_lvalue_reference_v<V> &&
                                 !std::is_abstract_v<type> &&
                                 std::is_constructible_v<type, V&&>,
                             int> = 0>
  explicit context_scope(V&& v) noexcept(
      std::is_nothrow_constructible_v<type, V&&>)
      : saved_(C::current_), own_(std::in_place, std::forward<V>(v)) {
    C::current_ = static_cast<void*>(std::addressof(*own_));
  }
  context_scope(const context_scope&) = delete;
  context_scope& operator=(const context_scope&) = delete;
  ~context_scope() { C::current_ = saved_; }

 private:
  struct no_value {};
  void* saved_;
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
