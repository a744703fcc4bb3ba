//===- UserCode.h - Walk the user's code, not the standard library --------===//
//
// FILE: plugin/core/UserCode.h
// DESCRIPTION: Code in system headers (the standard library) is ambient: no
//   check or lowering walks into it. One predicate and one visitor base say
//   so for every pass.
//
//===----------------------------------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef TACIT_PLUGIN_CORE_USERCODE_H
#define TACIT_PLUGIN_CORE_USERCODE_H

#include "clang/AST/Decl.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

namespace tacit {

// True for a declaration written in a system header.
inline bool inSystemHeader(const clang::Decl *D,
                           const clang::SourceManager &SM) {
  return D && !llvm::isa<clang::TranslationUnitDecl>(D) &&
         D->getLocation().isValid() && SM.isInSystemHeader(D->getLocation());
}

// A RecursiveASTVisitor that never enters a system header's declarations.
template <class Derived>
class UserCodeVisitor : public clang::RecursiveASTVisitor<Derived> {
public:
  explicit UserCodeVisitor(const clang::SourceManager &SM) : SM(SM) {}
  bool TraverseDecl(clang::Decl *D) {
    if (inSystemHeader(D, SM))
      return true;
    return clang::RecursiveASTVisitor<Derived>::TraverseDecl(D);
  }

protected:
  const clang::SourceManager &SM;
};

} // namespace tacit

#endif
