//===- Capabilities.cpp - The capability attributes and their queries -----===//
//
// FILE: plugin/core/Capabilities.cpp
// DESCRIPTION: Parses and validates [[tacit::uses(alloc)]] and
//   [[tacit::without(alloc)]] (each becomes an AnnotateAttr the checks and
//   the lowering read back), and answers "does this function need an
//   allocator context, and why" for the checks.
//
//===----------------------------------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "Capabilities.h"
#include "Check.h"
#include "UserCode.h"

#include "clang/Basic/SourceManager.h"

#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/DiagnosticSema.h"
#include "clang/Sema/ParsedAttr.h"
#include "clang/Sema/Sema.h"

using namespace clang;

namespace tacit {
namespace {

// Each attribute has a second, unscoped spelling. Clang 19 decides whether
// to parse a plugin attribute's arguments (and what __has_cpp_attribute
// answers) by comparing the attribute's *unscoped* name with the plugin's
// spellings: with only "tacit::uses" registered, `(alloc)` would be dropped
// unparsed. The unscoped form itself is refused below.
constexpr ParsedAttrInfo::Spelling UsesSpellings[] = {
    {ParsedAttr::AS_CXX11, "tacit::uses"}, {ParsedAttr::AS_CXX11, "uses"}};
constexpr ParsedAttrInfo::Spelling WithoutSpellings[] = {
    {ParsedAttr::AS_CXX11, "tacit::without"},
    {ParsedAttr::AS_CXX11, "without"}};

// The attribute handlers run inside Sema, with no check object around: their
// errors still name the check (tacit-capabilities) and obey its switch.
template <unsigned N>
unsigned attrDiag(DiagnosticsEngine &DE, DiagnosticsEngine::Level L,
                  const char (&Format)[N]) {
  if (!currentOptions().enabled(CheckId::Capabilities))
    return DE.getDiagnosticIDs()->getCustomDiagID(DiagnosticIDs::Ignored,
                                                  Format);
  if (L == DiagnosticsEngine::Note)
    return DE.getCustomDiagID(L, Format);
  return DE.getDiagnosticIDs()->getCustomDiagID(
      DiagnosticIDs::Error, (llvm::StringRef(Format) + " [tacit-" +
                             checkName(CheckId::Capabilities) + "]")
                                .str());
}

// [[tacit::uses(alloc)]] attributes applied in this translation unit.
unsigned UsesAttributes = 0;

bool isTacitScoped(const ParsedAttr &A) {
  return A.getScopeName() && A.getScopeName()->getName() == "tacit";
}

const FunctionDecl *asFunction(const Decl *D) {
  if (const auto *FTD = dyn_cast<FunctionTemplateDecl>(D))
    return FTD->getTemplatedDecl();
  return dyn_cast<FunctionDecl>(D);
}

// Shared placement check. Returns false (attribute dropped) after an error.
bool appertains(Sema &S, const ParsedAttr &A, const Decl *D, bool IsUses) {
  if (!isTacitScoped(A)) {
    // `[[uses(...)]]`: not ours; behave as Clang does for any unknown name.
    S.Diag(A.getLoc(), diag::warn_unknown_attribute_ignored)
        << A << A.getRange();
    return false;
  }
  DiagnosticsEngine &DE = S.getDiagnostics();
  const FunctionDecl *FD = asFunction(D);
  if (!FD) {
    unsigned What = isa<VarDecl>(D)     ? 0
                    : isa<FieldDecl>(D) ? 1
                    : isa<TagDecl>(D)   ? 2
                    : isa<NamespaceDecl>(D) ? 3
                                            : 4;
    DE.Report(A.getLoc(),
              attrDiag(DE, DiagnosticsEngine::Error,
                  "[[tacit::%0(alloc)]] applies to functions, member "
                  "functions, constructors, function templates and lambdas, "
                  "not to %select{a variable|a data member|a type|a "
                  "namespace|this declaration}1"))
        << (IsUses ? "uses" : "without") << What << A.getRange();
    return false;
  }
  if (IsUses && isa<CXXDestructorDecl>(FD)) {
    DE.Report(A.getLoc(),
              attrDiag(DE, DiagnosticsEngine::Error,
                                 "a destructor cannot be "
                                 "[[tacit::uses(alloc)]]: it runs wherever "
                                 "its object dies, in any context"))
        << A.getRange();
    return false;
  }
  return true;
}

// The argument must be the bare name `alloc`. Returns false after an error.
bool checkCapabilityArgument(Sema &S, const ParsedAttr &A, bool IsUses) {
  DiagnosticsEngine &DE = S.getDiagnostics();
  const char *Name = IsUses ? "uses" : "without";
  if (A.getNumArgs() == 0) {
    DE.Report(A.getLoc(),
              attrDiag(DE, DiagnosticsEngine::Error,
                                 "[[tacit::%0]] needs the capability it is "
                                 "about: write [[tacit::%0(alloc)]]"))
        << Name << A.getRange();
    return false;
  }
  if (!A.isArgIdent(0)) {
    DE.Report(A.getArgAsExpr(0)->getExprLoc(),
              attrDiag(DE, DiagnosticsEngine::Error,
                                 "the capability in [[tacit::%0(...)]] is a "
                                 "name, not an expression: write "
                                 "[[tacit::%0(alloc)]]"))
        << Name << A.getArgAsExpr(0)->getSourceRange();
    return false;
  }
  const IdentifierLoc *Arg = A.getArgAsIdent(0);
  if (Arg->Ident->getName() != "alloc") {
    DE.Report(Arg->Loc,
              attrDiag(DE, DiagnosticsEngine::Error,
                                 "unknown capability '%0' in "
                                 "[[tacit::%1(...)]]; the only capability is "
                                 "'alloc'"))
        << Arg->Ident->getName() << Name
        << FixItHint::CreateReplacement(Arg->Loc, "alloc");
    return false;
  }
  return true;
}

ParsedAttrInfo::AttrHandling handle(Sema &S, Decl *D, const ParsedAttr &A,
                                    bool IsUses) {
  if (!checkCapabilityArgument(S, A, IsUses))
    return ParsedAttrInfo::AttributeNotApplied;
  const char *Mine = IsUses ? UsesAnnotation : WithoutAnnotation;
  const char *Other = IsUses ? WithoutAnnotation : UsesAnnotation;
  Decl *Target = D;
  if (auto *FTD = dyn_cast<FunctionTemplateDecl>(D))
    Target = FTD->getTemplatedDecl();
  if (const AnnotateAttr *Clash = ownAnnotation(*Target, Other)) {
    DiagnosticsEngine &DE = S.getDiagnostics();
    DE.Report(A.getLoc(),
              attrDiag(DE, DiagnosticsEngine::Error,
                                 "a function cannot be both "
                                 "[[tacit::uses(alloc)]] and "
                                 "[[tacit::without(alloc)]]: one needs the "
                                 "caller's allocator context, the other "
                                 "discards it"))
        << A.getRange();
    DE.Report(Clash->getLocation(),
              attrDiag(DE, DiagnosticsEngine::Note,
                                 "[[tacit::%0(alloc)]] is here"))
        << (IsUses ? "without" : "uses");
    return ParsedAttrInfo::AttributeNotApplied;
  }
  if (IsUses)
    ++UsesAttributes;
  if (ownAnnotation(*Target, Mine))
    return ParsedAttrInfo::AttributeApplied; // written twice: harmless
  Target->addAttr(
      AnnotateAttr::Create(S.Context, Mine, nullptr, 0, A.getRange()));
  return ParsedAttrInfo::AttributeApplied;
}

} // namespace

UsesAttrInfo::UsesAttrInfo() {
  NumArgs = 0;
  OptArgs = 1;
  Spellings = UsesSpellings;
}
bool UsesAttrInfo::diagAppertainsToDecl(Sema &S, const ParsedAttr &A,
                                        const Decl *D) const {
  return appertains(S, A, D, /*IsUses=*/true);
}
ParsedAttrInfo::AttrHandling
UsesAttrInfo::handleDeclAttribute(Sema &S, Decl *D, const ParsedAttr &A) const {
  return handle(S, D, A, /*IsUses=*/true);
}

WithoutAttrInfo::WithoutAttrInfo() {
  NumArgs = 0;
  OptArgs = 1;
  Spellings = WithoutSpellings;
}
bool WithoutAttrInfo::diagAppertainsToDecl(Sema &S, const ParsedAttr &A,
                                           const Decl *D) const {
  return appertains(S, A, D, /*IsUses=*/false);
}
ParsedAttrInfo::AttrHandling
WithoutAttrInfo::handleDeclAttribute(Sema &S, Decl *D,
                                     const ParsedAttr &A) const {
  return handle(S, D, A, /*IsUses=*/false);
}

const AnnotateAttr *ownAnnotation(const Decl &D, const char *Annotation) {
  for (const auto *A : D.specific_attrs<AnnotateAttr>())
    if (A->getAnnotation() == Annotation)
      return A;
  return nullptr;
}

const AnnotateAttr *declaredAnnotation(const FunctionDecl &FD,
                                       const char *Annotation) {
  for (const FunctionDecl *R : FD.redecls())
    if (const AnnotateAttr *A = ownAnnotation(*R, Annotation))
      return A;
  if (const FunctionDecl *P = FD.getTemplateInstantiationPattern())
    if (P != &FD)
      return declaredAnnotation(*P, Annotation);
  return nullptr;
}

namespace {
// The check's traversal part: a function whose declarations disagree.
class DeclarationsAgree : public Check {
public:
  explicit DeclarationsAgree(CheckContext &C)
      : Check(CheckId::Capabilities, C) {
    ErrorID = Diag.error(
        "%0 is declared [[tacit::%1(alloc)]] here but [[tacit::%2(alloc)]] "
        "in an earlier declaration: one needs the caller's allocator context, "
        "the other discards it; make the declarations agree");
    NoteID = Diag.note("the earlier declaration says [[tacit::%0(alloc)]]");
  }
  void onDecl(Decl *D, const Where &) override {
    auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD || FD->isTemplateInstantiation() ||
        !Seen.insert(FD->getCanonicalDecl()).second)
      return;
    // Walk the declarations in order; the first that says the opposite of
    // an earlier one is the error.
    llvm::SmallVector<const FunctionDecl *, 4> InOrder;
    for (const FunctionDecl *R = FD->getMostRecentDecl(); R;
         R = R->getPreviousDecl())
      InOrder.push_back(R);
    const AnnotateAttr *First = nullptr;
    for (const FunctionDecl *R : llvm::reverse(InOrder)) {
      const AnnotateAttr *U = ownAnnotation(*R, UsesAnnotation);
      const AnnotateAttr *W = ownAnnotation(*R, WithoutAnnotation);
      for (const AnnotateAttr *A : {U, W}) {
        if (!A)
          continue;
        if (!First) {
          First = A;
        } else if (First->getAnnotation() != A->getAnnotation()) {
          bool IsUses = A == U;
          Diag.report(A->getLocation(), ErrorID)
              << FD << (IsUses ? "uses" : "without")
              << (IsUses ? "without" : "uses");
          Diag.report(First->getLocation(), NoteID)
              << (IsUses ? "without" : "uses");
          return;
        }
      }
    }
  }

private:
  unsigned ErrorID, NoteID;
  llvm::DenseSet<const Decl *> Seen;
};
} // namespace

std::unique_ptr<Check> makeCapabilities(CheckContext &C) {
  return std::make_unique<DeclarationsAgree>(C);
}

namespace {
// The functions an implicit constructor's initializers call.
class InitializerCalls : public RecursiveASTVisitor<InitializerCalls> {
public:
  llvm::SmallVector<const FunctionDecl *, 4> Callees;
  bool VisitCallExpr(CallExpr *E) {
    if (const FunctionDecl *FD = E->getDirectCallee())
      Callees.push_back(FD);
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *E) {
    Callees.push_back(E->getConstructor());
    return true;
  }
  bool VisitCXXInheritedCtorInitExpr(CXXInheritedCtorInitExpr *E) {
    Callees.push_back(E->getConstructor());
    return true;
  }
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  // A default member initializer runs in the implicit constructor.
  bool TraverseCXXDefaultInitExpr(CXXDefaultInitExpr *E) {
    return TraverseStmt(E->getExpr());
  }
};

const FunctionDecl *annotatedDecl(const FunctionDecl &FD, const char *Ann) {
  for (const FunctionDecl *R : FD.redecls())
    if (ownAnnotation(*R, Ann))
      return R;
  if (const FunctionDecl *P = FD.getTemplateInstantiationPattern())
    if (P != &FD)
      return annotatedDecl(*P, Ann);
  return nullptr;
}
} // namespace

std::optional<Requirement> Capabilities::compute(const FunctionDecl *FD) {
  if (const FunctionDecl *Src = annotatedDecl(*FD, UsesAnnotation))
    return Requirement{Requirement::Declared, Src,
                       ownAnnotation(*Src, UsesAnnotation)};
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD)) {
    for (const CXXMethodDecl *O : MD->overridden_methods())
      if (auto R = requiresAlloc(O))
        return Requirement{Requirement::Inherited, R->Source, R->Attr};
  }
  // What the compiler writes — implicit and defaulted constructors and
  // assignment operators, inheriting constructors — needs a context when
  // what it calls does.
  if (FD->isImplicit() || FD->isDefaulted()) {
    InitializerCalls Calls;
    if (const auto *CD = dyn_cast<CXXConstructorDecl>(FD)) {
      for (const CXXCtorInitializer *I : CD->inits())
        if (I->getInit())
          Calls.TraverseStmt(I->getInit());
      if (CD->isInheritingConstructor())
        Calls.Callees.push_back(
            CD->getInheritedConstructor().getConstructor());
    }
    const FunctionDecl *Def = nullptr;
    if (!isa<CXXDestructorDecl>(FD) && FD->hasBody(Def) && Def->getBody())
      Calls.TraverseStmt(Def->getBody());
    for (const FunctionDecl *Callee : Calls.Callees)
      if (Callee != FD)
        if (auto R = requiresAlloc(Callee))
          return Requirement{Requirement::ImplicitConstructor, Callee,
                             R->Attr};
  }
  return std::nullopt;
}

std::optional<Requirement>
Capabilities::requiresAlloc(const FunctionDecl *FD) {
  if (!FD)
    return std::nullopt;
  FD = FD->getCanonicalDecl();
  auto It = Cache.find(FD);
  if (It != Cache.end())
    return It->second;
  Cache[FD] = std::nullopt; // a cycle through implicit members ends here
  std::optional<Requirement> R = compute(FD);
  Cache[FD] = R;
  return R;
}

bool usesAttributeSeen() { return UsesAttributes != 0; }

bool Capabilities::runsOnHeap(const FunctionDecl *FD) const {
  return FD && declaredAnnotation(*FD, WithoutAnnotation);
}

bool Capabilities::bodyHasContext(const FunctionDecl *FD) {
  return FD && requiresAlloc(FD) && !runsOnHeap(FD);
}

} // namespace tacit
