//===- StdOwnership.h - Which std types own memory, and what calls do -----===//
//
// FILE: plugin/core/StdOwnership.h
// DESCRIPTION: What the plugin knows of the standard library's types, by
//   name: which of them allocate through operator new (containers, strings,
//   string streams, smart pointers, std::function, std::any), which share
//   what they hold when copied (shared_ptr, weak_ptr), which start empty,
//   which values hold nothing (nullptr, std::nullopt), which allocators take
//   their memory from operator new, and what a member call does to its
//   object (push_back grows it, insert inserts, assign assigns, clear
//   releases). EscapeCheck asks these questions; the provenance analysis —
//   where an object lives, where a value comes from — stays there. The std
//   functions that give back their argument (std::move and the like) are in
//   StdRenames.h, which PointerLosesCapability reads too.
//
//===----------------------------------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef TACIT_PLUGIN_CORE_STDOWNERSHIP_H
#define TACIT_PLUGIN_CORE_STDOWNERSHIP_H

#include "clang/AST/DeclCXX.h"
#include "clang/AST/Type.h"

namespace tacit {

// What a call does to the object it is called on. Grows, Assigned and
// Inserted are, in this order, the verbs of EscapeCheck's message.
enum class Update { Grows, Assigned, Inserted, None };

// A named class of namespace std.
bool isStdNamed(const clang::CXXRecordDecl &RD);

// std types whose operations allocate through operator new.
bool isStdAllocating(const clang::CXXRecordDecl &RD);

// Copying one of these shares what it holds: nothing is allocated.
bool sharesOnCopy(const clang::CXXRecordDecl &RD);

// Built empty (no arguments, or null), one of these allocates nothing.
bool emptyByDefault(const clang::CXXRecordDecl &RD);

// A value of this type holds nothing: nullptr, std::nullopt,
// std::monostate{}, boost::none.
bool isEmptyTag(clang::QualType T);

// A string stream or string buffer (or a class derived from one): writing
// to it grows the string it holds.
bool isStringStream(const clang::CXXRecordDecl *RD);

// std::basic_string (std::string, std::wstring, ...).
bool isStdString(clang::QualType T);

// An allocator that takes its memory from operator new: std::allocator,
// __gnu_cxx::new_allocator, or an adaptor around one.
bool isNewAllocator(clang::QualType T);

// map[key] (and json["key"]) insert; vector[i] does not allocate.
bool subscriptInserts(const clang::CXXMethodDecl &MD);

// A string stream's own writers: write, put, sputc, sputn grow it; str(s)
// assigns it. None for any other member.
Update stringStreamUpdate(llvm::StringRef Name, bool HasArgs);

// A container's or string's member by name: push_back, append, reserve grow
// it; emplace, insert insert into it; assign assigns it. None for any
// other.
Update memberUpdate(llvm::StringRef Name);

// A member call that leaves its object's storage as it is or gives it back:
// a const member, clear, erase, pop_back, pop_front, pop.
bool releases(const clang::CXXMethodDecl &MD);

} // namespace tacit

#endif // TACIT_PLUGIN_CORE_STDOWNERSHIP_H
