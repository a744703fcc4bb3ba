// FILE: test/plugin/CoroutineExceptions-rethrow.cpp
// DESCRIPTION: XFAIL, a Clang bug (llvm/llvm-project#61900, #109542), not
//   Tacit's: when a promise's unhandled_exception() rethrows, the coroutine
//   should be suspended at its final suspend point, but at -O2 Clang 19
//   leaves the last suspend point's index in the frame, so destroy() runs
//   the destructors of the locals live there a second time. A with_alloc
//   block open at that suspension is ended twice: the second end finds its
//   frame not on top of the thread's stack and the runtime stops the
//   program (misnested scope). Without Tacit, clang++ -O2 destroys any
//   such local twice (the bug reports have reproducers). -O0 is fine.
//   Workaround: do not rethrow from unhandled_exception (store
//   std::current_exception() and rethrow it from await_resume, as the
//   tasks in Inputs/coroutines.hpp do).
// REQUIRES: plugin
// XFAIL: *
// RUN: %tacitxx -std=c++20 -O2 %s -o %t.O2 && %t.O2 | FileCheck %s
#include "Inputs/coroutines.hpp"

#include <stdexcept>

named_arena &A = make_arena("A"), &B = make_arena("B"), &M = make_arena("M");
loop lp;

struct rethrows {
  struct promise_type {
    rethrows get_return_object() {
      return {std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { throw; }
  };
  std::coroutine_handle<promise_type> h;
};

rethrows boom() {
  with_alloc(B) {
    co_await lp.schedule();
    throw std::runtime_error("out of resume()");
  }
}

int main() {
  with_alloc(A) {
    rethrows r = boom();
    with_alloc(M) {
      r.h.resume();
      try {
        lp.run();
      } catch (const std::exception &e) {
        std::printf("caught '%s', done %d\n", e.what(), r.h.done());
      }
      step("resumer");
    }
    r.h.destroy();
    step("after destroy()");
  }
}
// CHECK: caught 'out of resume()', done 1
// CHECK-NEXT: resumer ctx=M>A new=M
// CHECK-NEXT: after destroy() ctx=A new=A
