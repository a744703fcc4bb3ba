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

#include "CapabilityNames.h"

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
// The annotation a `uses` (Uses) or `without` attribute about capability C
// left on this very declaration, if any.
const clang::AnnotateAttr *ownCapabilityAnnotation(const clang::Decl &D,
                                                   bool Uses, Capability C);

// The capabilities FD's own declarations (or its template pattern's) name in
// [[tacit::uses(...)]] (Uses) or [[tacit::without(...)]]: alloc first, then
// the user contexts in the order they were written.
llvm::SmallVector<Capability, 2> declaredCapabilities(
    const clang::FunctionDecl &FD, bool Uses);
// The annotation saying so for capability C (null when none does).
const clang::AnnotateAttr *declaredCapabilityAnnotation(
    const clang::FunctionDecl &FD, bool Uses, Capability C);

// Whether any [[tacit::uses(alloc)]] was applied in this translation unit
// (no call can need a context otherwise).
bool usesAttributeSeen();

// Why a function requires a capability (an allocator context, or a user
// context).
struct Requirement {
  enum Kind { Declared, Inherited, ImplicitConstructor, Getter } How;
  // The function whose [[tacit::uses(alloc)]] is the source: FD itself or
  // its template (Declared), the overridden method (Inherited), the member
  // or base constructor it calls (ImplicitConstructor).
  const clang::FunctionDecl *Source;
  const clang::AnnotateAttr *Attr;  // the attribute on Source (null: Getter)
};

// One mechanism for every capability: `alloc` is the capability null
// (CapabilityNames.h), the queries below take any.
class Capabilities {
public:
  // Whether calling FD needs capability C, and why.
  std::optional<Requirement> needs(const clang::FunctionDecl *FD,
                                      Capability C);
  // The user contexts (not alloc) calling FD needs: declared, inherited
  // from an overridden method, through an implicit constructor, or
  // tacit::get<C> itself.
  llvm::SmallVector<Capability, 2>
  requiredContexts(const clang::FunctionDecl *FD);
  // [[tacit::without(C)]] on FD (or its template pattern).
  bool runsWithout(const clang::FunctionDecl *FD, Capability C) const;
  // FD's body has capability C: FD requires it and is not without(C).
  bool bodyHas(const clang::FunctionDecl *FD, Capability C);

  // The allocator context, as the alloc-only checks ask.
  std::optional<Requirement> requiresAlloc(const clang::FunctionDecl *FD) {
    return needs(FD, AllocCapability);
  }
  bool runsOnHeap(const clang::FunctionDecl *FD) const {
    return runsWithout(FD, AllocCapability);
  }
  // [[tacit::without(C)]] on FD for some capability C: the lowering has
  // something to clear.
  bool runsWithoutAny(const clang::FunctionDecl *FD) const {
    return FD && !declaredCapabilities(*FD, /*Uses=*/false).empty();
  }
  bool bodyHasContext(const clang::FunctionDecl *FD) {
    return bodyHas(FD, AllocCapability);
  }

private:
  std::optional<Requirement> compute(const clang::FunctionDecl *FD,
                                     Capability C);
  llvm::DenseMap<std::pair<const clang::FunctionDecl *, Capability>,
                 std::optional<Requirement>>
      Cache;
  llvm::DenseMap<const clang::FunctionDecl *,
                 llvm::SmallVector<Capability, 2>>
      Contexts;
};

} // namespace tacit

#endif
