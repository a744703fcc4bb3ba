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

// The arguments must be capability names: `alloc` or a context declared
// with TACIT_CONTEXT, found from the attribute's position
// (CapabilityNames.h). Returns false after an error (the attribute is then
// dropped whole).
bool checkCapabilityArguments(Sema &S, const ParsedAttr &A, bool IsUses,
                              llvm::SmallVectorImpl<std::pair<Capability,
                                                    SourceLocation>> &Out) {
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
  bool OK = true;
  for (unsigned I = 0, N = A.getNumArgs(); I != N; ++I) {
    if (!A.isArgIdent(I)) {
      const Expr *E = A.getArgAsExpr(I);
      DE.Report(E ? E->getExprLoc() : A.getLoc(),
                attrDiag(DE, DiagnosticsEngine::Error,
                                   "the capability in [[tacit::%0(...)]] is a "
                                   "name, not an expression: write "
                                   "[[tacit::%0(alloc)]]"))
          << Name << (E ? E->getSourceRange() : A.getRange());
      OK = false;
      continue;
    }
    for (const CapabilityListEntry &Entry : capabilityList(S, *A.getArgAsIdent(I))) {
      NameResolution R = resolveCapabilityName(S, *Entry.Name, Entry.Loc);
      if (R.Resolved) {
        Out.push_back({R.Cap, Entry.Loc});
        continue;
      }
      OK = false;
      if (R.NotAContext) {
        DE.Report(Entry.Loc,
                  attrDiag(DE, DiagnosticsEngine::Error,
                           "'%0' in [[tacit::%1(...)]] is not a capability: "
                           "a capability is 'alloc' or a context declared "
                           "with TACIT_CONTEXT(%0, Type)"))
            << Entry.Name->getName() << Name;
        DE.Report(R.NotAContext->getLocation(),
                  attrDiag(DE, DiagnosticsEngine::Note,
                           "'%0' is declared here"))
            << Entry.Name->getName();
        continue;
      }
      if (!R.Suggestion.empty()) {
        DE.Report(Entry.Loc,
                  attrDiag(DE, DiagnosticsEngine::Error,
                           "unknown capability '%0' in [[tacit::%1(...)]]; "
                           "did you mean '%2'?"))
            << Entry.Name->getName() << Name << R.Suggestion
            << FixItHint::CreateReplacement(
                   CharSourceRange::getTokenRange(Entry.Loc, Entry.Loc),
                   R.Suggestion);
        continue;
      }
      DE.Report(Entry.Loc,
                attrDiag(DE, DiagnosticsEngine::Error,
                         "unknown capability '%0' in [[tacit::%1(...)]]: a "
                         "capability is 'alloc' or a context declared with "
                         "TACIT_CONTEXT(%0, Type)"))
          << Entry.Name->getName() << Name;
    }
  }
  return OK;
}

ParsedAttrInfo::AttrHandling handle(Sema &S, Decl *D, const ParsedAttr &A,
                                    bool IsUses) {
  llvm::SmallVector<std::pair<Capability, SourceLocation>, 2> Caps;
  if (!checkCapabilityArguments(S, A, IsUses, Caps))
    return ParsedAttrInfo::AttributeNotApplied;
  Decl *Target = D;
  if (auto *FTD = dyn_cast<FunctionTemplateDecl>(D))
    Target = FTD->getTemplatedDecl();
  DiagnosticsEngine &DE = S.getDiagnostics();
  for (auto [Cap, Loc] : Caps) {
    if (const AnnotateAttr *Clash = ownCapabilityAnnotation(*Target, !IsUses, Cap)) {
      std::string CapName = capabilityName(Cap);
      if (!Cap)
        DE.Report(A.getLoc(),
                  attrDiag(DE, DiagnosticsEngine::Error,
                                     "a function cannot be both "
                                     "[[tacit::uses(alloc)]] and "
                                     "[[tacit::without(alloc)]]: one needs the "
                                     "caller's allocator context, the other "
                                     "discards it"))
            << A.getRange();
      else
        DE.Report(A.getLoc(),
                  attrDiag(DE, DiagnosticsEngine::Error,
                           "a function cannot be both [[tacit::uses(%0)]] and "
                           "[[tacit::without(%0)]]: one needs the caller's "
                           "'%0' context, the other discards it"))
            << CapName << A.getRange();
      DE.Report(Clash->getLocation(),
                attrDiag(DE, DiagnosticsEngine::Note,
                                   "[[tacit::%0(%1)]] is here"))
          << (IsUses ? "without" : "uses") << CapName;
      return ParsedAttrInfo::AttributeNotApplied;
    }
  }
  if (IsUses)
    ++UsesAttributes;
  for (auto [Cap, Loc] : Caps) {
    if (ownCapabilityAnnotation(*Target, IsUses, Cap))
      continue; // written twice: harmless
    if (!Cap)
      Target->addAttr(AnnotateAttr::Create(
          S.Context, IsUses ? UsesAnnotation : WithoutAnnotation, nullptr, 0,
          A.getRange()));
    else
      Target->addAttr(makeContextAnnotation(
          S.Context, IsUses ? UsesContextAnnotation : WithoutContextAnnotation,
          Cap, A.getRange()));
  }
  return ParsedAttrInfo::AttributeApplied;
}

} // namespace

UsesAttrInfo::UsesAttrInfo() {
  NumArgs = 0;
  OptArgs = 15; // (Clang's limit for a plugin attribute)
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
  OptArgs = 15;
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

const AnnotateAttr *ownCapabilityAnnotation(const Decl &D, bool Uses,
                                            Capability C) {
  for (const auto *A : D.specific_attrs<AnnotateAttr>()) {
    Capability AC;
    bool AUses;
    if (annotatedCapability(*A, AC, AUses) && AUses == Uses && AC == C)
      return A;
  }
  return nullptr;
}

namespace {
// The check's traversal part: a function whose declarations disagree, about
// any capability (one declaration says uses(C), a later one without(C)).
class DeclarationsAgree : public Check {
public:
  explicit DeclarationsAgree(CheckContext &C)
      : Check(CheckId::Capabilities, C) {
    ErrorID = Diag.error(
        "%0 is declared [[tacit::%1(alloc)]] here but [[tacit::%2(alloc)]] "
        "in an earlier declaration: one needs the caller's allocator context, "
        "the other discards it; make the declarations agree");
    NoteID = Diag.note("the earlier declaration says [[tacit::%0(%1)]]");
    CtxErrorID = Diag.error(
        "%0 is declared [[tacit::%1(%3)]] here but [[tacit::%2(%3)]] in an "
        "earlier declaration: one needs the caller's '%3' context, the other "
        "clears it; make the declarations agree");
  }
  void onDecl(Decl *D, const Where &) override {
    auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD || FD->isTemplateInstantiation() ||
        !Seen.insert(FD->getCanonicalDecl()).second)
      return;
    // Walk the declarations in order; per capability, the first that says
    // the opposite of an earlier one is the error.
    llvm::SmallVector<const FunctionDecl *, 4> InOrder;
    for (const FunctionDecl *R = FD->getMostRecentDecl(); R;
         R = R->getPreviousDecl())
      InOrder.push_back(R);
    llvm::SmallVector<std::pair<Capability, const AnnotateAttr *>, 2> First;
    llvm::SmallVector<Capability, 2> Reported;
    for (const FunctionDecl *R : llvm::reverse(InOrder)) {
      for (const auto *A : R->specific_attrs<AnnotateAttr>()) {
        Capability C;
        bool IsUses;
        if (!annotatedCapability(*A, C, IsUses) ||
            llvm::is_contained(Reported, C))
          continue;
        auto It = llvm::find_if(First, [&](auto &P) { return P.first == C; });
        if (It == First.end()) {
          First.push_back({C, A});
          continue;
        }
        Capability Earlier;
        bool EarlierUses;
        annotatedCapability(*It->second, Earlier, EarlierUses);
        if (EarlierUses == IsUses)
          continue;
        std::string Name = capabilityName(C);
        if (!C)
          Diag.report(A->getLocation(), ErrorID)
              << FD << (IsUses ? "uses" : "without")
              << (IsUses ? "without" : "uses");
        else
          Diag.report(A->getLocation(), CtxErrorID)
              << FD << (IsUses ? "uses" : "without")
              << (IsUses ? "without" : "uses") << Name;
        Diag.report(It->second->getLocation(), NoteID)
            << (IsUses ? "without" : "uses") << Name;
        Reported.push_back(C);
      }
    }
  }

private:
  unsigned ErrorID, NoteID, CtxErrorID;
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

const FunctionDecl *annotatedDecl(const FunctionDecl &FD, bool Uses,
                                  Capability C) {
  for (const FunctionDecl *R : FD.redecls())
    if (ownCapabilityAnnotation(*R, Uses, C))
      return R;
  if (const FunctionDecl *P = FD.getTemplateInstantiationPattern())
    if (P != &FD)
      return annotatedDecl(*P, Uses, C);
  return nullptr;
}

// The functions an implicit or defaulted member calls (empty for others).
llvm::SmallVector<const FunctionDecl *, 4>
implicitCallees(const FunctionDecl *FD) {
  InitializerCalls Calls;
  // What the compiler writes — implicit and defaulted constructors and
  // assignment operators, inheriting constructors — needs a context when
  // what it calls does.
  if (FD->isImplicit() || FD->isDefaulted()) {
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
  }
  return std::move(Calls.Callees);
}
} // namespace

std::optional<Requirement> Capabilities::compute(const FunctionDecl *FD,
                                                 Capability C) {
  if (const FunctionDecl *Src = annotatedDecl(*FD, /*Uses=*/true, C))
    return Requirement{Requirement::Declared, Src,
                       ownCapabilityAnnotation(*Src, /*Uses=*/true, C)};
  if (C && getterRequirement(*FD) == C)
    return Requirement{Requirement::Getter, FD, nullptr};
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD)) {
    for (const CXXMethodDecl *O : MD->overridden_methods())
      if (auto R = needs(O, C))
        return Requirement{Requirement::Inherited, R->Source, R->Attr};
  }
  for (const FunctionDecl *Callee : implicitCallees(FD))
    if (Callee != FD)
      if (auto R = needs(Callee, C))
        return Requirement{Requirement::ImplicitConstructor, Callee, R->Attr};
  return std::nullopt;
}

std::optional<Requirement> Capabilities::needs(const FunctionDecl *FD,
                                               Capability C) {
  if (!FD)
    return std::nullopt;
  FD = FD->getCanonicalDecl();
  auto It = Cache.find({FD, C});
  if (It != Cache.end())
    return It->second;
  Cache[{FD, C}] = std::nullopt; // a cycle through implicit members ends here
  std::optional<Requirement> R = compute(FD, C);
  Cache[{FD, C}] = R;
  return R;
}

llvm::SmallVector<Capability, 2>
Capabilities::requiredContexts(const FunctionDecl *FD) {
  if (!FD)
    return {};
  FD = FD->getCanonicalDecl();
  auto It = Contexts.find(FD);
  if (It != Contexts.end())
    return It->second;
  Contexts[FD]; // a cycle ends here
  llvm::SmallVector<Capability, 2> Found;
  auto Add = [&](Capability C) {
    if (C && !llvm::is_contained(Found, C))
      Found.push_back(C);
  };
  auto AddAnnotations = [&](const FunctionDecl &F) {
    for (const FunctionDecl *R : F.redecls())
      for (const auto *A : R->specific_attrs<AnnotateAttr>()) {
        Capability AC;
        bool Uses;
        if (annotatedCapability(*A, AC, Uses) && Uses)
          Add(AC);
      }
  };
  AddAnnotations(*FD);
  if (const FunctionDecl *P = FD->getTemplateInstantiationPattern())
    if (P != FD)
      AddAnnotations(*P);
  Add(getterRequirement(*FD));
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD))
    for (const CXXMethodDecl *O : MD->overridden_methods())
      for (Capability C : requiredContexts(O))
        Add(C);
  for (const FunctionDecl *Callee : implicitCallees(FD))
    if (Callee != FD)
      for (Capability C : requiredContexts(Callee))
        Add(C);
  Contexts[FD] = Found;
  return Contexts[FD];
}

bool usesAttributeSeen() { return UsesAttributes != 0; }

llvm::SmallVector<Capability, 2> declaredCapabilities(const FunctionDecl &FD,
                                                      bool Uses) {
  llvm::SmallVector<Capability, 2> Out;
  bool Alloc = false;
  auto Collect = [&](const FunctionDecl &F) {
    // (redecls() starts at the most recent: read them in order.)
    llvm::SmallVector<const FunctionDecl *, 4> InOrder(F.redecls());
    for (const FunctionDecl *R : llvm::reverse(InOrder))
      for (const auto *A : R->specific_attrs<AnnotateAttr>()) {
        Capability C;
        bool AUses;
        if (!annotatedCapability(*A, C, AUses) || AUses != Uses)
          continue;
        if (!C)
          Alloc = true;
        else if (!llvm::is_contained(Out, C))
          Out.push_back(C);
      }
  };
  Collect(FD);
  if (const FunctionDecl *P = FD.getTemplateInstantiationPattern())
    if (P != &FD)
      Collect(*P);
  if (Alloc)
    Out.insert(Out.begin(), AllocCapability);
  return Out;
}

const AnnotateAttr *declaredCapabilityAnnotation(const FunctionDecl &FD,
                                                 bool Uses, Capability C) {
  if (const FunctionDecl *D = annotatedDecl(FD, Uses, C))
    return ownCapabilityAnnotation(*D, Uses, C);
  return nullptr;
}

bool Capabilities::runsWithout(const FunctionDecl *FD, Capability C) const {
  return FD && annotatedDecl(*FD, /*Uses=*/false, C);
}

bool Capabilities::bodyHas(const FunctionDecl *FD, Capability C) {
  return FD && needs(FD, C) && !runsWithout(FD, C);
}

} // namespace tacit
