// Built without the plugin, nothing makes a scope follow its coroutine: a
// co_await inside with_alloc leaves the scope on the thread while the
// coroutine is suspended. When the scope then ends while it is not the
// innermost on its thread — here the coroutine resumes, and ends the
// scope, on another thread — the runtime stops the program with a message
// instead of going on with a broken context stack; checked mode reports it
// (`misnested scope`) and goes on.
// (Not in the checked-mode rerun: there the first run goes on, as the third
// shows.)
// UNSUPPORTED: tacit-check
// RUN: %clangxx -std=c++20 -O2 %include %s -Wl,--whole-archive %tacit_static -Wl,--no-whole-archive -lpthread -ldl -o %t
// RUN: not --crash %t 2>&1 | FileCheck %s
// RUN: env TACIT_CHECK=1 %t 2>&1 | FileCheck %s --check-prefix=CHECKED
#include <tacit/alloc.hpp>

#include <coroutine>
#include <cstdio>
#include <exception>
#include <thread>

struct task {
  struct promise_type {
    task get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { std::terminate(); }
  };
};

// Resumes the coroutine on a new thread.
struct to_another_thread {
  std::thread* t;
  bool await_ready() { return false; }
  void await_suspend(std::coroutine_handle<> h) { *t = std::thread([h] { h.resume(); }); }
  void await_resume() {}
};

tacit::arena a;

task work(std::thread* t) {
  with_alloc(a) {
    co_await to_another_thread{t};
    std::printf("resumed on another thread\n");
  }  // the scope ends here, on that thread
}

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  std::thread t;
  work(&t);
  t.join();
  std::printf("main goes on: %s\n", &tacit::current() == &a ? "IN THE SCOPE" : "global heap");
}
// CHECK: resumed on another thread
// CHECK-NEXT: tacit: the scope opened at {{.*}}coroutine-without-plugin.cpp:42 ends while it is not the innermost on this thread: a scope opened inside it is still open, or it ends on another thread than the one it was opened on
// CHECKED: resumed on another thread
// CHECKED-NEXT: tacit check: misnested scope: the scope at {{.*}}coroutine-without-plugin.cpp:42 ends while no scope is open on this thread (it ends on another thread than the one it was opened on)
// The home thread keeps the scope the coroutine left on it (the program is
// wrong either way; checked mode says where).
// CHECKED: main goes on: IN THE SCOPE
