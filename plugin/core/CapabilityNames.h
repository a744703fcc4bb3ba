//===- CapabilityNames.h - What a name in uses(...) / without(...) means --===//
//
// FILE: plugin/core/CapabilityNames.h
// DESCRIPTION: The capabilities the plugin checks, and how a name written in
//   [[tacit::uses(name, ...)]] / [[tacit::without(name)]] resolves to one.
//   A capability is either `alloc` (the allocator context) or a context a
//   user declared with TACIT_CONTEXT(name, Type): a class deriving from
//   tacit::context_tag, found by ordinary name lookup from the attribute's
//   position. Every check asks about a Capability; `alloc` is one of them,
//   not a special case (SPEC §6, issue 18).
//
//   Also: how a user context's requirement is stored on a declaration (an
//   AnnotateAttr whose one argument names the context's class), and which
//   calls require a context without any attribute (tacit::get<C>(), when C
//   has no default).
//
//===----------------------------------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef TACIT_PLUGIN_CORE_CAPABILITYNAMES_H
#define TACIT_PLUGIN_CORE_CAPABILITYNAMES_H

#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/Sema/ParsedAttr.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>
#include <vector>

namespace clang {
class Sema;
} // namespace clang

namespace tacit {

// A capability: alloc (null) or a user context's class (its canonical
// declaration).
using Capability = const clang::CXXRecordDecl *;
inline constexpr Capability AllocCapability = nullptr;

// "alloc", or the context's name as TACIT_CONTEXT spelled it.
std::string capabilityName(Capability C);

// A class TACIT_CONTEXT declared: one deriving from ::tacit::context_tag.
bool isContextClass(const clang::CXXRecordDecl *RD);

// What a name in uses(...) / without(...) means at the attribute's position.
struct NameResolution {
  bool Resolved = false;
  Capability Cap = AllocCapability;
  // Not resolved: the name found, when it is a declaration but not a
  // context (a type not declared by TACIT_CONTEXT, a variable), and the
  // closest capability name in scope for a fix-it (empty when none is close).
  const clang::NamedDecl *NotAContext = nullptr;
  std::string Suggestion;
};
NameResolution resolveCapabilityName(clang::Sema &S,
                                     const clang::IdentifierInfo &Name,
                                     clang::SourceLocation Loc);

// The names one identifier argument of a tacit attribute stands for: itself,
// or the names of a list `uses(a, b, c)` (Clang would parse the second and
// later names of a plugin attribute as expressions, so the plugin's reading
// of the file joins such a list into one identifier before parsing:
// CapabilityLists below).
struct CapabilityListEntry {
  const clang::IdentifierInfo *Name;
  clang::SourceLocation Loc;
};
llvm::SmallVector<CapabilityListEntry, 2>
capabilityList(clang::Sema &S, const clang::IdentifierLoc &Arg);

// CapabilityLists: the same-length rewrite of a file's text that joins
// each `tacit::uses(a, b)` / `tacit::without(a, b)` list (names separated
// by a comma and spaces or tabs, on one line) into one identifier, `a__b`
// (every separator character becomes `_`: columns stay exact), and
// remembers where the names were. The attribute handler reads them back
// (capabilityList, keyed by where the joined identifier's text is).
// Returns the rewritten text, or nothing when the text has no list.
struct CapabilityListSplit {
  unsigned Offset; // of the joined identifier
  llvm::SmallVector<std::pair<unsigned, unsigned>, 3> Names; // offset, length
};
bool mayContainCapabilityList(llvm::StringRef Text);
std::optional<std::string>
rewriteCapabilityLists(llvm::StringRef Text, const clang::LangOptions &LO,
                       std::vector<CapabilityListSplit> &Splits);
// Records the splits of a rewritten buffer (Base: its first character).
void rememberCapabilityLists(const char *Base,
                             const std::vector<CapabilityListSplit> &Splits);

// The annotations a user context's attributes leave (alloc's are
// "tacit::uses" / "tacit::without", Capabilities.h).
inline constexpr const char *UsesContextAnnotation = "tacit::uses_context";
inline constexpr const char *WithoutContextAnnotation =
    "tacit::without_context";
clang::AnnotateAttr *makeContextAnnotation(clang::ASTContext &Ctx,
                                           const char *Annotation,
                                           Capability C,
                                           clang::SourceRange Range);
// The capability an annotation is about, when it is one of the plugin's:
// Uses is set to whether it is a `uses` (rather than a `without`).
bool annotatedCapability(const clang::AnnotateAttr &A, Capability &C,
                         bool &Uses);

// C when FD is tacit::get<C> and C's declaration gives no default (get
// then needs an open scope of C, like a [[tacit::uses(C)]] function).
Capability getterRequirement(const clang::FunctionDecl &FD);

// Whether any tacit::get<C> was instantiated in this translation unit.
bool anyGetterInstantiated(clang::ASTContext &Ctx);

} // namespace tacit

#endif
