// FILE: test/plugin/CoroutineForms.cpp
// DESCRIPTION: The coroutine lowering keeps every expression form around
//   co_await working, and each hooked suspension point follows the context:
//   an lvalue await_resume result (int&), a class-type one with a
//   destructor, `co_await co_await`, co_await in both arms of ?:, in a
//   lambda's init-capture (the enclosing coroutine's suspension), a
//   bool await_suspend that suspends and one that refuses (the coroutine
//   goes on at once, its context back), an await_ready that is true, a
//   member coroutine of a class template with parameters, a generic
//   lambda's two instantiations, a coroutine converted to a function
//   pointer, and a creation context deeper than the two frames
//   coro_context keeps inline (the rest on the heap). Run at -O0 and -O2.
// REQUIRES: plugin
// RUN: %tacitxx -std=c++20 -fplugin-arg-tacit-werror -O0 %s -o %t.O0 && %t.O0 | FileCheck %s
// RUN: %tacitxx -std=c++20 -fplugin-arg-tacit-werror -O2 %s -o %t.O2 && %t.O2 | FileCheck %s
#include "Inputs/coroutines.hpp"

named_arena &A = make_arena("A"), &B = make_arena("B"), &M = make_arena("M");
named_arena *D[5] = {&make_arena("d0"), &make_arena("d1"), &make_arena("d2"),
                     &make_arena("d3"), &make_arena("d4")};
loop lp;

int global = 7;
struct ref_awaiter { // await_resume returns an lvalue
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) { lp.ready.push_back(h); }
  int &await_resume() const noexcept { return global; }
};
struct string_awaiter { // await_resume returns a class with a destructor
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) { lp.ready.push_back(h); }
  std::string await_resume() const { return std::string(40, 's'); }
};
struct veto { // bool await_suspend
  bool suspend;
  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<> h) noexcept {
    step(suspend ? "    veto: suspends" : "    veto: refuses");
    if (suspend)
      lp.ready.push_back(h);
    return suspend;
  }
  int await_resume() const noexcept { return suspend; }
};
struct nested { // ready at once; its result is awaited again
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) noexcept {}
  ref_awaiter await_resume() const noexcept { return {}; }
};

template <class T> struct holder {
  T v;
  task<T> get(T add, std::string label) { // a member coroutine
    co_await lp.schedule();
    step(label.c_str());
    co_return v + add;
  }
};

task<int> forms(std::string name) {
  step("  forms: start");
  int r = 0, x = 0, y = 0, z = 0, k = 0, size = 0;
  double d = 0;
  long e = 0;
  with_alloc(B) {
    int &ref = co_await ref_awaiter{};
    ref += 1;
    r = ref;
    step("  forms: lvalue result");
    std::string s = co_await string_awaiter{};
    size = int(s.size());
    step("  forms: class result");
    int &r2 = co_await co_await nested{};
    r += r2;
    step("  forms: co_await co_await");
    x = global > 0 ? co_await veto{true} : co_await veto{false};
    step("  forms: ?:");
    y = co_await veto{false};
    step("  forms: a refused suspension");
    auto lam = [v = co_await veto{true}] { return v; };
    k = lam();
    step("  forms: init-capture");
    holder<int> h{5};
    z = co_await h.get(1, "    holder<int>::get");
    auto generic = [](auto v) -> task<decltype(v)> {
      co_await lp.schedule();
      step("    generic lambda");
      co_return v;
    };
    d = co_await generic(2.5);
    e = co_await generic(3L);
    task<int> (*fp)() = []() -> task<int> {
      co_await lp.schedule();
      step("    lambda through a function pointer");
      co_return 1;
    };
    k += co_await fp();
    step("  forms: end of B");
  }
  co_return r + size + x + y + k + z + int(d) + int(e) +
      int(name.size());
}

task<int> deep() {
  step("  deep: start");
  co_await lp.schedule();
  step("  deep: resumed");
  co_return 0;
}

int main() {
  with_alloc(A) {
    task<int> t = forms("forms");
    with_alloc(M) {
      t.start();
      lp.run();
      step("main: loop done");
    }
    std::printf("result %d, global %d\n", t.get(), global);
  }
  // CHECK: forms: start ctx=A new=A
  // CHECK-NEXT: loop: resuming a handle ctx=M>A new=M
  // CHECK-NEXT: forms: lvalue result ctx=B>A new=B
  // CHECK-NEXT: loop: resuming a handle ctx=M>A new=M
  // CHECK-NEXT: forms: class result ctx=B>A new=B
  // CHECK-NEXT: loop: resuming a handle ctx=M>A new=M
  // CHECK-NEXT: forms: co_await co_await ctx=B>A new=B
  // CHECK-NEXT: veto: suspends ctx=M>A new=M
  // CHECK-NEXT: loop: resuming a handle ctx=M>A new=M
  // CHECK-NEXT: forms: ?: ctx=B>A new=B
  // CHECK-NEXT: veto: refuses ctx=M>A new=M
  // CHECK-NEXT: forms: a refused suspension ctx=B>A new=B
  // CHECK-NEXT: veto: suspends ctx=M>A new=M
  // CHECK-NEXT: loop: resuming a handle ctx=M>A new=M
  // CHECK-NEXT: forms: init-capture ctx=B>A new=B
  // CHECK-NEXT: loop: resuming a handle ctx=M>A new=M
  // CHECK-NEXT: holder<int>::get ctx=B>A new=B
  // CHECK-NEXT: loop: resuming a handle ctx=M>A new=M
  // CHECK-NEXT: generic lambda ctx=B>A new=B
  // CHECK-NEXT: loop: resuming a handle ctx=M>A new=M
  // CHECK-NEXT: generic lambda ctx=B>A new=B
  // CHECK-NEXT: loop: resuming a handle ctx=M>A new=M
  // CHECK-NEXT: lambda through a function pointer ctx=B>A new=B
  // CHECK-NEXT: forms: end of B ctx=B>A new=B
  // CHECK-NEXT: main: loop done ctx=M>A new=M
  // CHECK-NEXT: result 75, global 8

  // A creation context of six frames: two inline, four on the heap.
  with_alloc(*D[0]) with_alloc(*D[1]) with_alloc(*D[2]) with_alloc(*D[3])
      with_alloc(*D[4]) with_alloc(A) {
    task<int> t2 = deep();
    with_alloc(M) {
      t2.start();
      lp.run();
    }
  }
  // CHECK-NEXT: deep: start ctx=A>d4>d3>d2>d1>d0 new=A
  // CHECK-NEXT: loop: resuming a handle ctx=M>A>d4>d3>d2>d1>d0 new=M
  // CHECK-NEXT: deep: resumed ctx=A>d4>d3>d2>d1>d0 new=A
  step("main: end");
  // CHECK-NEXT: main: end ctx=- new=heap
}
