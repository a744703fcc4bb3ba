//===- CoroutineLowering.cpp - The allocator context follows the coroutine ===//
//
// FILE: plugin/core/CoroutineLowering.cpp
// DESCRIPTION: See CoroutineLowering.h. Ported from a validated prototype
//   (kept outside this repository, with a report citing the Clang 19.1.7
//   sources each decision rests on), against Tacit's runtime
//   (tacit::detail::coro_context, suspend_guard). Not ported: the
//   prototype's suspend-in-context mode (await_suspend always runs in the
//   resumer's context here) and its full end-of-TU sweep (replaced by
//   UsedCoroutines).
//
//===----------------------------------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "CoroutineLowering.h"
#include "WithoutAllocLowering.h"
#include "tacit/names.hpp"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ASTLambda.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Sema/EnterExpressionEvaluationContext.h"
#include "clang/Sema/Sema.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace clang;

namespace tacit {

// <tacit/names.hpp>: the header defines the classes under these names.
static constexpr const char *ContextClass =
    TACIT_NAME_STR(TACIT_NAME_CORO_CONTEXT);
static constexpr const char *GuardClass =
    TACIT_NAME_STR(TACIT_NAME_SUSPEND_GUARD);
static constexpr const char *ContextVariable =
    TACIT_NAME_STR(TACIT_NAME_CORO_VARIABLE);
static constexpr const char *Namespace = TACIT_NAME_STR(TACIT_NAME_NAMESPACE);
static constexpr const char *Detail = TACIT_NAME_STR(TACIT_NAME_DETAIL);

namespace {

// Clang 19's FunctionCanThrow / StmtCanThrow (CGCoroutine.cpp:134-174): the
// test CodeGen uses to decide whether the await_suspend wrapper is invoked
// (an exception can come back into the coroutine) or called. The guard is
// needed exactly then.
bool functionCanThrow(const FunctionDecl *D) {
  const auto *Proto = D->getType()->getAs<FunctionProtoType>();
  if (!Proto)
    return true;
  return !isNoexceptExceptionSpec(Proto->getExceptionSpecType()) ||
         Proto->canThrow() != CT_Cannot;
}
bool stmtCanThrow(const Stmt *S) {
  if (!S)
    return false;
  if (const auto *CE = dyn_cast<CallExpr>(S)) {
    const FunctionDecl *Callee = CE->getDirectCallee();
    if (!Callee || functionCanThrow(Callee))
      return true;
  }
  if (const auto *TE = dyn_cast<CXXBindTemporaryExpr>(S))
    if (functionCanThrow(TE->getTemporary()->getDestructor()))
      return true;
  for (const Stmt *Child : S->children())
    if (stmtCanThrow(Child))
      return true;
  return false;
}

// CoroutineSuspendExpr has no setters; its children() range is its own
// SubExprs array (ExprCXX.h): Operand, Common, Ready, Suspend, Resume.
// Replacing a child keeps the node, and the ExprWithCleanups around it,
// where Sema put it.
enum { OperandIdx, CommonIdx, ReadyIdx, SuspendIdx, ResumeIdx };
void setChild(CoroutineSuspendExpr *E, unsigned Index, Expr *New) {
  auto It = E->child_begin();
  std::advance(It, Index);
  *It = New;
}

CoroutineSuspendExpr *firstSuspend(Stmt *St) {
  if (!St)
    return nullptr;
  if (auto *E = dyn_cast<CoroutineSuspendExpr>(St))
    return E;
  for (Stmt *Child : St->children())
    if (CoroutineSuspendExpr *E = firstSuspend(Child))
      return E;
  return nullptr;
}

// tacit::detail::<Name>, at namespace scope.
bool isDetailClass(const CXXRecordDecl *RD, llvm::StringRef Name) {
  if (!RD || !RD->getIdentifier() || RD->getName() != Name)
    return false;
  const auto *Inner = dyn_cast<NamespaceDecl>(RD->getDeclContext());
  if (!Inner || !Inner->getIdentifier() || Inner->getName() != Detail)
    return false;
  const auto *Top = dyn_cast<NamespaceDecl>(Inner->getDeclContext());
  return Top && Top->getIdentifier() && Top->getName() == Namespace &&
         Top->getDeclContext()->isTranslationUnit();
}

bool isContextVariable(const Decl *D) {
  const auto *VD = dyn_cast_or_null<VarDecl>(D);
  return VD && VD->isImplicit() && VD->getIdentifier() &&
         VD->getName() == ContextVariable &&
         isDetailClass(VD->getType()->getAsCXXRecordDecl(), ContextClass);
}

// __tacit_coro.<hook>(): which hook, if E is one.
std::optional<llvm::StringRef> hookCall(const Expr *E) {
  const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(E->IgnoreImplicit());
  if (!Call)
    return std::nullopt;
  const auto *Ref = dyn_cast_or_null<DeclRefExpr>(
      Call->getImplicitObjectArgument()->IgnoreImplicit());
  const CXXMethodDecl *MD = Call->getMethodDecl();
  if (!Ref || !MD || !MD->getIdentifier() || !isContextVariable(Ref->getDecl()))
    return std::nullopt;
  return MD->getName();
}

bool isGuard(const Expr *E) {
  return isDetailClass(E->IgnoreImplicit()->getType()->getAsCXXRecordDecl(),
                       GuardClass);
}

// The comma the lowering put in front of an expression: (hook, E) or
// (guard, E); E.
Expr *afterHook(const BinaryOperator *BO) {
  if (!BO || BO->getOpcode() != BO_Comma)
    return nullptr;
  if (hookCall(BO->getLHS()) || isGuard(BO->getLHS()))
    return BO->getRHS();
  return nullptr;
}

} // namespace

void UsedCoroutines::DeclarationMarkedUsed(const Decl *D) {
  // A lambda's call operator (a generic one's specializations included),
  // or a member of a class local to a function. Anything else reaches the
  // consumer as a definition.
  const auto *FD = dyn_cast<FunctionDecl>(D);
  if (!FD)
    return;
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  if ((MD && isLambdaCallOperator(MD)) ||
      (MD && MD->getParent()->isLocalClass()))
    Pending.push_back(const_cast<FunctionDecl *>(FD));
}

CoroutineLowering::CoroutineLowering(Sema &S, LoweringValidator &Runtime,
                                     const Options &Opts)
    : S(S), Ctx(S.getASTContext()), Runtime(Runtime), Opts(Opts) {
  if (Opts.DumpCoroutines)
    DumpID = Ctx.getDiagnostics().getDiagnosticIDs()->getCustomDiagID(
        DiagnosticIDs::Remark,
        "coroutine lowered: %0 suspension point%s0 hooked, %1 with a "
        "suspend guard");
}

const CXXRecordDecl *CoroutineLowering::runtimeClass(const char *Name) {
  return Runtime.headerClass(Name);
}

namespace {
// Adds the time it lives to a total, when dump-coroutines asked for it.
class Timer {
public:
  Timer(bool On, double &Total) : On(On), Total(Total) {
    if (On)
      Start = std::chrono::steady_clock::now();
  }
  ~Timer() {
    if (On)
      Total += std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                             Start)
                   .count();
  }

private:
  bool On;
  double &Total;
  std::chrono::steady_clock::time_point Start;
};
} // namespace

void CoroutineLowering::lower(FunctionDecl *FD) {
  Timer T(Opts.DumpCoroutines, Count.Seconds);
  if (!FD || !FD->doesThisDeclarationHaveABody() || FD->isInvalidDecl() ||
      FD->isDependentContext())
    return;
  auto *CB = dyn_cast_or_null<CoroutineBodyStmt>(FD->getBody());
  if (!CB || CB->hasDependentPromiseType())
    return;
  // A file that does not include <tacit/alloc.hpp> is left alone; a
  // coroutine seen before the #include is not remembered, so one defined
  // later is still lowered.
  if (!runtimeClass(ContextClass) || !runtimeClass(GuardClass))
    return;
  // After an error nothing is emitted, and the bodies may hold recovery
  // nodes: leave them.
  if (Ctx.getDiagnostics().hasUncompilableErrorOccurred())
    return;
  if (!Done.insert(FD).second)
    return;
  // Already lowered: a body read back from a PCH or module built with the
  // plugin.
  if (loweredParts(*CB)) {
    Lowered.insert(FD);
    return;
  }
  if (lowerBody(FD, CB)) {
    Lowered.insert(FD);
    ++Count.Coroutines;
    if (Ctx.getSourceManager().isInSystemHeader(FD->getLocation()))
      ++Count.InSystemHeaders;
  } else {
    Failed.insert(FD);
    ++Count.Refused;
  }
}

static std::string milliseconds(double Seconds) {
  std::string S;
  llvm::raw_string_ostream(S) << llvm::format("%.2f", Seconds * 1e3);
  return S;
}

void CoroutineLowering::lowerUsed(UsedCoroutines &Used) {
  {
    Timer T(Opts.DumpCoroutines, Count.EndSeconds);
    // Lowering may mark more declarations used (the hooks' methods): take
    // until nothing new arrives.
    for (std::vector<FunctionDecl *> Batch = Used.take(); !Batch.empty();
         Batch = Used.take())
      for (FunctionDecl *FD : Batch)
        lower(FD);
  }
  if (Opts.DumpCoroutines) {
    const SourceManager &SM = Ctx.getSourceManager();
    unsigned ID = Ctx.getDiagnostics().getDiagnosticIDs()->getCustomDiagID(
        DiagnosticIDs::Remark,
        "%0 coroutine%s0 lowered (%1 in system headers), %2 suspension "
        "point%s2 hooked, %3 suspend guard%s3, %4 refused; %5 ms, of which "
        "%6 ms at the end of the translation unit");
    Ctx.getDiagnostics().Report(SM.getLocForStartOfFile(SM.getMainFileID()), ID)
        << Count.Coroutines << Count.InSystemHeaders << Count.Suspensions
        << Count.Guards << Count.Refused << milliseconds(Count.Seconds)
        << milliseconds(Count.EndSeconds);
  }
}

std::optional<CoroutineRefusal>
CoroutineLowering::refusal(const FunctionDecl &FD) {
  if (Lowered.count(&FD))
    return std::nullopt;
  if (Failed.count(&FD))
    return CoroutineRefusal::Refused;
  if (!runtimeClass(ContextClass) || !runtimeClass(GuardClass))
    return CoroutineRefusal::NoRuntime;
  return std::nullopt;
}

// __tacit_coro.Method(): built by Sema (a DeclRefExpr, member lookup,
// overload resolution of the call).
Expr *CoroutineLowering::call(VarDecl *Var, llvm::StringRef Method,
                              SourceLocation L) {
  DeclRefExpr *Ref = S.BuildDeclRefExpr(
      Var, Var->getType().getNonReferenceType(), VK_LValue, L);
  CXXScopeSpec SS;
  DeclarationNameInfo Name(&Ctx.Idents.get(Method), L);
  ExprResult ME = S.BuildMemberReferenceExpr(
      Ref, Ref->getType(), L, /*IsArrow=*/false, SS, SourceLocation(),
      /*FirstQualifierInScope=*/nullptr, Name, /*TemplateArgs=*/nullptr,
      /*S=*/nullptr);
  if (ME.isInvalid())
    return nullptr;
  ExprResult Call = S.BuildCallExpr(/*Scope=*/nullptr, ME.get(), L, {}, L);
  return Call.isInvalid() ? nullptr : Call.get();
}

bool CoroutineLowering::hook(CoroutineSuspendExpr *E, VarDecl *Var,
                             bool Initial) {
  Expr *Ready = E->getReadyExpr(), *Suspend = E->getSuspendExpr(),
       *Resume = E->getResumeExpr();
  if (!Ready || !Suspend || !Resume)
    return false;
  SourceLocation L = E->getKeywordLoc();
  if (L.isInvalid())
    L = Var->getLocation();

  // Each expression is built in an evaluation context of its own, so the
  // cleanups Sema records for one (the guard's temporary) cannot leak into
  // another.
  Expr *NewReady;
  {
    EnterExpressionEvaluationContext Eval(
        S, Sema::ExpressionEvaluationContext::PotentiallyEvaluated);
    Expr *Hook = call(Var, "suspending", L);
    if (!Hook)
      return false;
    // `||` evaluates its right operand only when await_ready() said no: the
    // context leaves the thread only when the coroutine does suspend.
    ExprResult R = S.CreateBuiltinBinOp(L, BO_LOr, Ready, Hook);
    if (R.isInvalid() || !R.get()->getType()->isBooleanType())
      return false;
    NewReady = R.get();
    S.DiscardCleanupsInEvaluationContext();
  }

  // The resume hook goes into the object expression of the await_resume
  // call, `(__tacit_coro.resumed(), awaiter).await_resume()`: Resume stays a
  // CallExpr with its type and value kind (EmitCoawaitLValue asserts the
  // former, CGCoroutine.cpp:403-409, in builds with assertions; the
  // CoawaitExpr took its type from the latter). CodeGen evaluates a member
  // call's object first, so the hook runs before await_resume. Any other
  // shape (no member call, a prvalue awaiter): `(__tacit_coro.resumed(),
  // <resume>)`.
  MemberExpr *Callee = nullptr;
  {
    Expr *Call = Resume;
    if (auto *BT = dyn_cast<CXXBindTemporaryExpr>(Call))
      Call = BT->getSubExpr();
    if (auto *CE = dyn_cast<CallExpr>(Call))
      Callee = dyn_cast<MemberExpr>(CE->getCallee()->IgnoreParens());
    if (Callee && (Callee->isArrow() || !Callee->getBase()->isGLValue()))
      Callee = nullptr;
  }
  Expr *NewResume = Resume, *NewBase = nullptr;
  {
    EnterExpressionEvaluationContext Eval(
        S, Sema::ExpressionEvaluationContext::PotentiallyEvaluated);
    Expr *Hook = call(Var, Initial ? "initial_resumed" : "resumed", L);
    if (!Hook)
      return false;
    Expr *Right = Callee ? Callee->getBase() : Resume;
    ExprResult R = S.CreateBuiltinBinOp(L, BO_Comma, Hook, Right);
    if (R.isInvalid() ||
        !Ctx.hasSameType(R.get()->getType(), Right->getType()) ||
        R.get()->getValueKind() != Right->getValueKind() ||
        R.get()->getObjectKind() != Right->getObjectKind())
      return false;
    (Callee ? NewBase : NewResume) = R.get();
    S.DiscardCleanupsInEvaluationContext();
  }

  // The guard: a temporary in front of an await_suspend that may throw. It
  // lives in the await_suspend wrapper CodeGen emits as a separate function
  // (CGCoroutine.cpp:414-471), which cannot see the coroutine's locals:
  // suspending() hands the coroutine over through the thread's context
  // block (thread_context::suspending).
  Expr *NewSuspend = Suspend;
  if (stmtCanThrow(Suspend)) {
    const CXXRecordDecl *Guard = runtimeClass(GuardClass);
    if (!Guard)
      return false;
    EnterExpressionEvaluationContext Eval(
        S, Sema::ExpressionEvaluationContext::PotentiallyEvaluated);
    QualType T = Ctx.getRecordType(Guard);
    ExprResult G = S.BuildCXXTypeConstructExpr(
        Ctx.getTrivialTypeSourceInfo(T, L), L, {}, L,
        /*ListInitialization=*/false);
    if (G.isInvalid())
      return false;
    ExprResult C = S.CreateBuiltinBinOp(L, BO_Comma, G.get(), Suspend);
    if (C.isInvalid())
      return false;
    // A temporary with a destructor: the full-expression needs its own
    // ExprWithCleanups, or the destructor would attach elsewhere.
    NewSuspend = S.MaybeCreateExprWithCleanups(C.get());
    if (!Ctx.hasSameType(NewSuspend->getType(), Suspend->getType()))
      return false;
    ++Count.Guards;
  }

  Hooked.push_back({E, Ready, Suspend, Resume, NewBase ? Callee : nullptr,
                    NewBase ? Callee->getBase() : nullptr});
  if (NewBase)
    Callee->setBase(NewBase);
  setChild(E, ReadyIdx, NewReady);
  setChild(E, ResumeIdx, NewResume);
  setChild(E, SuspendIdx, NewSuspend);
  ++Count.Suspensions;
  return true;
}

// Every suspension point of this coroutine: not those of nested lambdas
// (coroutines of their own; a capture's initializer is ours), blocks, or
// local classes (a DeclStmt's children are its variables' initializers).
bool CoroutineLowering::hookAll(Stmt *St, VarDecl *Var,
                                CoroutineSuspendExpr *Initial) {
  if (!St)
    return true;
  if (auto *L = dyn_cast<LambdaExpr>(St)) {
    for (Expr *Init : L->capture_inits())
      if (!hookAll(Init, Var, Initial))
        return false;
    return true;
  }
  if (isa<BlockExpr>(St))
    return true;
  if (auto *E = dyn_cast<CoroutineSuspendExpr>(St)) {
    // Operand and Common may share nodes, and hold suspensions of their own
    // (`co_await co_await x`): each one once, innermost first.
    if (!hookAll(E->getCommonExpr(), Var, Initial) ||
        !hookAll(E->getOperand(), Var, Initial))
      return false;
    return !Seen.insert(E).second || hook(E, Var, E == Initial);
  }
  for (Stmt *Child : St->children())
    if (!hookAll(Child, Var, Initial))
      return false;
  return true;
}

void CoroutineLowering::undo() {
  for (const Undo &U : llvm::reverse(Hooked)) {
    setChild(U.E, ReadyIdx, U.Ready);
    setChild(U.E, SuspendIdx, U.Suspend);
    setChild(U.E, ResumeIdx, U.Resume);
    if (U.Callee)
      U.Callee->setBase(U.Base);
  }
  Count.Suspensions -= Hooked.size();
  Hooked.clear();
}

bool CoroutineLowering::lowerBody(FunctionDecl *FD, CoroutineBodyStmt *CB) {
  auto *InitE = dyn_cast_or_null<Expr>(CB->getInitSuspendStmt());
  auto *FinalE = dyn_cast_or_null<Expr>(CB->getFinalSuspendStmt());
  CoroutineSuspendExpr *Initial = firstSuspend(InitE);
  if (!InitE || !FinalE || !Initial)
    return false;
  const CXXRecordDecl *Class = runtimeClass(ContextClass);

  CompoundStmt *OldBody = CB->getBody();
  SourceLocation L = OldBody->getLBracLoc(), R = OldBody->getRBracLoc();
  if (L.isInvalid() && !OldBody->body_empty()) {
    // A function-try-block: Sema wrapped the try in a compound of its own,
    // with no braces (SemaCoroutine.cpp, buildCoroutineBody).
    L = OldBody->body_front()->getBeginLoc();
    R = OldBody->body_back()->getEndLoc();
  }
  if (L.isInvalid())
    L = FD->getLocation();
  if (R.isInvalid())
    R = L;

  Sema::ContextRAII InFunction(S, FD);
  EnterExpressionEvaluationContext Evaluated(
      S, Sema::ExpressionEvaluationContext::PotentiallyEvaluated);
  // Whatever Sema would say about our own expressions stays unsaid: an
  // error means the coroutine is put back as it was.
  Sema::SFINAETrap Trap(S, /*AccessCheckingSFINAE=*/true);

  // ::tacit::detail::coro_context __tacit_coro;  (default-initialized: its
  // constructor captures the creator's context, in the ramp, before the
  // initial suspend)
  QualType T = Ctx.getRecordType(Class);
  auto *Var = VarDecl::Create(Ctx, FD, L, L, &Ctx.Idents.get(ContextVariable),
                              T, Ctx.getTrivialTypeSourceInfo(T, L), SC_None);
  Var->setImplicit();
  FD->addDecl(Var);
  S.ActOnUninitializedDecl(Var);
  if (Var->isInvalidDecl() || Trap.hasErrorOccurred()) {
    FD->removeDecl(Var);
    return false;
  }
  S.FinalizeDeclaration(Var);
  auto *DS = new (Ctx) DeclStmt(DeclGroupRef(Var), L, L);

  Hooked.clear();
  auto Fail = [&] {
    undo();
    FD->removeDecl(Var);
    return false;
  };
  if (!hookAll(InitE, Var, Initial) || !hookAll(OldBody, Var, Initial) ||
      Trap.hasErrorOccurred())
    return Fail();

  // try { <initial suspend>; <body>; <return_void> }
  llvm::SmallVector<Stmt *, 3> Inner{InitE, OldBody};
  if (Stmt *OnFallthrough = CB->getFallthroughHandler())
    Inner.push_back(OnFallthrough);
  CompoundStmt *TryBody =
      CompoundStmt::Create(Ctx, Inner, FPOptionsOverride(), L, R);
  Stmt *Second = TryBody;
  if (Stmt *OnException = CB->getExceptionHandler()) {
    // catch (...) { if (!__tacit_coro.started()) throw;
    //               promise.unhandled_exception(); }
    // Built directly: ActOnCXXTryBlock needs the function's scope info,
    // which is gone once its body is finished (SemaStmt.cpp:4186).
    Expr *Started = call(Var, "started", L);
    if (!Started)
      return Fail();
    ExprResult Not = S.CreateBuiltinUnaryOp(L, UO_LNot, Started);
    if (Not.isInvalid() || Trap.hasErrorOccurred())
      return Fail();
    auto *Rethrow = new (Ctx) CXXThrowExpr(nullptr, Ctx.VoidTy, L,
                                           /*IsThrownVariableInScope=*/false);
    auto *If = IfStmt::Create(Ctx, L, IfStatementKind::Ordinary, nullptr,
                              nullptr, Not.get(), L, L, Rethrow);
    Stmt *Handler =
        CompoundStmt::Create(Ctx, {If, OnException}, FPOptionsOverride(), L, R);
    auto *Catch = new (Ctx) CXXCatchStmt(L, nullptr, Handler);
    Stmt *Handlers[] = {Catch};
    Second = CXXTryStmt::Create(Ctx, L, TryBody, Handlers);
  }
  Stmt *Outer[] = {DS, Second};
  CompoundStmt *NewBody =
      CompoundStmt::Create(Ctx, Outer, FPOptionsOverride(), L, R);

  // A no-op where the initial suspend was: EmitCoroutineBody emits that
  // slot with AwaitKind::Init (CGCoroutine.cpp:880-882); an IntegerLiteral
  // emits nothing. The moved suspend is emitted as an ordinary one, inside
  // the body.
  Expr *NoOp = IntegerLiteral::Create(
      Ctx, llvm::APInt(Ctx.getIntWidth(Ctx.IntTy), 0), Ctx.IntTy, L);

  CoroutineBodyStmt::CtorArgs A;
  A.Body = NewBody;
  A.Promise = CB->getPromiseDeclStmt();
  A.InitialSuspend = NoOp;
  A.FinalSuspend = FinalE;
  A.OnException = nullptr;
  A.OnFallthrough = nullptr;
  A.Allocate = CB->getAllocate();
  A.Deallocate = CB->getDeallocate();
  A.ResultDecl = CB->getResultDecl();
  A.ReturnValue = CB->getReturnValueInit();
  A.ReturnStmt = CB->getReturnStmt();
  A.ReturnStmtOnAllocFailure = CB->getReturnStmtOnAllocFailure();
  llvm::SmallVector<Stmt *, 8> ParamMoves;
  for (const Stmt *M : CB->getParamMoves())
    ParamMoves.push_back(const_cast<Stmt *>(M));
  A.ParamMoves = ParamMoves;
  FD->setBody(CoroutineBodyStmt::Create(Ctx, A));

  if (DumpID) {
    unsigned Guards = 0;
    for (const Undo &U : Hooked)
      Guards += hooksOf(*U.E).Guard;
    Ctx.getDiagnostics().Report(FD->getLocation(), DumpID)
        << unsigned(Hooked.size()) << Guards;
  }
  Hooked.clear();
  return true;
}

std::optional<LoweredCoroutine> loweredParts(const CoroutineBodyStmt &CB) {
  CompoundStmt *Body = CB.getBody();
  if (!Body || Body->size() != 2)
    return std::nullopt;
  auto *DS = dyn_cast<DeclStmt>(Body->body_front());
  if (!DS || !DS->isSingleDecl() || !isContextVariable(DS->getSingleDecl()))
    return std::nullopt;
  LoweredCoroutine P;
  P.Context = cast<VarDecl>(DS->getSingleDecl());
  Stmt *Second = Body->body_back();
  auto *Inner = dyn_cast<CompoundStmt>(Second);
  if (auto *Try = dyn_cast<CXXTryStmt>(Second)) {
    P.Try = Try;
    Inner = Try->getTryBlock();
    if (Try->getNumHandlers() == 1)
      if (auto *Handler = dyn_cast_or_null<CompoundStmt>(
              Try->getHandler(0)->getHandlerBlock());
          Handler && Handler->size() == 2)
        P.OnException = Handler->body_back();
  }
  if (!Inner || Inner->size() < 2 || Inner->size() > 3)
    return std::nullopt;
  Stmt *const *Parts = Inner->body_begin();
  P.InitialSuspend = Parts[0];
  P.Body = dyn_cast<CompoundStmt>(Parts[1]);
  if (Inner->size() == 3)
    P.OnFallthrough = Parts[2];
  if (!P.Body)
    return std::nullopt;
  return P;
}

SuspensionHooks hooksOf(const CoroutineSuspendExpr &E) {
  SuspensionHooks H;
  if (const auto *Or = dyn_cast_or_null<BinaryOperator>(E.getReadyExpr()))
    H.Ready = Or->getOpcode() == BO_LOr && hookCall(Or->getRHS());
  const Expr *Suspend = E.getSuspendExpr();
  if (const auto *EWC = dyn_cast_or_null<ExprWithCleanups>(Suspend))
    Suspend = EWC->getSubExpr();
  if (const auto *Comma = dyn_cast_or_null<BinaryOperator>(Suspend))
    H.Guard = Comma->getOpcode() == BO_Comma && isGuard(Comma->getLHS());
  // The hook: the resume expression's own comma, or its call's object's.
  const Expr *Resume = E.getResumeExpr();
  if (!Resume)
    return H;
  const Expr *Comma = Resume;
  if (const auto *BT = dyn_cast<CXXBindTemporaryExpr>(Comma))
    Comma = BT->getSubExpr();
  if (const auto *CE = dyn_cast<CallExpr>(Comma))
    if (const auto *ME = dyn_cast<MemberExpr>(CE->getCallee()->IgnoreParens()))
      Comma = ME->getBase();
  if (const auto *BO = dyn_cast<BinaryOperator>(Comma);
      BO && BO->getOpcode() == BO_Comma)
    if (std::optional<llvm::StringRef> Name = hookCall(BO->getLHS())) {
      H.Resume = true;
      H.Initial = *Name == "initial_resumed";
    }
  return H;
}

Stmt *withoutHooks(Stmt *S) {
  if (!S)
    return S;
  if (auto *BO = dyn_cast<BinaryOperator>(S)) {
    if (BO->getOpcode() == BO_LOr && hookCall(BO->getRHS()))
      return withoutHooks(BO->getLHS());
    if (Expr *E = afterHook(BO))
      return withoutHooks(E);
    return S;
  }
  if (auto *EWC = dyn_cast<ExprWithCleanups>(S))
    if (Expr *E = afterHook(dyn_cast<BinaryOperator>(EWC->getSubExpr())))
      return withoutHooks(E);
  return S;
}

} // namespace tacit
