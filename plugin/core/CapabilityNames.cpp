//===- CapabilityNames.cpp - Resolve the names in uses(...) / without(...) -===//
//
// FILE: plugin/core/CapabilityNames.cpp
// DESCRIPTION: See CapabilityNames.h.
//
//===----------------------------------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "CapabilityNames.h"

#include "tacit/names.hpp"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "clang/Sema/Lookup.h"
#include "clang/Sema/Sema.h"

using namespace clang;

namespace tacit {
namespace {

bool inTopNamespace(const Decl &D) {
  const auto *NS = dyn_cast<NamespaceDecl>(D.getDeclContext());
  return NS && NS->getIdentifier() &&
         NS->getName() == TACIT_NAME_STR(TACIT_NAME_NAMESPACE) &&
         NS->getDeclContext()->getRedeclContext()->isTranslationUnit();
}

bool isContextTag(const CXXRecordDecl &RD) {
  return RD.getIdentifier() && RD.getName() == "context_tag" &&
         inTopNamespace(RD);
}

const CXXRecordDecl *recordOf(const NamedDecl *D) {
  if (!D)
    return nullptr;
  D = D->getUnderlyingDecl();
  if (const auto *RD = dyn_cast<CXXRecordDecl>(D))
    return RD;
  if (const auto *TD = dyn_cast<TypedefNameDecl>(D))
    return TD->getUnderlyingType()->getAsCXXRecordDecl();
  return nullptr;
}

// Every context class declared at namespace scope, for the typo fix-it.
void collectContexts(const DeclContext &DC,
                     llvm::SmallVectorImpl<const CXXRecordDecl *> &Out) {
  for (const Decl *D : DC.decls()) {
    if (const auto *NS = dyn_cast<NamespaceDecl>(D))
      collectContexts(*NS, Out);
    else if (const auto *LS = dyn_cast<LinkageSpecDecl>(D))
      collectContexts(*LS, Out);
    else if (const auto *RD = dyn_cast<CXXRecordDecl>(D))
      if (RD->isThisDeclarationADefinition() && isContextClass(RD))
        Out.push_back(RD);
  }
}

} // namespace

std::string capabilityName(Capability C) {
  if (!C)
    return "alloc";
  return C->getNameAsString();
}

bool isContextClass(const CXXRecordDecl *RD) {
  if (!RD)
    return false;
  RD = RD->getDefinition();
  if (!RD || isContextTag(*RD))
    return false;
  for (const CXXBaseSpecifier &B : RD->bases()) {
    const CXXRecordDecl *Base = B.getType()->getAsCXXRecordDecl();
    if (Base && (isContextTag(*Base) || isContextClass(Base)))
      return true;
  }
  return false;
}

NameResolution resolveCapabilityName(Sema &S, const IdentifierInfo &Name,
                                     SourceLocation Loc) {
  NameResolution Res;
  if (Name.getName() == "alloc") {
    Res.Resolved = true;
    return Res;
  }
  LookupResult R(S, DeclarationName(&Name), Loc, Sema::LookupOrdinaryName);
  bool Found = false;
  if (clang::Scope *Sc = S.getCurScope())
    Found = S.LookupName(R, Sc);
  if (!Found) {
    R.clear();
    Found = S.LookupQualifiedName(R, S.Context.getTranslationUnitDecl());
  }
  if (Found && R.isSingleResult()) {
    const NamedDecl *D = R.getFoundDecl();
    if (const CXXRecordDecl *RD = recordOf(D); isContextClass(RD)) {
      Res.Resolved = true;
      Res.Cap = RD->getCanonicalDecl();
      return Res;
    }
    Res.NotAContext = D;
  }
  // The closest declared name, as clang's typo correction picks one: within
  // a third of the name's length (at least one edit).
  llvm::SmallVector<const CXXRecordDecl *, 8> Contexts;
  collectContexts(*S.Context.getTranslationUnitDecl(), Contexts);
  llvm::SmallVector<std::string, 8> Names{"alloc"};
  for (const CXXRecordDecl *RD : Contexts)
    Names.push_back(RD->getNameAsString());
  unsigned Limit = std::max<unsigned>(1, (Name.getLength() + 2) / 3);
  unsigned Best = Limit + 1;
  for (const std::string &N : Names) {
    if (N == Name.getName())
      continue;
    unsigned D = Name.getName().edit_distance(N, true, Limit);
    if (D < Best) {
      Best = D;
      Res.Suggestion = N;
    }
  }
  return Res;
}

namespace {
// Joined identifier (its first character in the rewritten buffer) -> the
// names' offsets and lengths from it.
llvm::DenseMap<const char *,
               llvm::SmallVector<std::pair<unsigned, unsigned>, 3>> &
listTable() {
  static llvm::DenseMap<const char *,
                        llvm::SmallVector<std::pair<unsigned, unsigned>, 3>>
      T;
  return T;
}
} // namespace

bool mayContainCapabilityList(llvm::StringRef Text) {
  return Text.contains("tacit::uses") || Text.contains("tacit::without") ||
         Text.contains("TACIT_USES(") || Text.contains("TACIT_WITHOUT(");
}

std::optional<std::string>
rewriteCapabilityLists(llvm::StringRef Text, const LangOptions &LO,
                       std::vector<CapabilityListSplit> &Splits) {
  if (!mayContainCapabilityList(Text))
    return std::nullopt;
  std::string Out = Text.str(); // null-terminated, for the raw lexer
  Lexer L(SourceLocation(), LO, Out.data(), Out.data(),
          Out.data() + Out.size());
  std::vector<Token> Toks;
  Token T;
  do {
    L.LexFromRawLexer(T);
    Toks.push_back(T);
  } while (T.isNot(tok::eof));
  auto Off = [&](const Token &K) {
    return unsigned(K.getLocation().getRawEncoding());
  };
  // (A raw lexer with an invalid file location numbers its tokens by
  // their offset in the buffer.)
  auto Word = [&](size_t I) -> llvm::StringRef {
    if (I >= Toks.size() || Toks[I].isNot(tok::raw_identifier))
      return {};
    return Toks[I].getRawIdentifier();
  };
  std::string Result = Out;
  bool Changed = false;
  for (size_t I = 0; I + 4 < Toks.size(); ++I) {
    // `tacit::uses(` / `tacit::without(`, or the header's macro spellings
    // `TACIT_USES(` / `TACIT_WITHOUT(`.
    size_t J;
    if (Word(I) == "tacit" && Toks[I + 1].is(tok::coloncolon) &&
        (Word(I + 2) == "uses" || Word(I + 2) == "without") &&
        Toks[I + 3].is(tok::l_paren))
      J = I + 4;
    else if ((Word(I) == "TACIT_USES" || Word(I) == "TACIT_WITHOUT") &&
             Toks[I + 1].is(tok::l_paren))
      J = I + 2;
    else
      continue;
    CapabilityListSplit Split;
    bool OK = !Word(J).empty();
    if (OK) {
      Split.Offset = Off(Toks[J]);
      Split.Names.push_back({0, Toks[J].getLength()});
      ++J;
    }
    while (OK && J + 1 < Toks.size() && Toks[J].is(tok::comma)) {
      if (Word(J + 1).empty()) {
        OK = false;
        break;
      }
      Split.Names.push_back(
          {Off(Toks[J + 1]) - Split.Offset, Toks[J + 1].getLength()});
      J += 2;
    }
    if (!OK || J >= Toks.size() || Toks[J].isNot(tok::r_paren) ||
        Split.Names.size() < 2)
      continue;
    // Only spaces, tabs and the commas between the names.
    unsigned End = Off(Toks[J - 1]) + Toks[J - 1].getLength();
    llvm::StringRef Between =
        llvm::StringRef(Out).slice(Split.Offset, End);
    bool Plain = true;
    for (size_t N = 1; N < Split.Names.size(); ++N) {
      unsigned From = Split.Names[N - 1].first + Split.Names[N - 1].second;
      for (char C : Between.slice(From, Split.Names[N].first))
        if (C != ' ' && C != '\t' && C != ',')
          Plain = false;
    }
    if (!Plain)
      continue;
    for (size_t N = 1; N < Split.Names.size(); ++N) {
      unsigned From = Split.Names[N - 1].first + Split.Names[N - 1].second;
      for (unsigned K = From; K < Split.Names[N].first; ++K)
        Result[Split.Offset + K] = '_';
    }
    Splits.push_back(std::move(Split));
    Changed = true;
    I = J;
  }
  if (!Changed)
    return std::nullopt;
  return Result;
}

void rememberCapabilityLists(const char *Base,
                             const std::vector<CapabilityListSplit> &Splits) {
  for (const CapabilityListSplit &S : Splits)
    listTable()[Base + S.Offset] = S.Names;
}

llvm::SmallVector<CapabilityListEntry, 2>
capabilityList(Sema &S, const IdentifierLoc &Arg) {
  const SourceManager &SM = S.getSourceManager();
  bool Invalid = false;
  const char *P = SM.getCharacterData(SM.getSpellingLoc(Arg.Loc), &Invalid);
  if (!Invalid) {
    auto It = listTable().find(P);
    if (It != listTable().end()) {
      llvm::SmallVector<CapabilityListEntry, 2> Out;
      for (auto [Offset, Length] : It->second)
        Out.push_back(CapabilityListEntry{
            &S.Context.Idents.get(llvm::StringRef(P + Offset, Length)),
            Arg.Loc.getLocWithOffset(Offset)});
      return Out;
    }
  }
  return {CapabilityListEntry{Arg.Ident, Arg.Loc}};
}

AnnotateAttr *makeContextAnnotation(ASTContext &Ctx, const char *Annotation,
                                    Capability C, SourceRange Range) {
  QualType T = Ctx.getRecordType(C);
  TypeSourceInfo *TSI = Ctx.getTrivialTypeSourceInfo(T, Range.getBegin());
  // sizeof(Context): a constant expression whose operand names the class,
  // kept across PCH and template instantiation like any attribute argument.
  Expr *SizeOf = new (Ctx) UnaryExprOrTypeTraitExpr(
      UETT_SizeOf, TSI, Ctx.getSizeType(), Range.getBegin(), Range.getEnd());
  // Wrapped as Sema wraps an annotate attribute's arguments: CodeGen reads
  // each one as a ConstantExpr holding its value (a bare expression there
  // was read as one: a crash, depending on the memory behind it).
  llvm::APSInt Size(Ctx.getTypeSize(Ctx.getSizeType()), /*isUnsigned=*/true);
  Size = Ctx.getTypeSizeInChars(T).getQuantity();
  Expr *Arg = ConstantExpr::Create(Ctx, SizeOf, APValue(Size));
  Expr *Args[] = {Arg};
  return AnnotateAttr::Create(Ctx, Annotation, Args, 1, Range);
}

bool annotatedCapability(const AnnotateAttr &A, Capability &C, bool &Uses) {
  llvm::StringRef N = A.getAnnotation();
  if (N == "tacit::uses" || N == "tacit::without") {
    C = AllocCapability;
    Uses = N == "tacit::uses";
    return true;
  }
  if (N != UsesContextAnnotation && N != WithoutContextAnnotation)
    return false;
  if (A.args_size() != 1)
    return false;
  const auto *E =
      dyn_cast<UnaryExprOrTypeTraitExpr>((*A.args_begin())->IgnoreImplicit());
  if (!E || !E->isArgumentType())
    return false;
  const CXXRecordDecl *RD = E->getArgumentType()->getAsCXXRecordDecl();
  if (!RD)
    return false;
  C = RD->getCanonicalDecl();
  Uses = N == UsesContextAnnotation;
  return true;
}

Capability getterRequirement(const FunctionDecl &FD) {
  const FunctionTemplateDecl *T = FD.getPrimaryTemplate();
  if (!T || !T->getIdentifier() || T->getName() != "get" ||
      !inTopNamespace(*T))
    return nullptr;
  const TemplateArgumentList *Args = FD.getTemplateSpecializationArgs();
  if (!Args || Args->size() != 1 ||
      Args->get(0).getKind() != TemplateArgument::Type)
    return nullptr;
  const CXXRecordDecl *RD = Args->get(0).getAsType()->getAsCXXRecordDecl();
  if (!isContextClass(RD))
    return nullptr;
  // TACIT_CONTEXT(name, Type, default) declares fallback(): get returns it
  // when no scope is open, so the call needs none.
  RD = RD->getDefinition();
  if (!RD->lookup(&FD.getASTContext().Idents.get("fallback")).empty())
    return nullptr;
  return RD->getCanonicalDecl();
}

bool anyGetterInstantiated(ASTContext &Ctx) {
  DeclContext::lookup_result NS =
      Ctx.getTranslationUnitDecl()->lookup(
          &Ctx.Idents.get(TACIT_NAME_STR(TACIT_NAME_NAMESPACE)));
  for (NamedDecl *N : NS) {
    const auto *Tacit = dyn_cast<NamespaceDecl>(N);
    if (!Tacit)
      continue;
    for (NamedDecl *G : Tacit->lookup(&Ctx.Idents.get("get")))
      if (const auto *FT = dyn_cast<FunctionTemplateDecl>(G))
        if (!FT->specializations().empty())
          return true;
  }
  return false;
}

} // namespace tacit
