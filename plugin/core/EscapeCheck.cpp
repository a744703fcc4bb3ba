//===- EscapeCheck.cpp - Scope memory that outlives its with_alloc block --===//
//
// FILE: plugin/core/EscapeCheck.cpp
// DESCRIPTION: The check tacit-escape-check. Warns where, inside a
//   with_alloc block, memory from the block's allocator is given to
//   something that outlives the block:
//     - an allocating object (std container, string, string stream, smart
//       pointer, std::function, std::any, or a class holding one) declared
//       outside the block — a local, a parameter, a global, a static, a
//       member, or what a reference or pointer parameter refers to — is
//       grown, assigned, inserted or emplaced into, or written to (`out <<`
//       on a string stream, `std::getline` / `>>` into a string);
//     - a raw pointer from `new` is stored to a global, static or member
//       (also a member reached through a reference or a pointer parameter);
//     - an allocating value built in the block is returned from it, or a
//       copy of one that was not (the copy is built in the block).
//   Not reported, because nothing of the block's memory is handed out:
//   moving (or swapping, splicing) in an object that was not built in the
//   block, assigning or resetting to empty (`= nullptr`, `reset()`, `= {}`),
//   copying a shared_ptr / weak_ptr, returning by implicit move a variable
//   declared before the block, and operations that release memory
//   (`clear`, `erase`, `pop_back`, `shrink_to_fit` — used to give memory
//   back, `v.clear(); v.shrink_to_fit();`, though on a non-empty container
//   it does copy into a smaller buffer from the block).
//   The runtime keeps such memory valid (docs/safety.md), but it pins the
//   block's arena. The fix: declare the object inside the block, or do the
//   update in a without_alloc { ... } block. Off with
//   -fplugin-arg-tacit-no-escape-check. docs/diagnostics.md#escapecheck,
//   test/plugin/EscapeCheck.cpp
//
//   Only the innermost block counts: inside a without_alloc block nested in
//   with_alloc nothing is reported (that is the suggested fix), and a lambda
//   body is not part of the block.
//
//   This file is the provenance analysis: where an object lives (rootOf,
//   pointeeOf) and where a value comes from (sourceOf). What the std types
//   and their members do — which allocate, share, start empty, grow — is
//   asked of StdOwnership.h.
//
//===----------------------------------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "Check.h"
#include "StdOwnership.h"
#include "StdRenames.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace tacit {
namespace {

// The same class, or two specialisations of one template
// (unique_ptr<Derived> into unique_ptr<Base>).
bool sameKind(const CXXRecordDecl *A, QualType TB) {
  const CXXRecordDecl *B = TB.getNonReferenceType()->getAsCXXRecordDecl();
  if (!A || !B)
    return false;
  if (A->getCanonicalDecl() == B->getCanonicalDecl())
    return true;
  const auto *SA = dyn_cast<ClassTemplateSpecializationDecl>(A);
  const auto *SB = dyn_cast<ClassTemplateSpecializationDecl>(B);
  return SA && SB &&
         SA->getSpecializedTemplate()->getCanonicalDecl() ==
             SB->getSpecializedTemplate()->getCanonicalDecl();
}

// Where an object lives, relative to the block.
enum class Place { Inside, Outside, Unknown };

// What an object outside the block is, in the words of the messages (the
// order is their %select's).
enum class OutsideKind {
  Variable, // declared before the block, or what a reference or pointer
            // parameter refers to
  Global,
  Static, // a static local or a static member
  Member,
};

// The object an expression names, and where it lives.
struct Root {
  Place P = Place::Unknown;
  OutsideKind Kind = OutsideKind::Variable; // when P is Place::Outside
  const ValueDecl *Target = nullptr;
  bool Indirect = false; // reached through a reference or pointer
};

// Where a value comes from: nothing (empty), an object that was not built
// in the block, one that was (or a temporary made in it), or not known.
enum class Src { Empty, Outside, Inside, Unknown };

// What a return statement's message says is returned (the order is its
// %select's).
enum class Returned { Named, Unnamed, CopyOfNamed, Copy };

class EscapeCheck : public Check {
public:
  explicit EscapeCheck(CheckContext &C) : Check(CheckId::EscapeCheck, C) {
    UpdateID = Diag.warning(
        "%select{variable|global variable|static variable|member}0 %1 is "
        "declared outside this with_alloc block but %select{grows|is "
        "assigned|is inserted into}2 inside it: its new "
        "storage comes from the block's allocator and outlives the block; "
        "%select{declare %1 inside the block, or |||}0do the update in a "
        "without_alloc { ... } block");
    StoreID = Diag.warning(
        "memory allocated inside this with_alloc block is stored to "
        "%select{|global variable |static variable |member }0%1, which "
        "outlives the block; allocate it in a without_alloc { ... } block");
    ReturnID = Diag.warning(
        "%select{%1|a value that allocates|a copy of %1|a copy}0 is returned "
        "from inside this with_alloc block: its storage comes from the "
        "block's allocator and outlives the block; build it in a "
        "without_alloc { ... } block, or declare it outside the with_alloc "
        "block and fill it there");
    BlockID = Diag.note("with_alloc block opened here");
  }

  void onStmt(Stmt *St, const Where &W) override {
    const Scope *S = block(W);
    if (!S)
      return;
    if (auto *E = dyn_cast<CallExpr>(St))
      VisitCallExpr(E, *S);
    else if (auto *E = dyn_cast<BinaryOperator>(St))
      VisitBinaryOperator(E, *S);
    else if (auto *R = dyn_cast<ReturnStmt>(St))
      VisitReturnStmt(R, *S);
  }

private:
  void VisitCallExpr(const CallExpr *E, const Scope &S) {
    const FunctionDecl *FD = E->getDirectCallee();
    if (!FD || isa<CXXConstructorDecl>(FD))
      return;
    const auto *MD = dyn_cast<CXXMethodDecl>(FD);
    if (MD && (MD->isStatic() || MD->isExplicitObjectMemberFunction()))
      MD = nullptr;
    llvm::ArrayRef<const Expr *> All(E->getArgs(), E->getNumArgs());
    const Expr *Object = nullptr;
    llvm::ArrayRef<const Expr *> Args;
    Update U = Update::None;
    if (MD) {
      if (auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
        Object = MC->getImplicitObjectArgument();
        Args = All;
      } else if (isa<CXXOperatorCallExpr>(E) && !All.empty()) {
        Object = All[0];
        Args = All.drop_front();
      }
      if (!Object)
        return;
      U = updateOf(*MD, Object, Args, S);
    } else {
      // Free functions that write to an argument.
      OverloadedOperatorKind OO = FD->getOverloadedOperator();
      if (OO == OO_LessLess && All.size() == 2 &&
          isStringStream(recordOf(All[0]))) {
        Object = All[0]; // out << x
        U = Update::Grows;
      } else if (FD->isInStdNamespace() && All.size() >= 2 &&
                 (OO == OO_GreaterGreater ||
                  (FD->getIdentifier() && FD->getName() == "getline")) &&
                 isStdString(All[1]->getType()) &&
                 !All[1]->getType().isConstQualified()) {
        Object = All[1]; // in >> s, std::getline(in, s)
        U = Update::Grows;
      }
    }
    if (U == Update::None || !Object)
      return;
    // The object's own type: past a derived-to-base cast to basic_ostream,
    // and through the pointer of `p->push_back(x)`.
    QualType ObjT = Object->IgnoreParenImpCasts()->getType();
    bool Arrow = ObjT->isPointerType();
    if (!allocates(Arrow ? ObjT->getPointeeType() : ObjT))
      return;
    Root R = Arrow ? pointeeOf(Object, S, 0) : rootOf(Object, S);
    if (R.P != Place::Outside || !R.Target)
      return;
    if (SourceLocation At = claim(E->getExprLoc()); At.isValid()) {
      Diag.report(At, UpdateID) << int(R.Kind) << R.Target << int(U);
      noteBlock(S);
    }
  }

  // What a member call does to its object.
  Update updateOf(const CXXMethodDecl &MD, const Expr *Object,
                  llvm::ArrayRef<const Expr *> Args, const Scope &S) {
    if (MD.isConst())
      return Update::None;
    const CXXRecordDecl *RD = recordOf(Object);
    switch (MD.getOverloadedOperator()) {
    case OO_None:
      break;
    case OO_Equal:
      return assignment(MD, RD, Args, S);
    case OO_PlusEqual:
      return Update::Grows;
    case OO_LessLess: // out << x, on a string stream
      return isStringStream(RD) ? Update::Grows : Update::None;
    case OO_Subscript:
      return subscriptInserts(MD) ? Update::Inserted : Update::None;
    default:
      return Update::None;
    }
    const IdentifierInfo *II = MD.getIdentifier();
    if (!II)
      return Update::None;
    StringRef Name = II->getName();
    if (isStringStream(RD))
      if (Update U = stringStreamUpdate(Name, !Args.empty());
          U != Update::None)
        return U;
    if (Name == "reset")
      return llvm::all_of(Args, [&](const Expr *A) {
               return sourceOf(A, S) == Src::Empty;
             })
                 ? Update::None
                 : Update::Assigned;
    // Exchanging or moving in whole objects (or their nodes) that were not
    // built in the block hands nothing of the block's memory out.
    if (Name == "swap" || Name == "splice" || Name == "merge") {
      const Expr *From = Name == "splice" && Args.size() >= 2 ? Args[1]
                         : !Args.empty()                      ? Args[0]
                                                              : nullptr;
      if (From && sameKind(RD, From->getType()) &&
          sourceOf(From, S) != Src::Inside)
        return Update::None;
      return Name == "swap" ? Update::Assigned : Update::Inserted;
    }
    if (Name == "assign" && Args.size() == 1)
      return assignment(MD, RD, Args, S);
    return memberUpdate(Name);
  }

  // `x = y` / `x.assign(y)`: nothing escapes when y is empty, or when y's
  // storage is moved in (or shared) from an object not built in the block.
  Update assignment(const CXXMethodDecl &MD, const CXXRecordDecl *RD,
                    llvm::ArrayRef<const Expr *> Args, const Scope &S) {
    if (Args.size() != 1 || MD.getNumParams() < 1)
      return Update::Assigned;
    const Expr *A = Args[0];
    Src From = sourceOf(A, S);
    if (From == Src::Empty)
      return Update::None;
    // weak = shared: shares the control block.
    if (RD && sharesOnCopy(*RD))
      if (const CXXRecordDecl *From2 = recordOf(A);
          From2 && sharesOnCopy(*From2))
        return From == Src::Inside ? Update::Assigned : Update::None;
    if (!sameKind(RD, A->getType()))
      return Update::Assigned;
    QualType P = MD.getParamDecl(0)->getType();
    // By value: the argument's own construction (a move or a copy) was
    // classified by sourceOf.
    bool Moves = P->isRValueReferenceType() || !P->isReferenceType();
    if ((Moves || (RD && sharesOnCopy(*RD))) && From != Src::Inside)
      return Update::None;
    return Update::Assigned;
  }

  // `global_ptr = new T` / `this->p = new T` / `ref.p = new T`.
  void VisitBinaryOperator(const BinaryOperator *E, const Scope &S) {
    if (E->getOpcode() != BO_Assign ||
        !isa<CXXNewExpr>(E->getRHS()->IgnoreParenImpCasts()))
      return;
    Root R = rootOf(E->getLHS(), S);
    // A local declared before the block gets its pointer back when the
    // block ends: the usual way to build in an arena.
    if (R.P != Place::Outside || R.Kind == OutsideKind::Variable || !R.Target)
      return;
    if (SourceLocation At = claim(E->getOperatorLoc()); At.isValid()) {
      Diag.report(At, StoreID) << int(R.Kind) << R.Target;
      noteBlock(S);
    }
  }

  void VisitReturnStmt(const ReturnStmt *Ret, const Scope &S) {
    const Expr *V = Ret->getRetValue();
    if (!V || !allocates(V->getType()))
      return;
    const Expr *E = skipTemporaries(V);
    Returned Form;
    const ValueDecl *Name = nullptr; // what is returned, if it has a name
    const auto *CE = dyn_cast<CXXConstructExpr>(E);
    if (const Expr *From = CE ? copiedFrom(CE) : nullptr) {
      // A copy is built in the block, whatever it is a copy of.
      Name = named(From);
      Form = Name ? Returned::CopyOfNamed : Returned::Copy;
    } else {
      if (sourceOf(E, S) != Src::Inside)
        return; // moved out of, or naming, an object not built in the block
      Name = named(CE && builtFrom(CE) ? builtFrom(CE) : E);
      Form = Name ? Returned::Named : Returned::Unnamed;
    }
    SourceLocation At = claim(Ret->getReturnLoc());
    if (At.isInvalid())
      return;
    {
      auto B = Diag.report(At, ReturnID);
      B << int(Form);
      if (Name)
        B << Name;
      else
        B << "";
    }
    noteBlock(S);
  }

  // ---- what a construction is built from ---------------------------------

  // A construction from one allocating object (a copy or move constructor,
  // or a converting one such as optional<string>(string&&)): that object.
  const Expr *builtFrom(const CXXConstructExpr *CE) {
    if (CE->getNumArgs() == 0)
      return nullptr;
    const CXXConstructorDecl *Ctor = CE->getConstructor();
    if (!Ctor || Ctor->getNumParams() == 0)
      return nullptr;
    for (unsigned I = 1; I < CE->getNumArgs(); ++I)
      if (!isa<CXXDefaultArgExpr>(CE->getArg(I)))
        return nullptr;
    const Expr *A = CE->getArg(0);
    if (!allocates(A->getType()))
      return nullptr; // built from something else: std::string("text")
    return A;
  }
  // The object a construction copies (allocating new storage), if it does.
  const Expr *copiedFrom(const CXXConstructExpr *CE) {
    const Expr *A = builtFrom(CE);
    if (!A)
      return nullptr;
    QualType P = CE->getConstructor()->getParamDecl(0)->getType();
    if (!P->isLValueReferenceType())
      return nullptr; // a move, or by value (the argument says)
    if (sharesOnCopy(*CE->getConstructor()->getParent()))
      return nullptr;
    return A;
  }

  static const Expr *skipTemporaries(const Expr *E) {
    while (true) {
      E = E->IgnoreParenImpCasts();
      if (auto *M = dyn_cast<MaterializeTemporaryExpr>(E))
        E = M->getSubExpr();
      else if (auto *B = dyn_cast<CXXBindTemporaryExpr>(E))
        E = B->getSubExpr();
      else if (auto *C = dyn_cast<ExprWithCleanups>(E))
        E = C->getSubExpr();
      else if (auto *C = dyn_cast<ExplicitCastExpr>(E);
               C && (C->getCastKind() == CK_NoOp ||
                     C->getCastKind() == CK_ConstructorConversion ||
                     C->getCastKind() == CK_DerivedToBase ||
                     C->getCastKind() == CK_UncheckedDerivedToBase))
        E = C->getSubExpr();
      else if (const Expr *M = movedFrom(E))
        E = M;
      else
        return E;
    }
  }
  // std::move(x), std::forward<T>(x), std::move_if_noexcept(x),
  // std::as_const(x), std::forward_like<T>(x): x (StdRenames.h).
  static const Expr *movedFrom(const Expr *E) {
    const auto *CE = dyn_cast<CallExpr>(E);
    if (!CE || CE->getNumArgs() != 1)
      return nullptr;
    const FunctionDecl *FD = CE->getDirectCallee();
    if (!FD || !isStdRename(*FD))
      return nullptr;
    return CE->getArg(0);
  }

  // ---- where a value comes from -----------------------------------------

  Src sourceOf(const Expr *E, const Scope &S, unsigned Depth = 0) {
    if (!E || Depth > 16)
      return Src::Unknown;
    E = skipTemporaries(E);
    if (auto *D = dyn_cast<CXXDefaultArgExpr>(E))
      return sourceOf(D->getExpr(), S, Depth + 1);
    if (holdsNothing(E))
      return Src::Empty;
    if (auto *CE = dyn_cast<CXXConstructExpr>(E))
      return constructionSource(CE, S, Depth);
    if (isa<ImplicitValueInitExpr>(E))
      return Src::Empty;
    if (auto *DI = dyn_cast<CXXDefaultInitExpr>(E))
      return sourceOf(DI->getExpr(), S, Depth + 1);
    if (auto *IL = dyn_cast<InitListExpr>(E))
      return initListSource(IL, S, Depth);
    if (E->isGLValue())
      return objectSource(E, S, Depth);
    return Src::Inside; // a prvalue computed here
  }

  // nullptr, NULL, 0 as a pointer, T(), std::nullopt, std::monostate{}.
  bool holdsNothing(const Expr *E) {
    if (isa<CXXScalarValueInitExpr>(E) || isa<CXXNullPtrLiteralExpr>(E) ||
        isa<GNUNullExpr>(E))
      return true;
    QualType T = E->getType();
    if (isEmptyTag(T))
      return true;
    return (T->isPointerType() || T->isNullPtrType() || T->isIntegerType()) &&
           !E->isValueDependent() &&
           E->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull);
  }

  // A construction: a copy is made here; a move (or a share) comes from what
  // it moves; otherwise what its arguments say.
  Src constructionSource(const CXXConstructExpr *CE, const Scope &S,
                         unsigned Depth) {
    const CXXConstructorDecl *Ctor = CE->getConstructor();
    if (!Ctor)
      return Src::Unknown;
    if (copiedFrom(CE))
      return Src::Inside; // a copy, made here
    if (const Expr *From = builtFrom(CE))
      return sourceOf(From, S, Depth + 1); // moved (or shared)
    bool AllEmpty = llvm::all_of(CE->arguments(), [&](const Expr *A) {
      return sourceOf(A, S, Depth + 1) == Src::Empty;
    });
    if (!AllEmpty)
      return Src::Inside;
    // Built from nothing but nullptr or std::nullopt (json(nullptr),
    // optional(nullopt)): there is nothing to hold.
    if (CE->getNumArgs() > 0 &&
        llvm::all_of(CE->arguments(), [](const Expr *A) {
          return isEmptyTag(A->IgnoreParenImpCasts()->getType());
        }))
      return Src::Empty;
    const CXXRecordDecl *RD = Ctor->getParent();
    if (isStdNamed(*RD))
      return emptyByDefault(*RD) ? Src::Empty : Src::Inside;
    // A user's class, default-constructed by a constructor it did not
    // write: empty if its members are.
    bool Defaulted = llvm::all_of(CE->arguments(), [](const Expr *A) {
      return isa<CXXDefaultArgExpr>(A);
    });
    return Defaulted && !Ctor->isUserProvided() && emptyWhenDefaulted(RD)
               ? Src::Empty
               : Src::Inside;
  }

  // T{...} for an aggregate: empty if every member that allocates is
  // (value-initialised, or from an empty default member initialiser).
  Src initListSource(const InitListExpr *IL, const Scope &S, unsigned Depth) {
    if (IL->getNumInits() == 0) {
      const CXXRecordDecl *RD = IL->getType()->getAsCXXRecordDecl();
      return emptyWhenDefaulted(RD) ? Src::Empty : Src::Inside;
    }
    return llvm::all_of(IL->inits(),
                        [&](const Expr *I) {
                          return !allocates(I->getType()) ||
                                 sourceOf(I, S, Depth + 1) == Src::Empty;
                        })
               ? Src::Empty
               : Src::Inside;
  }

  // An object (a glvalue): where it lives, unless it is a variable of the
  // block still holding storage moved in from outside.
  Src objectSource(const Expr *E, const Scope &S, unsigned Depth) {
    Root R = rootOf(E, S);
    if (R.P == Place::Inside)
      if (const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()))
        if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
            VD && holdsOutsideStorage(*VD, S, Depth))
          return Src::Outside;
    return R.P == Place::Outside  ? Src::Outside
           : R.P == Place::Inside ? Src::Inside
                                  : Src::Unknown;
  }

  // `auto tmp = std::move(a); a = std::move(b); b = std::move(tmp);`: a
  // variable of the block initialised by moving in an object that was not
  // built in the block still holds that object's storage, as long as the
  // block only reads it, empties it or moves it on.
  bool holdsOutsideStorage(const VarDecl &VD, const Scope &S,
                           unsigned Depth) {
    if (Depth > 4 || VD.getType()->isReferenceType() || !VD.getInit())
      return false;
    const auto *CE = dyn_cast<CXXConstructExpr>(skipTemporaries(VD.getInit()));
    if (!CE || copiedFrom(CE))
      return false;
    const Expr *From = builtFrom(CE);
    if (!From || sourceOf(From, S, Depth + 1) != Src::Outside)
      return false;
    llvm::SmallPtrSet<const DeclRefExpr *, 8> All, Harmless;
    collectUses(S.Body, VD, All, Harmless);
    return llvm::all_of(All, [&](const DeclRefExpr *D) {
      return Harmless.count(D);
    });
  }

  // Every use of VD under St, and those that leave its storage as it is:
  // a const member call, clear / erase / pop_*, std::move(VD), a move
  // construction from it.
  void collectUses(const Stmt *St, const VarDecl &VD,
                   llvm::SmallPtrSetImpl<const DeclRefExpr *> &All,
                   llvm::SmallPtrSetImpl<const DeclRefExpr *> &Harmless) {
    if (!St)
      return;
    auto Names = [&](const Expr *E) -> const DeclRefExpr * {
      const auto *D = dyn_cast_or_null<DeclRefExpr>(
          E ? E->IgnoreParenImpCasts() : nullptr);
      return D && D->getDecl() == &VD ? D : nullptr;
    };
    if (const auto *D = dyn_cast<DeclRefExpr>(St); D && D->getDecl() == &VD)
      All.insert(D);
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(St)) {
      const CXXMethodDecl *MD = MC->getMethodDecl();
      if (const DeclRefExpr *D = Names(MC->getImplicitObjectArgument());
          D && MD && releases(*MD))
        Harmless.insert(D);
    } else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(St)) {
      const auto *MD = dyn_cast_or_null<CXXMethodDecl>(OC->getDirectCallee());
      if (OC->getNumArgs() > 0)
        if (const DeclRefExpr *D = Names(OC->getArg(0));
            D && MD && MD->isConst())
          Harmless.insert(D);
    } else if (const auto *C = dyn_cast<CallExpr>(St)) {
      if (const Expr *M = movedFrom(C))
        if (const DeclRefExpr *D = Names(M))
          Harmless.insert(D);
    } else if (const auto *CE = dyn_cast<CXXConstructExpr>(St)) {
      if (!copiedFrom(CE))
        if (const DeclRefExpr *D = Names(builtFrom(CE)))
          Harmless.insert(D);
    }
    for (const Stmt *Child : St->children())
      collectUses(Child, VD, All, Harmless);
  }

  // Whether a default-constructed RD allocates nothing: a std type that
  // starts empty, or a class whose default constructor it did not write
  // and whose members and bases all start empty.
  bool emptyWhenDefaulted(const CXXRecordDecl *RD, unsigned Depth = 0) {
    if (!RD || Depth > 8)
      return false;
    if (isStdNamed(*RD))
      return emptyByDefault(*RD);
    RD = RD->getDefinition();
    if (!RD)
      return false;
    if (!allocates(*RD))
      return true;
    for (const CXXConstructorDecl *C : RD->ctors())
      if (C->isDefaultConstructor() && C->isUserProvided())
        return false;
    for (const CXXBaseSpecifier &B : RD->bases())
      if (!emptyWhenDefaulted(B.getType()->getAsCXXRecordDecl(), Depth + 1))
        return false;
    for (const FieldDecl *F : RD->fields()) {
      if (!allocates(F->getType()))
        continue;
      if (F->hasInClassInitializer())
        return false;
      QualType FT = F->getType();
      while (const ArrayType *AT = Ctx.getAsArrayType(FT))
        FT = AT->getElementType();
      if (!emptyWhenDefaulted(FT->getAsCXXRecordDecl(), Depth + 1))
        return false;
    }
    return true;
  }

  // The variable or member an expression names, for a message.
  static const ValueDecl *named(const Expr *E) {
    E = skipTemporaries(E);
    if (auto *DRE = dyn_cast<DeclRefExpr>(E))
      return DRE->getDecl();
    if (auto *ME = dyn_cast<MemberExpr>(E))
      return ME->getMemberDecl();
    return nullptr;
  }

  // ---- where an object lives -----------------------------------------------

  // The innermost scope, if it is a with_alloc block.
  static const Scope *block(const Where &W) {
    const Scope *S = W.innermost();
    return S && S->Kind == ScopeKind::WithAlloc ? S : nullptr;
  }

  bool declaredInside(const Decl *D, const Scope &S) const {
    SourceLocation L = SM.getFileLoc(D->getLocation());
    SourceLocation B = SM.getFileLoc(S.Body->getBeginLoc());
    return !SM.isBeforeInTranslationUnit(L, B);
  }

  static Root outside(OutsideKind Kind, const ValueDecl *Target,
                      bool Indirect) {
    Root R;
    R.P = Place::Outside;
    R.Kind = Kind;
    R.Target = Target;
    R.Indirect = Indirect;
    return R;
  }
  static Root inside() {
    Root R;
    R.P = Place::Inside;
    return R;
  }

  // The object a variable names.
  Root varRoot(const VarDecl *VD, const Scope &S, unsigned Depth) {
    if (VD->hasGlobalStorage() || VD->getTLSKind() != VarDecl::TLS_None)
      return outside(VD->isStaticLocal() || VD->isStaticDataMember()
                         ? OutsideKind::Static
                         : OutsideKind::Global,
                     VD, VD->getType()->isReferenceType());
    bool Ref = VD->getType()->isReferenceType();
    if (isa<ParmVarDecl>(VD))
      return outside(OutsideKind::Variable, VD, Ref); // the caller's
    bool In = declaredInside(VD, S);
    if (!Ref)
      return In ? inside() : outside(OutsideKind::Variable, VD, false);
    // A reference: what it was bound to, when that can be seen.
    if (const Expr *Init = VD->getInit()) {
      Root R = rootOf(Init, S, Depth + 1);
      if (R.P != Place::Unknown)
        return R;
    }
    // Bound before the block to something unknown: an object outside it.
    return In ? Root() : outside(OutsideKind::Variable, VD, true);
  }

  // The object E names (a glvalue), and where it lives.
  Root rootOf(const Expr *E, const Scope &S, unsigned Depth = 0) {
    if (!E || Depth > 16)
      return Root();
    E = E->IgnoreParenImpCasts();
    if (const Expr *M = movedFrom(E))
      return rootOf(M, S, Depth + 1);
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
      return VD ? varRoot(VD, S, Depth) : Root();
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      const ValueDecl *Member = ME->getMemberDecl();
      if (!isa<FieldDecl>(Member) && !isa<VarDecl>(Member))
        return Root();
      if (const auto *VD = dyn_cast<VarDecl>(Member)) // a static member
        return varRoot(VD, S, Depth);
      Root B = ME->isArrow() ? pointeeOf(ME->getBase(), S, Depth + 1)
                             : rootOf(ME->getBase(), S, Depth + 1);
      if (B.P != Place::Outside)
        return B;
      // s.items: the whole of `s` outlives the block or not; through a
      // reference or pointer, `r.p` is a member of an object outside.
      return outside(B.Kind == OutsideKind::Variable && B.Indirect
                         ? OutsideKind::Member
                         : B.Kind,
                     Member, B.Indirect);
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(E);
        UO && UO->getOpcode() == UO_Deref)
      return pointeeOf(UO->getSubExpr(), S, Depth + 1);
    if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
      const Expr *Base = AS->getBase()->IgnoreParenImpCasts();
      return Base->getType()->isArrayType() ? rootOf(Base, S, Depth + 1)
                                            : pointeeOf(Base, S, Depth + 1);
    }
    // v[i] on a container: an element of v. (Not map[key]: that call is
    // reported itself, as an insertion — one warning for `m[k] = v`.)
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E);
        OC && OC->getOperator() == OO_Subscript && OC->getNumArgs() == 2 &&
        OC->isGLValue())
      if (const auto *MD =
              dyn_cast_or_null<CXXMethodDecl>(OC->getDirectCallee());
          MD && !subscriptInserts(*MD))
        return rootOf(OC->getArg(0), S, Depth + 1);
    return Root();
  }

  // The object pointer P points to.
  Root pointeeOf(const Expr *P, const Scope &S, unsigned Depth) {
    if (!P || Depth > 16)
      return Root();
    P = P->IgnoreParenImpCasts();
    if (isa<CXXThisExpr>(P))
      return outside(OutsideKind::Member, nullptr, true);
    if (isa<CXXNewExpr>(P))
      return inside();
    if (const auto *UO = dyn_cast<UnaryOperator>(P);
        UO && UO->getOpcode() == UO_AddrOf)
      return rootOf(UO->getSubExpr(), S, Depth + 1);
    if (const auto *DRE = dyn_cast<DeclRefExpr>(P)) {
      const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
      if (!VD || VD->getType()->isReferenceType())
        return Root();
      if (isa<ParmVarDecl>(VD)) // the caller's object
        return outside(OutsideKind::Variable, VD, true);
      // A pointer declared in the block: what it was initialised with.
      if (!VD->hasGlobalStorage() && declaredInside(VD, S) && VD->getInit())
        return pointeeOf(VD->getInit(), S, Depth + 1);
    }
    return Root();
  }

  // The class of the object E is or points to (past derived-to-base).
  const CXXRecordDecl *recordOf(const Expr *E) {
    QualType T = E->IgnoreParenImpCasts()->getType().getNonReferenceType();
    if (T->isPointerType())
      T = T->getPointeeType();
    return T->getAsCXXRecordDecl();
  }

  bool allocates(QualType T) {
    T = T.getNonReferenceType();
    while (const ArrayType *AT = Ctx.getAsArrayType(T))
      T = AT->getElementType();
    const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
    return RD && allocates(*RD);
  }
  bool allocates(const CXXRecordDecl &RD0) {
    const CXXRecordDecl *RD = RD0.getDefinition();
    if (!RD)
      return isStdAllocating(RD0);
    auto It = Memo.find(RD);
    if (It != Memo.end())
      return It->second;
    Memo[RD] = false; // recursion guard
    bool A;
    if (std::optional<bool> New = allocatorUsesNew(*RD)) {
      A = *New;
    } else {
      A = isStdAllocating(*RD);
      for (const CXXBaseSpecifier &B : RD->bases())
        A = A || allocates(B.getType());
      for (const FieldDecl *F : RD->fields())
        A = A || allocates(F->getType());
    }
    Memo[RD] = A;
    return A;
  }

  // A container that names its allocator (`allocator_type`: std, Boost,
  // nlohmann::json, ...): whether that allocator takes memory from operator
  // new, so from the block. One with another allocator (std::pmr, a user's)
  // takes it from its own resource — not known to be the block's.
  std::optional<bool> allocatorUsesNew(const CXXRecordDecl &RD) {
    if (!AllocatorType)
      AllocatorType = &Ctx.Idents.get("allocator_type");
    for (const NamedDecl *ND : RD.lookup(AllocatorType))
      if (const auto *TD = dyn_cast<TypedefNameDecl>(ND)) {
        QualType T = TD->getUnderlyingType();
        if (T->isDependentType())
          return std::nullopt;
        return isNewAllocator(T);
      }
    return std::nullopt;
  }
  // The user-file location to report at, or invalid when already reported
  // (a template instantiated twice) or in a system header.
  SourceLocation claim(SourceLocation Loc) { return Diag.claim(Loc); }
  void noteBlock(const Scope &S) {
    Diag.report(userLocation(S, SM), BlockID);
  }

  unsigned UpdateID, StoreID, ReturnID, BlockID;
  IdentifierInfo *AllocatorType = nullptr;
  llvm::DenseMap<const CXXRecordDecl *, bool> Memo;
};

} // namespace

std::unique_ptr<Check> makeEscapeCheck(CheckContext &C) {
  return std::make_unique<EscapeCheck>(C);
}

} // namespace tacit
