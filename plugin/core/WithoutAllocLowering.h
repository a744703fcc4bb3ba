//===- WithoutAllocLowering.h - Run without(alloc) bodies on the heap -----===//
//
// FILE: plugin/core/WithoutAllocLowering.h
// DESCRIPTION: Lowers a [[tacit::without(alloc)]] function: its body becomes
//
//       { ::tacit::detail::heap_scope __tacit_without_alloc("file.cpp", 12);
//         <the original body> }
//
//   so it runs on the global heap whatever its caller's context: the scope
//   object is destroyed on every return path and during unwinding. The plugin
//   builds the declaration with Sema (ContextRAII, AddInitializerToDecl,
//   FinalizeDeclaration) before CodeGen sees the function; tacit-lower
//   inserts the same declaration as text (loweringText).
//
//   Not lowered, with an error: coroutines, constexpr functions, constructors
//   and destructors with a function-try-block, and any use in a file that
//   does not include <tacit/alloc.hpp>. A constructor's member initializers
//   run before its body, so in the caller's context.
//   docs/diagnostics.md#withoutalloclowering,
//   test/plugin/WithoutAllocLowering.cpp
//
//===----------------------------------------------------------------------===//
#ifndef TACIT_PLUGIN_CORE_WITHOUTALLOCLOWERING_H
#define TACIT_PLUGIN_CORE_WITHOUTALLOCLOWERING_H

#include "Capabilities.h"
#include "Options.h"

#include "clang/AST/ASTContext.h"
#include "llvm/ADT/DenseSet.h"

#include <string>

namespace clang {
class Sema;
}

namespace tacit {

// Where a function's heap scope is opened and what it records.
struct LoweringSite {
  clang::SourceLocation LBrace; // the body's `{`: the scope goes right after
  std::string File;             // recorded for runtime reports
  unsigned Line = 0;
};

// The site, if FD is a definition that should be lowered (no checks of the
// unsupported cases; see WithoutAllocLowering::lower).
std::optional<LoweringSite> loweringSite(const clang::FunctionDecl &FD,
                                         Capabilities &Caps,
                                         const clang::SourceManager &SM);

// The declaration the lowering inserts, as source text.
std::string loweringText(const LoweringSite &Site);

class WithoutAllocLowering {
public:
  WithoutAllocLowering(clang::Sema &S, Capabilities &Caps,
                       const Options &Opts);

  // Lowers FD if it is a [[tacit::without(alloc)]] definition (once).
  void lower(clang::FunctionDecl *FD);
  // Lowers every definition not yet lowered (lambdas, late instantiations).
  void lowerRemaining(clang::ASTContext &Ctx);

private:
  clang::CXXRecordDecl *heapScopeClass();
  bool unsupported(clang::FunctionDecl *FD);
  // Warns at each initializer of a without(alloc) constructor that may
  // allocate: initializers run before the body, in the caller's context.
  void warnEarlyInitializers(const clang::CXXConstructorDecl &Ctor);

  clang::Sema &S;
  Capabilities &Caps;
  llvm::DenseSet<const clang::FunctionDecl *> Done;
  clang::CXXRecordDecl *HeapScope = nullptr;
  bool LookedUp = false;
  unsigned NoHeaderID, UnsupportedID, EarlyInitID, EarlyInitNoteID;
};

} // namespace tacit

#endif
