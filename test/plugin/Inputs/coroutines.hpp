// FILE: test/plugin/Inputs/coroutines.hpp
// DESCRIPTION: What the coroutine run tests (test/plugin/Coroutine*.cpp)
//   share: named arenas, step() printing the context a step runs in, a
//   generator, a lazy task with symmetric transfer, and an event loop that
//   resumes handles directly.
//
//   step("label") prints
//       label                      ctx=B>A new=B
//   ctx: the context stack as the runtime holds it, innermost first (read
//   from the header's own frames; a walk bounded so a broken, cyclic stack
//   prints `...LOOP` instead of hanging), `heap` for a without_alloc frame,
//   `-` for no scope; new: which resource a fresh `new` lands in
//   (tacit::owner_of), so the step proves where it allocates, not only what
//   tacit::current() says.
#pragma once
#include <tacit/alloc.hpp>

#include <coroutine>
#include <cstdio>
#include <cstring>
#include <deque>
#include <exception>
#include <memory>
#include <string>
#include <utility>

struct named_arena {
  const char *name;
  tacit::arena arena;
  explicit named_arena(const char *n) : name(n) {}
  operator tacit::arena &() { return arena; }
  std::size_t allocations() const { return arena.stats().allocations; }
};

// Every named arena a test declares, for the names in step().
inline named_arena *arenas[32];
inline int narenas = 0;
inline named_arena &make_arena(const char *name) {
  auto *a = new named_arena(name); // (outside every scope: the heap)
  arenas[narenas++] = a;
  return *a;
}

inline const char *name_of(const std::pmr::memory_resource *r) {
  if (!r)
    return "dead";
  if (r == &tacit::global())
    return "heap";
  for (int i = 0; i < narenas; ++i)
    if (r == &arenas[i]->arena)
      return arenas[i]->name;
  return "?";
}

// The context stack, innermost first.
inline std::string chain() {
  std::string s;
  int n = 0;
  for (const tacit::detail::frame *f = tacit::detail::tls_context.top; f;
       f = f->prev) {
    if (++n > 16)
      return s + ">...LOOP";
    if (!s.empty())
      s += '>';
    s += f->resource ? name_of(f->resource) : "heap";
  }
  return s.empty() ? "-" : s;
}

// Where a fresh allocation lands.
inline const char *lands() {
  auto *p = new char[48];
  const char *n = name_of(tacit::owner_of(p));
  delete[] p;
  return n;
}

inline std::string line(const char *what) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%-36s ctx=%s new=%s\n", what,
                chain().c_str(), lands());
  return buf;
}
inline void step(const char *what) {
  std::fputs(line(what).c_str(), stdout);
  std::fflush(stdout);
}

// ---------------------------------------------------------------- generator
template <class T> struct generator {
  struct promise_type {
    T value{};
    std::exception_ptr error;
    generator get_return_object() {
      return generator{
          std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    std::suspend_always yield_value(T v) noexcept {
      value = v;
      return {};
    }
    void return_void() {}
    void unhandled_exception() { error = std::current_exception(); }
  };
  std::coroutine_handle<promise_type> h;
  explicit generator(std::coroutine_handle<promise_type> h) : h(h) {}
  generator(generator &&o) noexcept : h(std::exchange(o.h, {})) {}
  ~generator() {
    if (h)
      h.destroy();
  }
  // Resume once: true while a value was yielded.
  bool next() {
    h.resume();
    if (h.promise().error)
      std::rethrow_exception(std::exchange(h.promise().error, nullptr));
    return !h.done();
  }
  T value() const { return h.promise().value; }
};

// --------------------------------------------------------------- event loop
struct loop {
  std::deque<std::coroutine_handle<>> ready;
  // co_await lp.schedule(): suspend, to be resumed by run() directly.
  auto schedule() {
    struct awaiter {
      loop *lp;
      bool await_ready() const noexcept { return false; }
      void await_suspend(std::coroutine_handle<> h) { lp->ready.push_back(h); }
      void await_resume() const noexcept {}
    };
    return awaiter{this};
  }
  void run() {
    while (!ready.empty()) {
      auto h = ready.front();
      ready.pop_front();
      step("loop: resuming a handle");
      h.resume();
    }
  }
};

// ------------------------------------------------------------ lazy task<T>
template <class T> struct task {
  struct promise_type {
    T value{};
    std::exception_ptr error;
    std::coroutine_handle<> continuation = std::noop_coroutine();
    task get_return_object() {
      return task{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    auto final_suspend() noexcept {
      struct final_awaiter {
        bool await_ready() const noexcept { return false; }
        std::coroutine_handle<>
        await_suspend(std::coroutine_handle<promise_type> h) noexcept {
          return h.promise().continuation; // symmetric transfer back
        }
        void await_resume() const noexcept {}
      };
      return final_awaiter{};
    }
    void return_value(T v) { value = v; }
    void unhandled_exception() {
      step("  task: unhandled_exception");
      error = std::current_exception();
    }
  };
  std::coroutine_handle<promise_type> h;
  explicit task(std::coroutine_handle<promise_type> h) : h(h) {}
  task(task &&o) noexcept : h(std::exchange(o.h, {})) {}
  ~task() {
    if (h)
      h.destroy();
  }
  // co_await child: the parent suspends and the child starts (symmetric
  // transfer); the child's final suspend transfers back to the parent.
  auto operator co_await() && noexcept {
    struct awaiter {
      std::coroutine_handle<promise_type> child;
      bool await_ready() const noexcept { return false; }
      std::coroutine_handle<>
      await_suspend(std::coroutine_handle<> parent) noexcept {
        child.promise().continuation = parent;
        return child;
      }
      T await_resume() {
        if (child.promise().error)
          std::rethrow_exception(child.promise().error);
        return child.promise().value;
      }
    };
    return awaiter{h};
  }
  // Start from a non-coroutine: runs on this thread until it suspends.
  void start() { h.resume(); }
  bool done() const { return h.done(); }
  T get() const {
    if (h.promise().error)
      std::rethrow_exception(h.promise().error);
    return h.promise().value;
  }
};
