//===- CheckWalker.cpp - The one traversal every check shares -------------===//
//
// FILE: plugin/core/CheckWalker.cpp
// DESCRIPTION: Walks the translation unit once and hands each user-code
//   declaration and statement to every enabled check (Check.h), knowing
//   where it stands: in which function (a lambda body is a function of its
//   own), inside which with_alloc / without_alloc blocks, and so whether the
//   node is in an allocator context.
//
//   What is walked, and why:
//     - user code only: a system header's declarations (the standard
//       library) are ambient code and inherit their caller's context;
//     - template instantiations (a call's callee is known there), and each
//       instantiation of a generic lambda's call operator;
//     - a default member initializer from each constructor that runs it
//       (written or implicit) and from each aggregate initialization that
//       uses it, and a default argument from each call that uses it: in the
//       context of that constructor or call, reported there (Where::ReportAt)
//       — not at the declaration, which runs nothing;
//     - the calls C++ makes implicitly on the user's behalf: the semantic
//       form of rewritten comparisons (`a != b` through operator==) and of
//       initializer lists (members initialised implicitly), range-for's
//       begin / end / operator* / operator++ / operator!=, structured
//       bindings' get<>, a coroutine's promise and awaiter calls;
//     - not what the coroutine lowering added (CoroutineLowering.h): the
//       __tacit_coro variable, its try / catch and rethrow, the hook calls
//       and the suspend guard; the user's coroutine is walked as written
//       (its initial suspend, body, return_void and unhandled_exception in
//       their places);
//     - not: unevaluated operands (sizeof, alignof, decltype, noexcept,
//       typeid of a non-polymorphic operand, requires-expressions) and code
//       evaluated at compile time (static_assert, template arguments,
//       constexpr / constinit initialisers, immediate calls and other
//       constant expressions, requires-clauses): nothing of it runs, so
//       nothing of it needs an allocator context.
//
//===----------------------------------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "Check.h"
#include "CoroutineLowering.h"
#include "UserCode.h"

#include "clang/AST/DeclTemplate.h"
#include "clang/AST/StmtCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"

using namespace clang;

namespace tacit {
namespace {

class CheckWalker : public RecursiveASTVisitor<CheckWalker> {
  using Base = RecursiveASTVisitor<CheckWalker>;

public:
  CheckWalker(CheckContext &C, llvm::ArrayRef<std::unique_ptr<Check>> Checks)
      : C(C), SM(C.Ctx.getSourceManager()), Checks(Checks) {
    if (C.Opts.DumpScopes)
      RemarkID = C.Ctx.getDiagnostics().getCustomDiagID(
          DiagnosticsEngine::Remark, "%0 scope");
  }

  bool shouldVisitTemplateInstantiations() const { return true; }

  bool VisitDecl(Decl *D) {
    for (const std::unique_ptr<Check> &K : Checks)
      K->onDecl(D, Cur);
    return true;
  }
  bool VisitStmt(Stmt *S) {
    for (const std::unique_ptr<Check> &K : Checks)
      K->onStmt(S, Cur);
    return true;
  }

  bool TraverseDecl(Decl *D) {
    if (!D || inSystemHeader(D, SM))
      return true;
    // Walked from each constructor instead (TraverseConstructorInitializer).
    if (isa<FieldDecl>(D))
      return true;
    if (isa<StaticAssertDecl>(D))
      return true;
    if (auto *FD = dyn_cast<FunctionDecl>(D))
      skipRequiresClauses(*FD);
    if (auto *TD = dyn_cast<TemplateDecl>(D))
      if (const TemplateParameterList *TPL = TD->getTemplateParameters())
        if (const Expr *RC = TPL->getRequiresClause())
          Skipped.insert(RC);
    auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD || !FD->doesThisDeclarationHaveABody())
      return Base::TraverseDecl(D);
    Where Saved = std::move(Cur);
    Cur = Where{};
    Cur.Function = FD;
    // A consteval function only ever runs in the compiler.
    Cur.BodyHasContext = C.Caps.bodyHasContext(FD) || FD->isConsteval();
    bool R = Base::TraverseDecl(D);
    // The traversal skips the initializers nobody wrote: the members and
    // bases a constructor builds implicitly, default member initializers.
    if (auto *Ctor = dyn_cast<CXXConstructorDecl>(FD); R && Ctor)
      for (CXXCtorInitializer *I : Ctor->inits())
        if (!I->isWritten() && !TraverseConstructorInitializer(I))
          R = false;
    Cur = std::move(Saved);
    return R;
  }

  bool TraverseStmt(Stmt *S, DataRecursionQueue *Queue = nullptr) {
    // Through what the coroutine lowering wrapped around the awaiter calls.
    S = withoutHooks(S);
    if (S && Skipped.count(S))
      return true;
    return Base::TraverseStmt(S, Queue);
  }

  bool TraverseIfStmt(IfStmt *S) {
    if (std::optional<ContextScope> CS = asContextScope(*S)) {
      // The value runs before the scope opens.
      if (!TraverseStmt(S->getInit()))
        return false;
      Cur.ContextScopes.push_back(*CS);
      bool R = TraverseStmt(S->getElse());
      Cur.ContextScopes.pop_back();
      return R;
    }
    std::optional<Scope> Sc = asScope(*S);
    if (!Sc)
      return Base::TraverseIfStmt(S);
    // The resource expression runs before the scope opens.
    if (!TraverseStmt(S->getInit()))
      return false;
    if (RemarkID)
      C.Ctx.getDiagnostics().Report(userLocation(*Sc, SM), RemarkID)
          << spelling(Sc->Kind);
    for (const std::unique_ptr<Check> &K : Checks)
      K->onScope(*Sc, Cur);
    Cur.Scopes.push_back(*Sc);
    bool R = TraverseStmt(S->getElse());
    Cur.Scopes.pop_back();
    return R;
  }

  // A function-local static is initialised on the global heap (the
  // runtime's static-init guard), whatever blocks surround it. A constexpr
  // or constinit variable's initialiser runs in the compiler.
  bool TraverseVarDecl(VarDecl *VD) {
    if (VD->isConstexpr() || VD->hasAttr<ConstInitAttr>()) {
      if (const Expr *Init = VD->getInit())
        Skipped.insert(Init);
      return Base::TraverseVarDecl(VD);
    }
    if (!VD->isStaticLocal() || !VD->getInit())
      return Base::TraverseVarDecl(VD);
    const VarDecl *Saved = Cur.StaticInit;
    Cur.StaticInit = VD;
    bool R = Base::TraverseVarDecl(VD);
    Cur.StaticInit = Saved;
    return R;
  }

  // Every member and base initializer runs in the constructor, written or
  // not (RecursiveASTVisitor skips the implicit ones by default).
  // An initializer the user did not write (a member built implicitly, a
  // default member initializer) is reported at the constructor.
  bool TraverseConstructorInitializer(CXXCtorInitializer *I) {
    Expr *Init = I->getInit();
    if (auto *DI = dyn_cast_or_null<CXXDefaultInitExpr>(Init))
      Init = DI->getExpr();
    if (I->isWritten() || !Cur.Function)
      return TraverseStmt(Init);
    const Decl *Via = I->getAnyMember();
    if (!Via && I->getBaseClass())
      Via = I->getBaseClass()->getAsCXXRecordDecl();
    return attributed(Cur.Function->getLocation(), Via, Init);
  }

  // Unevaluated operands and compile-time evaluation call nothing at run
  // time.
  bool TraverseUnaryExprOrTypeTraitExpr(UnaryExprOrTypeTraitExpr *) {
    return true;
  }
  bool TraverseCXXNoexceptExpr(CXXNoexceptExpr *) { return true; }
  bool TraverseDecltypeTypeLoc(DecltypeTypeLoc) { return true; }
  bool TraverseRequiresExpr(RequiresExpr *) { return true; }
  bool TraverseConstantExpr(ConstantExpr *) { return true; }
  bool TraverseTemplateArgumentLoc(const TemplateArgumentLoc &) {
    return true;
  }
  // An array bound is a constant expression.
  bool TraverseConstantArrayTypeLoc(ConstantArrayTypeLoc TL) {
    return TraverseTypeLoc(TL.getElementLoc());
  }
  bool TraverseCXXTypeidExpr(CXXTypeidExpr *E) {
    if (!E->isPotentiallyEvaluated())
      return true;
    return Base::TraverseCXXTypeidExpr(E);
  }

  bool TraverseLambdaExpr(LambdaExpr *L) {
    if (!WalkUpFromLambdaExpr(L))
      return false;
    for (Expr *Init : L->capture_inits())
      if (Init && !TraverseStmt(Init))
        return false;
    CXXMethodDecl *Op = L->getCallOperator();
    bool WrittenInWithAlloc = Cur.inWithAlloc();
    llvm::SmallVector<const CXXRecordDecl *, 2> WrittenInContexts;
    for (const ContextScope &CS : Cur.ContextScopes)
      if (!CS.Cleared)
        WrittenInContexts.push_back(CS.Context);
    auto Walk = [&](FunctionDecl *Fn) {
      Where Saved = std::move(Cur);
      Cur = Where{};
      Cur.Function = Fn;
      Cur.Lambda = L;
      Cur.BodyHasContext = C.Caps.bodyHasContext(Fn);
      Cur.LambdaWrittenInWithAlloc = WrittenInWithAlloc;
      Cur.LambdaWrittenInContexts = WrittenInContexts;
      bool R = TraverseStmt(Fn->getBody());
      Cur = std::move(Saved);
      return R;
    };
    if (!Walk(Op))
      return false;
    // A generic lambda: its instantiations call what the pattern only names.
    if (FunctionTemplateDecl *Generic = Op->getDescribedFunctionTemplate())
      for (FunctionDecl *Spec : Generic->specializations())
        if (Spec->getBody() && !Walk(Spec))
          return false;
    return true;
  }


  // A default member initializer runs where the object is built; a default
  // argument, at the call that uses it.
  bool TraverseCXXDefaultInitExpr(CXXDefaultInitExpr *E) {
    if (!WalkUpFromCXXDefaultInitExpr(E))
      return false;
    return attributed(E->getUsedLocation(), E->getField(), E->getExpr());
  }
  bool TraverseCXXDefaultArgExpr(CXXDefaultArgExpr *E) {
    if (!WalkUpFromCXXDefaultArgExpr(E))
      return false;
    return attributed(E->getUsedLocation(), E->getParam(), E->getExpr());
  }
  // At the declaration, a default argument runs nothing.
  bool TraverseParmVarDecl(ParmVarDecl *P) {
    const Expr *Default = nullptr;
    if (P->hasUninstantiatedDefaultArg())
      Default = P->getUninstantiatedDefaultArg();
    else if (P->hasDefaultArg() && !P->hasUnparsedDefaultArg())
      Default = P->getDefaultArg();
    if (!Default)
      return Base::TraverseParmVarDecl(P);
    bool Fresh = Skipped.insert(Default).second;
    bool R = Base::TraverseParmVarDecl(P);
    if (Fresh)
      Skipped.erase(Default);
    return R;
  }

  // What C++ calls on the user's behalf.
  bool TraverseInitListExpr(InitListExpr *E) {
    InitListExpr *Sem = E->isSemanticForm() ? E : E->getSemanticForm();
    if (!Sem)
      Sem = E;
    if (!WalkUpFromInitListExpr(Sem))
      return false;
    for (Stmt *Child : Sem->children())
      if (!TraverseStmt(Child))
        return false;
    return true;
  }
  bool TraverseCXXRewrittenBinaryOperator(CXXRewrittenBinaryOperator *E) {
    if (!WalkUpFromCXXRewrittenBinaryOperator(E))
      return false;
    return TraverseStmt(E->getSemanticForm());
  }
  bool TraverseCXXForRangeStmt(CXXForRangeStmt *S) {
    if (!S->getBeginStmt() || !S->getLoopVarStmt()) // dependent
      return Base::TraverseCXXForRangeStmt(S);
    if (!WalkUpFromCXXForRangeStmt(S))
      return false;
    // __range, __begin and __end are implicit variables, which the
    // traversal does not enter: walk their initializers.
    for (DeclStmt *Hidden :
         {S->getRangeStmt(), S->getBeginStmt(), S->getEndStmt()})
      if (Hidden)
        for (Decl *D : Hidden->decls())
          if (auto *VD = dyn_cast<VarDecl>(D); VD && VD->getInit())
            if (!TraverseStmt(VD->getInit()))
              return false;
    // The loop variable's initializer (`*__begin`) too: the traversal skips
    // it for a range-for variable.
    for (Stmt *Part : {S->getInit(), static_cast<Stmt *>(S->getCond()),
                       static_cast<Stmt *>(S->getInc()),
                       static_cast<Stmt *>(S->getLoopVarStmt()),
                       static_cast<Stmt *>(S->getLoopVariable()->getInit()),
                       S->getBody()})
      if (Part && !TraverseStmt(Part))
        return false;
    return true;
  }
  bool TraverseBindingDecl(BindingDecl *B) {
    if (!WalkUpFromBindingDecl(B))
      return false;
    if (VarDecl *Holding = B->getHoldingVar())
      return TraverseStmt(Holding->getInit());
    return true;
  }
  bool TraverseCoawaitExpr(CoawaitExpr *E) {
    if (!Base::TraverseCoawaitExpr(E))
      return false;
    return awaiterCalls(E);
  }
  bool TraverseCoyieldExpr(CoyieldExpr *E) {
    if (!Base::TraverseCoyieldExpr(E))
      return false;
    return awaiterCalls(E);
  }
  bool TraverseCoroutineBodyStmt(CoroutineBodyStmt *S) {
    if (!WalkUpFromCoroutineBodyStmt(S))
      return false;
    // A lowered coroutine: its parts where they were before the lowering.
    Stmt *Init = S->getInitSuspendStmt(), *Body = S->getBody(),
         *OnException = S->getExceptionHandler(),
         *OnFallthrough = S->getFallthroughHandler();
    if (std::optional<LoweredCoroutine> P = loweredParts(*S)) {
      Init = P->InitialSuspend;
      Body = P->Body;
      OnException = P->OnException;
      OnFallthrough = P->OnFallthrough;
    }
    for (Stmt *Part :
         {S->getPromiseDeclStmt(), Init, Body, S->getFinalSuspendStmt(),
          OnException, OnFallthrough, static_cast<Stmt *>(S->getAllocate()),
          static_cast<Stmt *>(S->getDeallocate()),
          static_cast<Stmt *>(S->getReturnValueInit())})
      if (Part && !TraverseStmt(Part))
        return false;
    return true;
  }

private:
  bool attributed(SourceLocation At, const Decl *Via, Expr *E) {
    if (!E)
      return true;
    // The outermost use decides: a default argument inside a default
    // member initializer is reported where the object is built.
    if (Cur.ReportAt.isValid())
      return TraverseStmt(E);
    Cur.ReportAt = At;
    Cur.ReportVia = Via;
    bool R = TraverseStmt(E);
    Cur.ReportAt = SourceLocation();
    Cur.ReportVia = nullptr;
    return R;
  }
  bool awaiterCalls(CoroutineSuspendExpr *E) {
    for (Expr *Part : {E->getReadyExpr(), E->getSuspendExpr(),
                       E->getResumeExpr()})
      if (Part && !TraverseStmt(Part))
        return false;
    return true;
  }

  void skipRequiresClauses(const FunctionDecl &FD) {
    if (const Expr *RC = FD.getTrailingRequiresClause())
      Skipped.insert(RC);
  }

  CheckContext &C;
  const SourceManager &SM;
  llvm::ArrayRef<std::unique_ptr<Check>> Checks;
  Where Cur;
  llvm::DenseSet<const Stmt *> Skipped;
  unsigned RemarkID = 0;
};

} // namespace

void runChecks(CheckContext &C, llvm::ArrayRef<std::unique_ptr<Check>> Checks) {
  if (!Checks.empty() || C.Opts.DumpScopes)
    CheckWalker(C, Checks).TraverseDecl(C.Ctx.getTranslationUnitDecl());
  for (const std::unique_ptr<Check> &K : Checks)
    K->onEndOfTranslationUnit();
}

} // namespace tacit
