//===- CoroutineLowering.h - The allocator context follows the coroutine --===//
//
// FILE: plugin/core/CoroutineLowering.h
// DESCRIPTION: Lowers every coroutine definition so that the allocator
//   context follows the coroutine rather than the thread: it runs in the
//   context it was created in (on whichever thread resumes it, for as long
//   as that context's scopes are open; else in its resumer's), its own
//   with_alloc / without_alloc blocks may hold co_await and co_yield, and
//   while it is suspended none of its context is on any thread's stack. The
//   runtime half is tacit::detail::coro_context and suspend_guard
//   (<tacit/alloc.hpp>, runtime/src/coroutines.cpp).
//
//   The body of each coroutine (a CoroutineBodyStmt) is rebuilt:
//
//     InitialSuspend : a no-op (IntegerLiteral 0); the suspend moves below
//     OnException, OnFallthrough : null (moved below)
//     Body :
//       { ::tacit::detail::coro_context __tacit_coro;  // captures the context
//         try {
//           <the initial suspend, now an ordinary statement>;
//           <the original body>
//           <OnFallthrough: promise.return_void()>
//         } catch (...) {
//           if (!__tacit_coro.started()) throw;  // [dcl.fct.def.coroutine]p5
//           <OnException: promise.unhandled_exception()>
//         }
//       }
//
//   (no try/catch under -fno-exceptions, where Clang builds no handler), and
//   each co_await / co_yield of the coroutine — the moved initial suspend
//   too; not the final suspend; not those of nested lambdas or local
//   classes, which are coroutines of their own — is hooked:
//
//     Ready   ->  <ready> || __tacit_coro.suspending()
//     Resume  ->  (__tacit_coro.resumed(), awaiter).await_resume()
//                 (initial_resumed() for the initial suspend)
//     Suspend ->  (::tacit::detail::suspend_guard(), <suspend>)
//                 only when <suspend> may throw (Clang's StmtCanThrow rule)
//
//   Why this shape (the findings of the prototype this was ported from,
//   which is not part of this repository):
//   the Ready hook is the last point inside the coroutine before
//   await_suspend hands the handle to someone who may resume or destroy it
//   on another thread, so the context leaves the thread there and
//   await_suspend runs in the resumer's context. The resume hook sits in the
//   await_resume call's object expression so Resume stays a CallExpr (Clang
//   asserts that for lvalue co_await). The initial suspend moves into the
//   body so it runs with the context installed, and the handler moves with
//   it in the standard's own form, so an exception before the initial
//   await_resume still reaches the caller. The guard puts the context back
//   when an await_suspend throws, before the exception re-enters the body.
//
//   When: as each definition reaches the consumer (HandleTopLevelDecl,
//   HandleInlineFunctionDefinition: functions, members, template
//   instantiations, generic lambdas' specializations, system headers too —
//   Asio's own coroutines must follow contexts), and at the end of the
//   translation unit for the lambdas and local-class members used in it,
//   which never pass the consumer: UsedCoroutines, an ASTMutationListener,
//   records them as Sema marks them used (CodeGen emits a lambda only if it
//   is used, and only at the end of the translation unit), so the end needs
//   no walk of the AST at all.
//
//   Only when <tacit/alloc.hpp> declares coro_context and suspend_guard (a
//   translation unit without the header is left alone, silently); each
//   function once; a body that already declares __tacit_coro (read from a
//   PCH or module built with the plugin) is left as it is. If Sema refuses
//   any piece, the coroutine is put back as it was and remembered as
//   refused: the check tacit-coroutine-in-scope then reports its suspension
//   points inside blocks (CoroutineInScope.cpp).
//
//   The inspection functions below (loweredParts, hooksOf, withoutHooks)
//   read a lowered body back: the check walker uses them to show the checks
//   the user's code only, tacit-lower to print what was done.
//   docs/diagnostics.md#coroutinelowering, test/plugin/CoroutineLowering*.cpp
//
//===----------------------------------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef TACIT_PLUGIN_CORE_COROUTINELOWERING_H
#define TACIT_PLUGIN_CORE_COROUTINELOWERING_H

#include "Options.h"

#include "clang/AST/ASTMutationListener.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <vector>

namespace clang {
class CoroutineSuspendExpr;
class CXXRecordDecl;
class CXXTryStmt;
class FunctionDecl;
class MemberExpr;
class Sema;
class VarDecl;
} // namespace clang

namespace tacit {

class LoweringValidator;

// Why a coroutine was not lowered (the check tacit-coroutine-in-scope's
// %select).
enum class CoroutineRefusal {
  Off,       // -fplugin-arg-tacit-no-coroutine-lowering
  NoRuntime, // <tacit/alloc.hpp> lacks coro_context / suspend_guard
  Refused,   // Sema refused a piece of the lowering
};

// Records the lambdas' call operators and local classes' members that Sema
// marks used: the definitions that reach CodeGen without passing the
// consumer. Owned by the consumer from its construction (the front end
// collects the listeners before Sema exists); one pointer push per used
// lambda, nothing for any other declaration.
class UsedCoroutines : public clang::ASTMutationListener {
public:
  void DeclarationMarkedUsed(const clang::Decl *D) override;
  // The ones recorded since the last call.
  std::vector<clang::FunctionDecl *> take() { return std::move(Pending); }

private:
  std::vector<clang::FunctionDecl *> Pending;
};

class CoroutineLowering {
public:
  // Runtime: finds tacit::detail::<class> once <tacit/alloc.hpp> declared it.
  CoroutineLowering(clang::Sema &S, LoweringValidator &Runtime,
                    const Options &Opts);

  // Lowers FD if it is a coroutine definition (once).
  void lower(clang::FunctionDecl *FD);
  // At the end of the translation unit: the used lambdas and local members.
  void lowerUsed(UsedCoroutines &Used);

  bool isLowered(const clang::FunctionDecl *FD) const {
    return Lowered.count(FD) != 0;
  }
  // Why a coroutine definition was not lowered; none when it was, or when it
  // has not been seen (a lambda never used is never emitted either).
  std::optional<CoroutineRefusal> refusal(const clang::FunctionDecl &FD);

  // For dump-coroutines.
  struct Counts {
    unsigned Coroutines = 0, InSystemHeaders = 0, Suspensions = 0, Guards = 0,
             Refused = 0;
    double Seconds = 0, EndSeconds = 0; // in lower(); in lowerUsed()
  };
  const Counts &counts() const { return Count; }

private:
  bool lowerBody(clang::FunctionDecl *FD, clang::CoroutineBodyStmt *CB);
  bool hook(clang::CoroutineSuspendExpr *E, clang::VarDecl *Var, bool Initial);
  bool hookAll(clang::Stmt *St, clang::VarDecl *Var,
               clang::CoroutineSuspendExpr *Initial);
  void undo();
  clang::Expr *call(clang::VarDecl *Var, llvm::StringRef Method,
                    clang::SourceLocation L);
  const clang::CXXRecordDecl *runtimeClass(const char *Name);

  clang::Sema &S;
  clang::ASTContext &Ctx;
  LoweringValidator &Runtime;
  const Options &Opts;
  llvm::DenseSet<const clang::FunctionDecl *> Done, Lowered;
  llvm::DenseSet<const clang::FunctionDecl *> Failed;
  // What one lowering changed, to put it back if a later piece fails.
  struct Undo {
    clang::CoroutineSuspendExpr *E;
    clang::Expr *Ready, *Suspend, *Resume;
    clang::MemberExpr *Callee; // await_resume's, when its object was hooked
    clang::Expr *Base;
  };
  llvm::SmallVector<Undo, 8> Hooked;
  llvm::DenseSet<const clang::Stmt *> Seen;
  Counts Count;
  unsigned DumpID = 0;
};

// The parts of a lowered coroutine body, as they were before the lowering.
struct LoweredCoroutine {
  clang::VarDecl *Context = nullptr;     // __tacit_coro
  clang::Stmt *InitialSuspend = nullptr; // the moved initial suspend
  clang::CompoundStmt *Body = nullptr;   // the user's body
  clang::Stmt *OnFallthrough = nullptr;  // may be null
  clang::Stmt *OnException = nullptr;    // null without a try
  clang::CXXTryStmt *Try = nullptr;      // null under -fno-exceptions
};
// CB's parts if the lowering built it (the variable first, implicit, named
// __tacit_coro); none otherwise.
std::optional<LoweredCoroutine>
loweredParts(const clang::CoroutineBodyStmt &CB);

// What the lowering did to one suspension point.
struct SuspensionHooks {
  bool Ready = false;   // <ready> || __tacit_coro.suspending()
  bool Guard = false;   // (suspend_guard(), <suspend>)
  bool Resume = false;  // __tacit_coro.resumed() / initial_resumed()
  bool Initial = false; // the resume hook is initial_resumed()
};
SuspensionHooks hooksOf(const clang::CoroutineSuspendExpr &E);

// The expression the lowering wrapped, when S is a node it added around one
// (the Ready `||`, the Resume comma, the guard's comma and its cleanups); S
// otherwise. The check walker walks through these, so no check sees a hook.
clang::Stmt *withoutHooks(clang::Stmt *S);

} // namespace tacit

#endif
