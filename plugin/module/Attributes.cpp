//===- Attributes.cpp - [[tacit::uses(alloc)]], [[tacit::without(alloc)]] -===//
//
// FILE: plugin/module/Attributes.cpp
// DESCRIPTION: Registers the tacit:: attributes with Clang's plugin attribute
//   API. Each attaches an AnnotateAttr ("tacit::uses" / "tacit::without") to
//   the function it names, for the checks and the lowering to find.
//
//===----------------------------------------------------------------------===//
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/Sema/ParsedAttr.h"
#include "clang/Sema/Sema.h"

using namespace clang;

namespace {

struct CapabilityAttrInfo : public ParsedAttrInfo {
  const char *Annotation;
  CapabilityAttrInfo(const Spelling *S, const char *Annotation)
      : Annotation(Annotation) {
    OptArgs = 0;
    NumArgs = 1;
    Spellings = ArrayRef<Spelling>(S, 1);
  }

  bool diagAppertainsToDecl(Sema &S, const ParsedAttr &Attr,
                            const Decl *D) const override {
    if (isa<FunctionDecl>(D) || isa<FunctionTemplateDecl>(D))
      return true;
    S.Diag(Attr.getLoc(), diag::warn_attribute_wrong_decl_type_str)
        << Attr << Attr.isRegularKeywordAttribute() << "functions";
    return false;
  }

  AttrHandling handleDeclAttribute(Sema &S, Decl *D,
                                   const ParsedAttr &Attr) const override {
    D->addAttr(AnnotateAttr::Create(S.Context, Annotation, nullptr, 0,
                                    Attr.getRange()));
    return AttributeApplied;
  }
};

struct UsesAttrInfo : CapabilityAttrInfo {
  static constexpr Spelling S[] = {{ParsedAttr::AS_CXX11, "tacit::uses"}};
  UsesAttrInfo() : CapabilityAttrInfo(S, "tacit::uses") {}
};
struct WithoutAttrInfo : CapabilityAttrInfo {
  static constexpr Spelling S[] = {{ParsedAttr::AS_CXX11, "tacit::without"}};
  WithoutAttrInfo() : CapabilityAttrInfo(S, "tacit::without") {}
};

} // namespace

static ParsedAttrInfoRegistry::Add<UsesAttrInfo>
    RegisterUses("tacit_uses", "[[tacit::uses(alloc)]]");
static ParsedAttrInfoRegistry::Add<WithoutAttrInfo>
    RegisterWithout("tacit_without", "[[tacit::without(alloc)]]");
