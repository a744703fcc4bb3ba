//===- Check.h - What a Tacit check is, and what it sees ------------------===//
//
// FILE: plugin/core/Check.h
// DESCRIPTION: The check framework, in clang-tidy's shape. A check is one
//   class in one file (plugin/core/<Class>.cpp), registered by a row of
//   Checks.def. It does not walk the translation unit itself: one traversal
//   (CheckWalker.cpp) keeps the state every check needs — the function being
//   walked, the with_alloc / without_alloc blocks around the node, whether
//   that is an allocator context — and hands each user-code node to every
//   enabled check. A check's diagnostics go through its Diagnostics, which
//   appends " [tacit-<name>]" to each warning and error, picks the level
//   (werror), skips system headers and reports a location once (a template
//   instantiated twice is one finding).
//
//===----------------------------------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef TACIT_PLUGIN_CORE_CHECK_H
#define TACIT_PLUGIN_CORE_CHECK_H

#include "Capabilities.h"
#include "Options.h"
#include "Scopes.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

#include <memory>
#include <vector>

namespace tacit {

// Where the walker stands: the context rules of docs/diagnostics.md
// (MissingCapability).
//   inside with_alloc                               -> in context
//   inside without_alloc (even within with_alloc)   -> not in context
//   otherwise: the function's body is a context iff it requires alloc and
//   is not [[tacit::without(alloc)]]
struct Where {
  const clang::FunctionDecl *Function = nullptr; // null at namespace scope
  const clang::LambdaExpr *Lambda = nullptr;     // when Function is one
  bool BodyHasContext = false;
  bool LambdaWrittenInWithAlloc = false;
  // A function-local static's initializer: it runs on the global heap
  // whatever the blocks around it say (the runtime's static-init guard).
  const clang::VarDecl *StaticInit = nullptr;
  // Code the user did not write here but that runs here: a default
  // argument, a default member initializer, a member built implicitly.
  // Findings inside it are reported at ReportAt (the call or the
  // construction), with a note at ReportVia (the parameter or member).
  clang::SourceLocation ReportAt;
  const clang::Decl *ReportVia = nullptr;
  llvm::SmallVector<Scope, 4> Scopes; // innermost last
  // The with_context blocks around the node, innermost last (kept apart
  // from Scopes: they say nothing about the allocator).
  llvm::SmallVector<ContextScope, 2> ContextScopes;
  // The user contexts open where the lambda being walked was written.
  llvm::SmallVector<const clang::CXXRecordDecl *, 2> LambdaWrittenInContexts;

  // The innermost with_context block of context C around the node.
  const ContextScope *innermostOf(const clang::CXXRecordDecl *C) const {
    for (const ContextScope &S : llvm::reverse(ContextScopes))
      if (S.Context == C)
        return &S;
    return nullptr;
  }

  const Scope *innermost() const {
    return Scopes.empty() ? nullptr : &Scopes.back();
  }
  bool inWithAlloc() const {
    return !StaticInit && !Scopes.empty() &&
           Scopes.back().Kind == ScopeKind::WithAlloc;
  }
  bool inAllocContext() const {
    if (StaticInit)
      return false;
    if (!Scopes.empty())
      return Scopes.back().Kind == ScopeKind::WithAlloc;
    return BodyHasContext;
  }
};

// A check's diagnostics: IDs whose message ends in the check's name.
class Diagnostics {
public:
  Diagnostics(clang::DiagnosticsEngine &D, const Options &O, CheckId C);

  unsigned error(llvm::StringRef Format);
  unsigned warning(llvm::StringRef Format); // an error under werror
  unsigned note(llvm::StringRef Format);

  // The user-file location to report at; invalid when it is in a system
  // header or this check already reported there.
  clang::SourceLocation claim(clang::SourceLocation L);

  clang::DiagnosticBuilder report(clang::SourceLocation L, unsigned ID) {
    return D.Report(L, ID);
  }
  clang::DiagnosticsEngine &engine() { return D; }

private:
  clang::DiagnosticsEngine &D;
  const Options &O;
  std::string Suffix;
  llvm::DenseSet<unsigned> Reported;
};

class LoweringValidator;
class CoroutineLowering;

// What every check is given.
struct CheckContext {
  clang::ASTContext &Ctx;
  Capabilities &Caps;
  const Options &Opts;
  LoweringValidator *Validator = nullptr; // tacit-without-alloc-lowering
  // Null when the coroutine lowering is off (no-coroutine-lowering).
  CoroutineLowering *Coroutines = nullptr;
};

class Check {
public:
  Check(CheckId Id, CheckContext &C);
  virtual ~Check();

  CheckId id() const { return Id; }

  // Each user-code declaration and statement, in traversal order (parents
  // before children), with the walker's state. Unevaluated operands
  // (sizeof, decltype, noexcept, requires) are not walked.
  virtual void onDecl(clang::Decl *D, const Where &W) {}
  virtual void onStmt(clang::Stmt *S, const Where &W) {}
  // A with_alloc / without_alloc block opens (W does not hold it yet).
  virtual void onScope(const Scope &S, const Where &W) {}
  // After the walk.
  virtual void onEndOfTranslationUnit() {}

protected:
  CheckId Id;
  clang::ASTContext &Ctx;
  clang::SourceManager &SM;
  Capabilities &Caps;
  const Options &Opts;
  Diagnostics Diag;
};

// The enabled checks, in Checks.def order.
std::vector<std::unique_ptr<Check>> makeChecks(CheckContext &C);

// Walks the translation unit once, handing every node to the checks.
void runChecks(CheckContext &C, llvm::ArrayRef<std::unique_ptr<Check>> Checks);

// One factory per row of Checks.def, each in its check's file.
#define TACIT_CHECK(Class, Name, Summary)                                      \
  std::unique_ptr<Check> make##Class(CheckContext &C);
#include "Checks.def"

} // namespace tacit

#endif
