//===- WithoutAllocLowering.h - Lower the capability attributes -----------===//
//
// FILE: plugin/core/WithoutAllocLowering.h
// DESCRIPTION: Lowers the two capability attributes into the function body.
//
//   [[tacit::without(alloc)]]: the body becomes
//       { ::tacit::detail::heap_scope __tacit_without_alloc("file.cpp", 12);
//         <the original body> }
//   so it runs on the global heap whatever its caller's context: the scope
//   object is destroyed on every return path and during unwinding.
//   [[tacit::without(logger)]], for a user context: the same, with
//       ::tacit::detail::context_cleared<::logger> __tacit_without_logger(
//           "file.cpp", 12);
//   (the body and its callees see no `logger`). One site per capability:
//   [[tacit::without(alloc, logger)]] inserts both.
//
//   [[tacit::uses(alloc)]]: the body becomes
//       { ::tacit::detail::uses_check __tacit_uses_alloc("f", "file.cpp", 12);
//         <the original body> }
//   whose constructor, in checked mode (TACIT_CHECK), reports an entry with
//   no allocator context (a call that slipped past the compiler through a
//   pointer, or from code built without the plugin); otherwise it costs a
//   load and a predictable branch. Off with -fplugin-arg-tacit-no-entry-check.
//   [[tacit::uses(logger)]]: ::tacit::detail::uses_context_check<::logger>
//   __tacit_uses_logger("f", "file.cpp", 12), the same check for the
//   context (it stops the program: the body's reads would find nothing).
//   Skipped silently where a body cannot hold it (constexpr, consteval,
//   coroutines, naked, defaulted) or when the header lacks the class.
//
//   A [[tacit::without(alloc)]] constructor's member, base and delegating
//   initializers run before its body: each one that may run code (a call,
//   a non-trivial construction, a new-expression, a temporary with a
//   destructor) is rebuilt as
//       member((::tacit::detail::heap_scope("file.cpp", 12u), <init>))
//   i.e. a built-in comma whose left operand is a heap_scope temporary: it
//   is pushed before the initializer runs and popped at the end of the
//   initializer's full-expression, also when the initializer throws
//   (docs/diagnostics.md#withoutalloclowering explains the choice).
//
//   The plugin builds the declarations with Sema (ContextRAII,
//   AddInitializerToDecl, FinalizeDeclaration) before CodeGen sees the
//   function; tacit-lower inserts the same declarations as text
//   (loweringText), and wraps the initializers written in the main file as
//   text (initializersToLower, heapScopeText; it warns at the others). Both take only the without(alloc) functions that the
//   check tacit-without-alloc-lowering (LoweringValidator) accepts.
//   docs/diagnostics.md#withoutalloclowering,
//   test/plugin/WithoutAllocLowering.cpp
//
//===----------------------------------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef TACIT_PLUGIN_CORE_WITHOUTALLOCLOWERING_H
#define TACIT_PLUGIN_CORE_WITHOUTALLOCLOWERING_H

#include "Check.h"

#include "clang/AST/ASTContext.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

#include <string>

namespace clang {
class CXXConstructorDecl;
class CXXCtorInitializer;
class Sema;
}

namespace tacit {

// What the lowering inserts at the top of one body, for one capability.
// One mechanism for every capability: Heap is [[tacit::without(C)]] (for
// alloc a heap_scope, the global heap; for a user context a
// context_cleared<C>, the context cleared), EntryCheck is
// [[tacit::uses(C)]] (uses_check, or uses_context_check<C>).
struct LoweringSite {
  enum Kind { Heap, EntryCheck } What = Heap;
  Capability Cap = AllocCapability;
  // A constructor's initializers: every capability it is without (each
  // one's scope temporary opens before the initializer runs).
  llvm::SmallVector<Capability, 2> Cleared;
  clang::SourceLocation LBrace; // the body's `{`: the object goes right after
  std::string Function;         // EntryCheck: the name reported
  std::string File;             // recorded for runtime reports
  unsigned Line = 0;
};

// The check tacit-without-alloc-lowering: whether a [[tacit::without(alloc)]]
// definition can be lowered. Errors for coroutines, constexpr / consteval
// and naked functions, defaulted functions, constructors and destructors
// with a function-try-block, and a file that does not include
// <tacit/alloc.hpp> (where the function is defined); a warning at each
// constructor initializer that may allocate and that the lowering could not
// take (warnEarlyInitializer: the lowerings report it). Each function is
// judged, and reported, once.
class LoweringValidator {
public:
  explicit LoweringValidator(CheckContext &C);

  bool accepts(const clang::FunctionDecl &FD);
  // Whether Ctor's initializers are to be lowered: a without(alloc)
  // constructor the validator accepts, or a defaulted one (no body, but
  // initializers) once <tacit/alloc.hpp> is included.
  bool acceptsInitializers(const clang::CXXConstructorDecl &Ctor);
  bool runsOnHeap(const clang::CXXConstructorDecl &Ctor) const;
  // The initializer warning, for one that a lowering did not take.
  void warnEarlyInitializer(const clang::CXXConstructorDecl &Ctor,
                            const clang::CXXCtorInitializer &I);
  // tacit::detail::<Name> from <tacit/alloc.hpp>, once declared.
  const clang::CXXRecordDecl *headerClass(llvm::StringRef Name);
  // The class a site's object has: heap_scope, uses_check, or the
  // specialization for Cap of context_cleared / uses_context_check (S
  // instantiates it); null when the header does not declare it.
  const clang::CXXRecordDecl *siteClass(clang::Sema *S,
                                        LoweringSite::Kind What,
                                        Capability Cap);

private:
  bool judge(const clang::FunctionDecl &FD);

  clang::ASTContext &Ctx;
  Capabilities &Caps;
  bool Reports;
  Diagnostics Diag;
  llvm::DenseMap<const clang::FunctionDecl *, bool> Verdict;
  const clang::NamedDecl *headerDecl(llvm::StringRef Name);
  llvm::StringMap<const clang::CXXRecordDecl *> Found;
  unsigned NoHeaderID, UnsupportedID, CtxUnsupportedID, EarlyInitID,
      EarlyInitNoteID;
};

// The insertions FD's body needs, if any (validated: a without(alloc)
// definition the validator refuses gets none).
llvm::SmallVector<LoweringSite, 2>
loweringSites(const clang::FunctionDecl &FD, Capabilities &Caps,
              LoweringValidator &V, const Options &Opts);

// The declaration the lowering inserts, as source text.
std::string loweringText(const LoweringSite &Site);

// The scope temporaries an initializer is wrapped in, as source text, one
// per capability in Site.Cleared, separated by commas:
// ::tacit::detail::heap_scope("file.cpp", 12u)
std::string heapScopeText(const LoweringSite &Site);

// Whether E may run code when it is evaluated (so may allocate): a call, a
// non-trivial construction or destruction, a new- or delete-expression.
// Constant initializers, unevaluated operands and lambda bodies do not.
bool mayRunCode(const clang::Expr *E, const clang::ASTContext &Ctx);

// The initializers of a without(alloc) constructor that the lowering wraps
// (indexes into Ctor.inits()); empty unless V.acceptsInitializers(Ctor).
// Site: the heap_scope's file and line (the constructor's).
llvm::SmallVector<unsigned, 4>
initializersToLower(const clang::CXXConstructorDecl &Ctor,
                    LoweringValidator &V, LoweringSite &Site);

class WithoutAllocLowering {
public:
  WithoutAllocLowering(clang::Sema &S, Capabilities &Caps,
                       LoweringValidator &V, const Options &Opts);

  // Lowers FD if it carries a capability attribute (once).
  void lower(clang::FunctionDecl *FD);
  // Lowers every definition not yet lowered (lambdas, late instantiations).
  void lowerRemaining(clang::ASTContext &Ctx);

private:
  void insert(clang::FunctionDecl *FD, const LoweringSite &Site);
  bool lowerInitializers(clang::CXXConstructorDecl *Ctor);
  clang::Expr *onHeap(clang::Expr *Init, const LoweringSite &Site,
                      clang::SourceLocation L);

  clang::Sema &S;
  Capabilities &Caps;
  LoweringValidator &Validator;
  const Options &Opts;
  llvm::DenseSet<const clang::FunctionDecl *> Done;
  bool AtEnd = false; // in lowerRemaining: parsing (and constant
                      // evaluation while parsing) is over
};

} // namespace tacit

#endif
