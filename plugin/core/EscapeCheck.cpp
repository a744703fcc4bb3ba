//===- EscapeCheck.cpp - Scope memory that outlives its with_alloc block --===//
//
// FILE: plugin/core/EscapeCheck.cpp
// DESCRIPTION: The check tacit-escape-check. Warns where, inside a
//   with_alloc block, memory from the block's allocator is given to
//   something that outlives the block:
//     - an allocating object (std container, string, smart pointer,
//       std::function, std::any, or a class holding one) declared outside
//       the block — a local, a parameter, a global, a static, a member — is
//       grown, assigned, inserted or emplaced into;
//     - a raw pointer from `new` is stored to a global, static or member;
//     - an allocating value is returned from inside the block.
//   The runtime keeps such memory valid (SPEC §4), but it pins the block's
//   arena. The fix: declare the object inside the block, or do the update in
//   a without_alloc { ... } block. Off with -fplugin-arg-tacit-no-escape-check.
//   docs/diagnostics.md#escapecheck, test/plugin/EscapeCheck.cpp
//
//   Only the innermost block counts: inside a
//   without_alloc block nested in with_alloc nothing is reported (that is the
//   suggested fix), and a lambda body is not part of the block.
//
//===----------------------------------------------------------------------===//
#include "Check.h"

#include "clang/AST/DeclCXX.h"
#include "llvm/ADT/StringSwitch.h"

using namespace clang;

namespace tacit {
namespace {

// std types whose operations allocate through operator new.
bool isStdAllocating(const CXXRecordDecl &RD) {
  if (!RD.getIdentifier() || !RD.isInStdNamespace())
    return false;
  return llvm::StringSwitch<bool>(RD.getName())
      .Cases("vector", "basic_string", "deque", "list", "forward_list", true)
      .Cases("map", "multimap", "set", "multiset", true)
      .Cases("unordered_map", "unordered_multimap", "unordered_set",
             "unordered_multiset", true)
      .Cases("function", "move_only_function", "shared_ptr", "unique_ptr",
             "any", true)
      .Cases("stack", "queue", "priority_queue", "valarray", true)
      .Default(false);
}

// What an update does, by the name of the member function called.
enum Update { Grows, Assigned, Inserted, None };
Update updateOf(const CXXMethodDecl &MD) {
  if (MD.isConst())
    return None;
  if (MD.isCopyAssignmentOperator() || MD.isMoveAssignmentOperator())
    return Assigned;
  if (const IdentifierInfo *II = MD.getIdentifier())
    return llvm::StringSwitch<Update>(II->getName())
        .Cases("push_back", "push_front", "push", "append", "resize",
               "reserve", Grows)
        .Cases("emplace_back", "emplace_front", "emplace", "emplace_hint",
               "try_emplace", "insert_or_assign", Inserted)
        .Cases("insert", "splice", Inserted)
        .Cases("assign", "reset", "swap", Assigned)
        .Default(None);
  switch (MD.getOverloadedOperator()) {
  case OO_Equal:
    return Assigned;
  case OO_PlusEqual:
    return Grows;
  case OO_Subscript: // map[key] inserts; vector[i] does not allocate
    return MD.getParent()->getName().contains("map") ? Inserted : None;
  default:
    return None;
  }
}

class EscapeCheck : public Check {
public:
  explicit EscapeCheck(CheckContext &C) : Check(CheckId::EscapeCheck, C) {
    UpdateID = Diag.warning(
        "%select{variable|global variable|static variable|member}0 %1 is "
        "declared outside this with_alloc block but %select{grows|is "
        "assigned|is inserted into}2 inside it: its new storage comes from "
        "the block's allocator and outlives the block; %select{declare %1 "
        "inside the block, or |||}0do the update in a without_alloc { ... } "
        "block");
    StoreID = Diag.warning(
        "memory allocated inside this with_alloc block is stored to "
        "%select{|global variable |static variable |member }0%1, which "
        "outlives the block; allocate it in a without_alloc { ... } block");
    ReturnID = Diag.warning(
        "%select{%1|a value that allocates}0 is returned from inside this "
        "with_alloc block: its storage comes from the block's allocator and "
        "outlives the block; build it in a without_alloc { ... } block, or "
        "declare it outside the with_alloc block and fill it there");
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
  bool VisitCallExpr(CallExpr *E, const Scope &Block) {
    const Scope *S = &Block;
    const auto *MD = dyn_cast_or_null<CXXMethodDecl>(E->getDirectCallee());
    if (!MD || isa<CXXConstructorDecl>(MD))
      return true;
    const Expr *Object = nullptr;
    if (auto *MC = dyn_cast<CXXMemberCallExpr>(E))
      Object = MC->getImplicitObjectArgument();
    else if (isa<CXXOperatorCallExpr>(E) && E->getNumArgs() > 0)
      Object = E->getArg(0);
    if (!Object)
      return true;
    Update U = updateOf(*MD);
    if (U == None || !allocates(Object->getType()))
      return true;
    const ValueDecl *Target = nullptr;
    int Kind = outsideTarget(Object, *S, Target);
    if (Kind < 0)
      return true;
    if (SourceLocation At = claim(E->getExprLoc()); At.isValid()) {
      Diag.report(At, UpdateID) << Kind << Target << int(U);
      noteBlock(*S);
    }
    return true;
  }

  // `global_ptr = new T` / `this->p = new T`.
  bool VisitBinaryOperator(BinaryOperator *E, const Scope &Block) {
    const Scope *S = &Block;
    if (E->getOpcode() != BO_Assign ||
        !isa<CXXNewExpr>(E->getRHS()->IgnoreParenImpCasts()))
      return true;
    const ValueDecl *Target = nullptr;
    int Kind = outsideTarget(E->getLHS(), *S, Target);
    if (Kind <= 0) // locals get their pointer back when the block ends
      return true;
    if (SourceLocation At = claim(E->getOperatorLoc()); At.isValid()) {
      Diag.report(At, StoreID) << Kind << Target;
      noteBlock(*S);
    }
    return true;
  }

  bool VisitReturnStmt(ReturnStmt *R, const Scope &Block) {
    const Scope *S = &Block;
    const Expr *V = R->getRetValue();
    if (!V || !allocates(V->getType()))
      return true;
    const auto *DRE = dyn_cast<DeclRefExpr>(V->IgnoreParenImpCasts());
    if (auto *CE = dyn_cast<CXXConstructExpr>(V->IgnoreParenImpCasts());
        CE && CE->getNumArgs() == 1)
      DRE = dyn_cast<DeclRefExpr>(CE->getArg(0)->IgnoreParenImpCasts());
    // A variable declared outside the block was not built by it.
    if (DRE && !declaredInside(DRE->getDecl(), *S))
      return true;
    SourceLocation At = claim(R->getReturnLoc());
    if (At.isInvalid())
      return true;
    {
      auto B = Diag.report(At, ReturnID);
      B << (DRE ? 0 : 1);
      if (DRE)
        B << DRE->getDecl();
      else
        B << "";
    }
    noteBlock(*S);
    return true;
  }

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

  // What E names, if it outlives the block: 0 a variable declared before
  // the block, 1 a global, 2 a static local or static member, 3 a member.
  int outsideTarget(const Expr *E, const Scope &S, const ValueDecl *&Target) {
    E = E->IgnoreParenImpCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
      if (!VD)
        return -1;
      Target = VD;
      if (VD->hasGlobalStorage() || VD->getTLSKind() != VarDecl::TLS_None)
        return VD->isStaticLocal() || VD->isStaticDataMember() ? 2 : 1;
      return declaredInside(VD, S) ? -1 : 0;
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      const Expr *Base = ME->getBase()->IgnoreParenImpCasts();
      if (isa<CXXThisExpr>(Base)) {
        Target = ME->getMemberDecl();
        return 3;
      }
      // s.items.push_back(): the whole of `s` outlives the block or not.
      const ValueDecl *Root = nullptr;
      int K = outsideTarget(Base, S, Root);
      if (K < 0)
        return -1;
      Target = ME->getMemberDecl();
      return K == 0 ? 0 : K;
    }
    return -1;
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
    bool A = isStdAllocating(*RD);
    for (const CXXBaseSpecifier &B : RD->bases())
      A = A || allocates(B.getType());
    for (const FieldDecl *F : RD->fields())
      A = A || allocates(F->getType());
    Memo[RD] = A;
    return A;
  }

  // The user-file location to report at, or invalid when already reported
  // (a template instantiated twice) or in a system header.
  SourceLocation claim(SourceLocation Loc) { return Diag.claim(Loc); }
  void noteBlock(const Scope &S) {
    Diag.report(userLocation(S, SM), BlockID);
  }

  unsigned UpdateID, StoreID, ReturnID, BlockID;
  llvm::DenseMap<const CXXRecordDecl *, bool> Memo;
};

} // namespace

std::unique_ptr<Check> makeEscapeCheck(CheckContext &C) {
  return std::make_unique<EscapeCheck>(C);
}

} // namespace tacit
