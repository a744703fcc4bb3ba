//===- Capabilities.h - [[tacit::uses(alloc)]] / [[tacit::without(alloc)]] ===//
//
// FILE: plugin/core/Capabilities.h
// DESCRIPTION: The two capability attributes: their parsing and validation
//   (ParsedAttrInfo subclasses; the plugin module and tacit-lower each
//   register them) and the queries every check asks: does this function need
//   an allocator context, and why; does it run on the global heap.
//
//   A function needs an allocator context ("requires alloc") when
//     - one of its declarations says [[tacit::uses(alloc)]], or
//     - it is an instantiation of a template that says so, or
//     - it overrides a method that requires alloc (the requirement is
//       inherited: a call through the base is checked, so a direct call is
//       too), or
//     - it is an implicit or defaulted constructor that constructs a member
//       or base whose constructor requires alloc.
//
//===----------------------------------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef TACIT_PLUGIN_CORE_CAPABILITIES_H
#define TACIT_PLUGIN_CORE_CAPABILITIES_H

#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/Basic/ParsedAttrInfo.h"
#include "llvm/ADT/DenseMap.h"

#include <optional>

namespace tacit {

inline constexpr const char *UsesAnnotation = "tacit::uses";
inline constexpr const char *WithoutAnnotation = "tacit::without";

// [[tacit::uses(alloc)]]. Also answers __has_cpp_attribute(tacit::uses).
struct UsesAttrInfo : clang::ParsedAttrInfo {
  UsesAttrInfo();
  bool diagAppertainsToDecl(clang::Sema &S, const clang::ParsedAttr &A,
                            const clang::Decl *D) const override;
  AttrHandling handleDeclAttribute(clang::Sema &S, clang::Decl *D,
                                   const clang::ParsedAttr &A) const override;
};

// [[tacit::without(alloc)]].
struct WithoutAttrInfo : clang::ParsedAttrInfo {
  WithoutAttrInfo();
  bool diagAppertainsToDecl(clang::Sema &S, const clang::ParsedAttr &A,
                            const clang::Decl *D) const override;
  AttrHandling handleDeclAttribute(clang::Sema &S, clang::Decl *D,
                                   const clang::ParsedAttr &A) const override;
};

// The annotation a tacit attribute left on this very declaration, if any.
const clang::AnnotateAttr *ownAnnotation(const clang::Decl &D,
                                         const char *Annotation);
// The annotation on any redeclaration of FD (or of its template pattern).
const clang::AnnotateAttr *declaredAnnotation(const clang::FunctionDecl &FD,
                                              const char *Annotation);

// Whether any [[tacit::uses(alloc)]] was applied in this translation unit
// (no call can need a context otherwise).
bool usesAttributeSeen();

// Why a function requires an allocator context.
struct Requirement {
  enum Kind { Declared, Inherited, ImplicitConstructor } How;
  // The function whose [[tacit::uses(alloc)]] is the source: FD itself or
  // its template (Declared), the overridden method (Inherited), the member
  // or base constructor it calls (ImplicitConstructor).
  const clang::FunctionDecl *Source;
  const clang::AnnotateAttr *Attr;  // the attribute on Source
};

class Capabilities {
public:
  // Whether calling FD needs an allocator context, and why.
  std::optional<Requirement> requiresAlloc(const clang::FunctionDecl *FD);
  // [[tacit::without(alloc)]] on FD (or its template pattern).
  bool runsOnHeap(const clang::FunctionDecl *FD) const;
  // FD's body is an allocator context: it requires alloc and is not
  // [[tacit::without(alloc)]].
  bool bodyHasContext(const clang::FunctionDecl *FD);

private:
  std::optional<Requirement> compute(const clang::FunctionDecl *FD);
  llvm::DenseMap<const clang::FunctionDecl *, std::optional<Requirement>>
      Cache;
};

} // namespace tacit

#endif
