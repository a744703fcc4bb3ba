// FILE: test/plugin/CoroutineThreads.cpp
// DESCRIPTION: A coroutine hops between two std::threads (main → worker →
//   main, three times) with its own with_alloc(B) block open across every
//   hop: each of its steps runs in B>A (its creation context A, captured on
//   the main thread), allocating in B on either thread; the threads' own
//   scopes (M on main, W on the worker) never see B, and each thread's
//   stack is intact after every resume. Each thread logs to its own buffer,
//   printed at the end, so the output does not depend on the interleaving.
//   Run at -O2, and under ThreadSanitizer (the arena lanes a migrating
//   coroutine enters and leaves).
// REQUIRES: plugin
// RUN: %tacitxx -std=c++20 -fplugin-arg-tacit-werror -O2 %s -o %t.O2 && %t.O2 | FileCheck %s
// RUN: %if tacit-tsan-cxx %{ %tacitxx_tsan -std=c++20 -fplugin-arg-tacit-werror -O1 %s -o %t.tsan && %t.tsan | FileCheck %s %}
#include "Inputs/coroutines.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

named_arena &A = make_arena("A"), &B = make_arena("B"), &M = make_arena("M"),
            &W = make_arena("W");

// (Reserved up front, outside every scope: appending never allocates, so the
// arenas count only the steps' own allocations.)
thread_local std::string tl_log;
void tstep(const char *what) { tl_log += line(what); }
void start_log() { tl_log.reserve(8192); }

// A one-slot mailbox a thread waits on for a handle to resume.
struct mailbox {
  std::mutex m;
  std::condition_variable cv;
  std::coroutine_handle<> h;
  bool closed = false;
  void put(std::coroutine_handle<> x) {
    std::lock_guard<std::mutex> g(m);
    h = x;
    cv.notify_all();
  }
  void serve(const char *who) {
    for (;;) {
      std::coroutine_handle<> x;
      {
        std::unique_lock<std::mutex> g(m);
        cv.wait(g, [&] { return h || closed; });
        if (!h)
          return;
        x = std::exchange(h, {});
      }
      tstep(who);
      x.resume();
      tstep(who); // after it suspended again, or finished
    }
  }
  void close() {
    std::lock_guard<std::mutex> g(m);
    closed = true;
    cv.notify_all();
  }
};
mailbox to_worker, to_main;

auto hop(mailbox &mb) {
  struct awaiter {
    mailbox *mb;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h) noexcept { mb->put(h); }
    void await_resume() const noexcept {}
  };
  return awaiter{&mb};
}

std::atomic<bool> finished{false};
std::string worker_log;

task<int> work() {
  tstep("  co: start");
  int n = 0;
  with_alloc(B) {
    for (int i = 0; i < 3; ++i) {
      co_await hop(to_worker);
      tstep("  co: on the worker");
      co_await hop(to_main);
      tstep("  co: on main");
      n += 1;
    }
  }
  tstep("  co: after B");
  finished = true;
  co_return 40 + n;
}

int main() {
  start_log();
  std::thread worker([] {
    start_log();
    with_alloc(W) {
      to_worker.serve("worker");
      tstep("worker: exiting");
    }
    worker_log = tl_log;
  });
  int result = 0;
  with_alloc(A) {
    task<int> t = work(); // created in A
    with_alloc(M) {
      tstep("main: start");
      t.start();
      std::thread closer([] {
        while (!finished)
          std::this_thread::yield();
        to_main.close();
      });
      to_main.serve("main");
      closer.join();
    }
    to_worker.close();
    worker.join();
    tstep("main: end");
    result = t.get();
  }
  std::printf("--- main thread\n%s--- worker thread\n%s", tl_log.c_str(),
              worker_log.c_str());
  // B: the coroutine's 6 steps inside it, on either thread (each step
  // allocates twice: its probe and its line).
  std::printf("t = %d; allocations in B: %zu\n", result, B.allocations());
}
// CHECK: --- main thread
// CHECK-NEXT: main: start ctx=M>A new=M
// CHECK-NEXT: co: start ctx=A new=A
// CHECK-NEXT: main ctx=M>A new=M
// CHECK-NEXT: co: on main ctx=B>A new=B
// CHECK-NEXT: main ctx=M>A new=M
// CHECK-NEXT: main ctx=M>A new=M
// CHECK-NEXT: co: on main ctx=B>A new=B
// CHECK-NEXT: main ctx=M>A new=M
// CHECK-NEXT: main ctx=M>A new=M
// CHECK-NEXT: co: on main ctx=B>A new=B
// CHECK-NEXT: co: after B ctx=A new=A
// CHECK-NEXT: main ctx=M>A new=M
// CHECK-NEXT: main: end ctx=A new=A
// CHECK-NEXT: --- worker thread
// CHECK-NEXT: worker ctx=W new=W
// CHECK-NEXT: co: on the worker ctx=B>A new=B
// CHECK-NEXT: worker ctx=W new=W
// CHECK-NEXT: worker ctx=W new=W
// CHECK-NEXT: co: on the worker ctx=B>A new=B
// CHECK-NEXT: worker ctx=W new=W
// CHECK-NEXT: worker ctx=W new=W
// CHECK-NEXT: co: on the worker ctx=B>A new=B
// CHECK-NEXT: worker ctx=W new=W
// CHECK-NEXT: worker: exiting ctx=W new=W
// CHECK-NEXT: t = 43; allocations in B: 12
