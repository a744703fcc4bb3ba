//===- StdOwnership.cpp - Which std types own memory, and what calls do ---===//
//
// FILE: plugin/core/StdOwnership.cpp
// DESCRIPTION: The standard library's types and members, by name: which
//   allocate, share, start empty or hold nothing, and what a member call
//   does to its object (StdOwnership.h). Read by EscapeCheck.
//
//===----------------------------------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "StdOwnership.h"

#include "clang/AST/DeclTemplate.h"
#include "llvm/ADT/StringSwitch.h"

using namespace clang;

namespace tacit {

bool isStdNamed(const CXXRecordDecl &RD) {
  return RD.getIdentifier() && RD.isInStdNamespace();
}

bool isStdAllocating(const CXXRecordDecl &RD) {
  if (!isStdNamed(RD))
    return false;
  return llvm::StringSwitch<bool>(RD.getName())
      .Cases("vector", "basic_string", "deque", "list", "forward_list", true)
      .Cases("map", "multimap", "set", "multiset", true)
      .Cases("unordered_map", "unordered_multimap", "unordered_set",
             "unordered_multiset", true)
      .Cases("function", "move_only_function", "shared_ptr", "weak_ptr",
             "unique_ptr", "any", true)
      .Cases("stack", "queue", "priority_queue", "valarray", true)
      .Cases("basic_stringbuf", "basic_ostringstream", "basic_istringstream",
             "basic_stringstream", true)
      .Cases("basic_syncbuf", "basic_osyncstream", true)
      .Default(false);
}

bool sharesOnCopy(const CXXRecordDecl &RD) {
  return isStdNamed(RD) &&
         (RD.getName() == "shared_ptr" || RD.getName() == "weak_ptr");
}

bool emptyByDefault(const CXXRecordDecl &RD) {
  if (!isStdNamed(RD))
    return false;
  // (Not deque: libstdc++'s default deque allocates its map.)
  return llvm::StringSwitch<bool>(RD.getName())
      .Cases("vector", "basic_string", "list", "forward_list", true)
      .Cases("map", "multimap", "set", "multiset", true)
      .Cases("unordered_map", "unordered_multimap", "unordered_set",
             "unordered_multiset", true)
      .Cases("function", "move_only_function", "shared_ptr", "weak_ptr",
             "unique_ptr", "any", true)
      .Case("initializer_list", true) // v = {}
      .Case("optional", true)
      .Default(false);
}

bool isEmptyTag(QualType T) {
  T = T.getNonReferenceType();
  if (T->isNullPtrType())
    return true;
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD || !RD->getIdentifier())
    return false;
  StringRef N = RD->getName();
  return (isStdNamed(*RD) && (N == "nullopt_t" || N == "monostate")) ||
         N == "none_t";
}

static bool isStringStream(const CXXRecordDecl *RD, unsigned Depth) {
  if (!RD || Depth > 8)
    return false;
  if (isStdNamed(*RD) &&
      llvm::StringSwitch<bool>(RD->getName())
          .Cases("basic_stringbuf", "basic_ostringstream", "basic_stringstream",
                 "basic_syncbuf", "basic_osyncstream", true)
          .Default(false))
    return true;
  const CXXRecordDecl *Def = RD->getDefinition();
  if (!Def)
    return false;
  for (const CXXBaseSpecifier &B : Def->bases())
    if (isStringStream(B.getType()->getAsCXXRecordDecl(), Depth + 1))
      return true;
  return false;
}
bool isStringStream(const CXXRecordDecl *RD) { return isStringStream(RD, 0); }

bool isStdString(QualType T) {
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  return RD && isStdNamed(*RD) && RD->getName() == "basic_string";
}

static bool isNewAllocator(QualType T, unsigned Depth) {
  const CXXRecordDecl *A = T->getAsCXXRecordDecl();
  if (!A || !A->getIdentifier() || Depth > 4)
    return false;
  StringRef Name = A->getName();
  if ((isStdNamed(*A) && Name == "allocator") || Name == "new_allocator")
    return true;
  // An adaptor around one (boost's small_vector_allocator,
  // std::scoped_allocator_adaptor).
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(A);
      Spec && Name.contains_insensitive("allocator"))
    for (const TemplateArgument &Arg : Spec->getTemplateArgs().asArray())
      if (Arg.getKind() == TemplateArgument::Type &&
          isNewAllocator(Arg.getAsType(), Depth + 1))
        return true;
  return false;
}
bool isNewAllocator(QualType T) { return isNewAllocator(T, 0); }

bool subscriptInserts(const CXXMethodDecl &MD) {
  if (MD.isConst())
    return false;
  return MD.getParent()->getName().contains("map") ||
         (MD.getNumParams() == 1 && !MD.getParamDecl(0)
                                         ->getType()
                                         .getNonReferenceType()
                                         ->isIntegralOrEnumerationType());
}

Update stringStreamUpdate(StringRef Name, bool HasArgs) {
  if (Name == "write" || Name == "put" || Name == "sputc" || Name == "sputn")
    return Update::Grows;
  if (Name == "str")
    return HasArgs ? Update::Assigned : Update::None;
  return Update::None;
}

Update memberUpdate(StringRef Name) {
  return llvm::StringSwitch<Update>(Name)
      .Cases("push_back", "push_front", "push", "append", "resize", "reserve",
             Update::Grows)
      .Cases("replace", "rehash", Update::Grows)
      .Cases("emplace_back", "emplace_front", "emplace", "emplace_hint",
             "try_emplace", "insert_or_assign", Update::Inserted)
      .Case("insert", Update::Inserted)
      .Case("assign", Update::Assigned)
      .Default(Update::None);
}

bool releases(const CXXMethodDecl &MD) {
  if (MD.isConst())
    return true;
  const IdentifierInfo *II = MD.getIdentifier();
  return II &&
         llvm::StringSwitch<bool>(II->getName())
             .Cases("clear", "erase", "pop_back", "pop_front", "pop", true)
             .Default(false);
}

} // namespace tacit
