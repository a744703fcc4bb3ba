// FILE: test/plugin/CoroutineLowering-pch.cpp
// DESCRIPTION: A precompiled header built with the plugin stores its
//   coroutines lowered; a translation unit that includes it lowers only its
//   own (the PCH's bodies already declare __tacit_coro: lowering them again
//   would hook every suspension twice), and the PCH's coroutine, inline in
//   the header, still follows its context when it runs. A lambda in the
//   header that the PCH never calls is not lowered there (it is not
//   emitted there either): the translation unit that calls it lowers it.
//   A PCH built without the plugin: its coroutines reach the consumer as
//   they are read (ASTReader passes deserialized definitions on, as
//   "interesting" declarations) and are lowered in the translation unit.
// REQUIRES: plugin
// RUN: rm -rf %t && split-file --leading-lines %s %t
// RUN: %clangxx %plugin %include -std=c++20 -x c++-header %t/gen.h -o %t/gen.h.pch -fplugin-arg-tacit-dump-coroutines 2> %t/pch.remarks
// RUN: FileCheck %s --check-prefix=PCH < %t/pch.remarks
// RUN: %tacitxx -std=c++20 -include-pch %t/gen.h.pch %t/main.cpp -o %t/main -fplugin-arg-tacit-dump-coroutines 2> %t/main.remarks
// RUN: FileCheck %s --check-prefix=MAIN < %t/main.remarks
// RUN: %t/main | FileCheck %s --check-prefix=EXEC
// RUN: %clangxx %include -std=c++20 -x c++-header %t/gen.h -o %t/plain.h.pch
// RUN: %tacitxx -std=c++20 -include-pch %t/plain.h.pch %t/main.cpp -o %t/main2 -fplugin-arg-tacit-dump-coroutines 2> %t/main2.remarks
// RUN: FileCheck %s --check-prefix=PLAIN < %t/main2.remarks
// RUN: %t/main2 | FileCheck %s --check-prefix=EXEC

//--- gen.h
#include <tacit/alloc.hpp>
#include <coroutine>
#include <cstdio>
#include <utility>

struct gen {
  struct promise_type {
    gen get_return_object() {
      return gen{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    std::suspend_always yield_value(int) noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
  std::coroutine_handle<promise_type> h;
  ~gen() { h.destroy(); }
};
inline tacit::arena A, B, C;
inline const char *where() {
  auto *r = &tacit::current();
  return r == &A ? "A" : r == &B ? "B" : r == &C ? "C" : "heap";
}
inline gen in_header() {
  std::printf("in_header: %s\n", where());
  with_alloc(B) {
    co_yield 1;
    std::printf("in_header, in B: %s\n", where());
  }
}
// PCH: gen.h:[[@LINE-7]]:12: remark: coroutine lowered: 2 suspension points hooked, 0 with a suspend guard
// PCH: remark: 1 coroutine lowered
inline auto header_lambda = []() -> gen {
  std::printf("header_lambda: %s\n", where());
  co_return;
};

//--- main.cpp
gen in_main() {
  std::printf("in_main: %s\n", where());
  co_yield 2;
}
// The PCH's in_header is not lowered again (gen.h:N:12); the header's lambda
// is lowered here, where it is first called:
// MAIN-NOT: gen.h:{{[0-9]+}}:12: remark
// MAIN-DAG: main.cpp:{{[0-9]+}}:5: remark: coroutine lowered: 2 suspension points hooked
// MAIN-DAG: gen.h:{{[0-9]+}}:29: remark: coroutine lowered: 1 suspension point hooked
// MAIN-NOT: gen.h:{{[0-9]+}}:12: remark
// MAIN: remark: 2 coroutines lowered
// PLAIN-DAG: gen.h:{{[0-9]+}}:12: remark: coroutine lowered: 2 suspension points hooked
// PLAIN-DAG: main.cpp:{{[0-9]+}}:5: remark: coroutine lowered: 2 suspension points hooked
// PLAIN-DAG: gen.h:{{[0-9]+}}:29: remark: coroutine lowered: 1 suspension point hooked
// PLAIN: remark: 3 coroutines lowered

int main() {
  with_alloc(A) {
    gen g = in_header(), m = in_main(), l = header_lambda();
    with_alloc(C) {
      g.h.resume();
      std::printf("main: %s\n", where());
      g.h.resume();
      m.h.resume();
      l.h.resume();
    }
  }
}
// EXEC: in_header: A
// EXEC-NEXT: main: C
// EXEC-NEXT: in_header, in B: B
// EXEC-NEXT: in_main: A
// EXEC-NEXT: header_lambda: A
