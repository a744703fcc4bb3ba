// FILE: test/plugin/CoroutineLowering.cpp
// DESCRIPTION: The lowered AST of coroutines (plugin/core/CoroutineLowering.cpp):
//   a function, a lambda, a generic lambda's specialization and a function
//   template's instantiation each get the coro_context variable first, the
//   initial suspend moved into the body inside the standard's try/catch, and
//   every co_await / co_yield hooked (Ready `|| suspending()`, the resume
//   hook in await_resume's object, the suspend guard only where
//   await_suspend may throw); the final suspend is left as it is. A template
//   pattern is not lowered. With -fplugin-arg-tacit-no-coroutine-lowering
//   nothing is. Also compiled to an object, so CodeGen takes every form.
// REQUIRES: plugin
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin %include -Xclang -ast-dump -Xclang -ast-dump-filter=lowered_ %s | FileCheck %s
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin %include -fplugin-arg-tacit-no-coroutine-lowering -fplugin-arg-tacit-no-coroutine-in-scope -Xclang -ast-dump -Xclang -ast-dump-filter=lowered_ %s | FileCheck %s --check-prefix=OFF
// RUN: %clangxx -std=c++20 -c %plugin %include -fplugin-arg-tacit-werror %s -o %t.o
#include <tacit/alloc.hpp>
#include <coroutine>

struct task {
  struct promise_type {
    task get_return_object() { return {}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    std::suspend_always yield_value(int) noexcept { return {}; }
    void unhandled_exception() {}
  };
};
struct may_throw { // await_suspend is not noexcept: it gets the guard
  bool await_ready() noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) {}
  int await_resume() noexcept { return 1; }
};

task lowered_function(tacit::arena &a) {
  with_alloc(a) {
    co_yield 1;
  }
  co_await may_throw{};
}
// CHECK-LABEL: Dumping lowered_function:
// CHECK: CoroutineBodyStmt
// CHECK-NEXT: CompoundStmt
// CHECK-NEXT: DeclStmt
// CHECK-NEXT: VarDecl {{.*}} implicit used __tacit_coro 'tacit::detail::coro_context' callinit destroyed
// CHECK-NEXT: CXXConstructExpr {{.*}} 'tacit::detail::coro_context' 'void () noexcept'
// CHECK-NEXT: CXXTryStmt
// CHECK-NEXT: CompoundStmt
//   The initial suspend, first in the try block:
// CHECK-NEXT: ExprWithCleanups
// CHECK-NEXT: CoawaitExpr {{.*}} implicit
// CHECK: BinaryOperator {{.*}} 'bool' '||'
// CHECK: MemberExpr {{.*}} .suspending
// CHECK: MemberExpr {{.*}} .await_resume
// CHECK-NEXT: BinaryOperator {{.*}} lvalue ','
// CHECK-NEXT: CXXMemberCallExpr {{.*}} 'void'
// CHECK-NEXT: MemberExpr {{.*}} .initial_resumed
//   The body, then co_yield inside the block (no guard), co_await (a guard):
// CHECK: CoyieldExpr
// CHECK: BinaryOperator {{.*}} 'bool' '||'
// CHECK: MemberExpr {{.*}} .suspending
// CHECK-NOT: suspend_guard
// CHECK: MemberExpr {{.*}} .resumed
// CHECK: CoawaitExpr {{.*}} 'int'
// CHECK: MemberExpr {{.*}} .suspending
// CHECK: ExprWithCleanups {{.*}} 'void'
// CHECK-NEXT: BinaryOperator {{.*}} 'void' ','
// CHECK-NEXT: CXXBindTemporaryExpr {{.*}} 'tacit::detail::suspend_guard'
// CHECK-NEXT: CXXTemporaryObjectExpr {{.*}} 'tacit::detail::suspend_guard' 'void () noexcept'
// CHECK: MemberExpr {{.*}} .await_suspend
// CHECK: MemberExpr {{.*}} .resumed
//   promise.return_void() ends the try block; the handler:
// CHECK: MemberExpr {{.*}} .return_void
// CHECK: CXXCatchStmt
// CHECK-NEXT: <<<NULL>>>
// CHECK-NEXT: CompoundStmt
// CHECK-NEXT: IfStmt
// CHECK-NEXT: UnaryOperator {{.*}} 'bool' prefix '!'
// CHECK-NEXT: CXXMemberCallExpr {{.*}} 'bool'
// CHECK-NEXT: MemberExpr {{.*}} .started
// CHECK: CXXThrowExpr {{.*}} 'void'
// CHECK-NEXT: CXXMemberCallExpr
// CHECK-NEXT: MemberExpr {{.*}} .unhandled_exception
//   The promise, then a no-op where the initial suspend was, then the final
//   suspend, unhooked; no handlers left in their slots:
// CHECK: DeclStmt
// CHECK-NEXT: VarDecl {{.*}} __promise
// CHECK: IntegerLiteral {{.*}} 'int' 0
// CHECK-NEXT: ExprWithCleanups
// CHECK-NEXT: CoawaitExpr {{.*}} implicit
// CHECK-NEXT: CXXMemberCallExpr
// CHECK-NEXT: MemberExpr {{.*}} .final_suspend
// CHECK-NOT: .suspending
// CHECK: <<<NULL>>>
// CHECK-NEXT: <<<NULL>>>
// OFF-LABEL: Dumping lowered_function:
// OFF-NOT: __tacit_coro
// OFF-NOT: suspending

void lowered_lambda(tacit::arena &a) {
  auto l = [&a]() -> task {
    with_alloc(a) { co_await std::suspend_always{}; }
  };
  l();
}
// CHECK-LABEL: Dumping lowered_lambda:
// CHECK: CXXMethodDecl {{.*}} used operator() 'auto () const -> task'
// CHECK-NEXT: CoroutineBodyStmt
// CHECK-NEXT: CompoundStmt
// CHECK-NEXT: DeclStmt
// CHECK-NEXT: VarDecl {{.*}} implicit used __tacit_coro
// CHECK: CXXTryStmt
// CHECK: .initial_resumed
// CHECK: .suspending
// CHECK: .resumed
// CHECK: CXXCatchStmt

void lowered_generic(tacit::arena &a) {
  auto g = [](auto &r) -> task {
    with_alloc(r) { co_yield 2; }
  };
  g(a);
}
//   The pattern is not lowered; its specialization for tacit::arena is.
// CHECK-LABEL: Dumping lowered_generic:
// CHECK: CXXMethodDecl {{.*}} operator() 'auto (auto &) const -> task'
// CHECK-NOT: __tacit_coro
// CHECK: CXXMethodDecl {{.*}} used operator() 'auto (tacit::arena &) const -> task' implicit_instantiation
// CHECK: CoroutineBodyStmt
// CHECK-NEXT: CompoundStmt
// CHECK-NEXT: DeclStmt
// CHECK-NEXT: VarDecl {{.*}} implicit used __tacit_coro
// CHECK: CoyieldExpr
// CHECK: .suspending
// CHECK: .resumed

template <class T> task lowered_template(T &r) {
  with_alloc(r) { co_await std::suspend_always{}; }
}
template task lowered_template(tacit::arena &);
// CHECK-LABEL: Dumping lowered_template:
// CHECK: FunctionDecl {{.*}} lowered_template 'task (T &)'
// CHECK-NEXT: ParmVarDecl
// CHECK-NEXT: CoroutineBodyStmt
// CHECK-NOT: __tacit_coro
// CHECK: FunctionDecl {{.*}} lowered_template 'task (tacit::arena &)'
// CHECK: CoroutineBodyStmt
// CHECK-NEXT: CompoundStmt
// CHECK-NEXT: DeclStmt
// CHECK-NEXT: VarDecl {{.*}} implicit used __tacit_coro
// CHECK: .suspending
