//===- FixIts.cpp - The edits Tacit's diagnostics suggest -----------------===//
//
// FILE: plugin/core/FixIts.cpp
// DESCRIPTION: See FixIts.h.
//
//===----------------------------------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "FixIts.h"

#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace tacit {

static bool editable(SourceLocation L, const SourceManager &SM) {
  return L.isValid() && L.isFileID() && !SM.isInSystemHeader(L);
}

std::optional<FixItHint> addUsesToFunction(const FunctionDecl &FD,
                                           const SourceManager &SM,
                                           llvm::StringRef Capability) {
  const FunctionDecl *F = &FD;
  if (const FunctionDecl *P = F->getTemplateInstantiationPattern())
    F = P;
  F = F->getFirstDecl();
  if (F->isImplicit() || F->isMain())
    return std::nullopt;
  SourceLocation L = F->getInnerLocStart();
  if (!editable(L, SM))
    return std::nullopt;
  return FixItHint::CreateInsertion(
      L, ("[[tacit::uses(" + Capability + ")]] ").str());
}

std::optional<FixItHint> addUsesToLambda(const LambdaExpr &Lam,
                                         const SourceManager &SM,
                                         const LangOptions &LO,
                                         llvm::StringRef Capability) {
  SourceLocation Close = Lam.getIntroducerRange().getEnd();
  if (!editable(Close, SM))
    return std::nullopt;
  SourceLocation After = Lexer::getLocForEndOfToken(Close, 0, SM, LO);
  if (After.isInvalid())
    return std::nullopt;
  return FixItHint::CreateInsertion(
      After, (" [[tacit::uses(" + Capability + ")]]").str());
}

std::optional<std::pair<FixItHint, FixItHint>>
wrapInWithAlloc(const Stmt &S, const SourceManager &SM, const LangOptions &LO) {
  CharSourceRange R = Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(S.getSourceRange()), SM, LO);
  if (R.isInvalid() || SM.isInSystemHeader(R.getBegin()))
    return std::nullopt;
  SourceLocation End = R.getEnd();
  // Take the statement's `;` along (an expression statement's range stops
  // before it).
  bool Invalid = false;
  const char *P = SM.getCharacterData(End, &Invalid);
  if (Invalid)
    return std::nullopt;
  unsigned Skip = 0;
  while (P[Skip] == ' ' || P[Skip] == '\t')
    ++Skip;
  if (P[Skip] == ';')
    End = End.getLocWithOffset(Skip + 1);
  return std::make_pair(
      FixItHint::CreateInsertion(R.getBegin(),
                                 "with_alloc(tacit::current()) { "),
      FixItHint::CreateInsertion(End, " }"));
}

} // namespace tacit
