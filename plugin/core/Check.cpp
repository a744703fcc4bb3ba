//===- Check.cpp - The check base, its diagnostics, the registry ----------===//
//
// FILE: plugin/core/Check.cpp
// DESCRIPTION: See Check.h.
//
//===----------------------------------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "Check.h"

#include "clang/Basic/DiagnosticIDs.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace tacit {

Diagnostics::Diagnostics(DiagnosticsEngine &D, const Options &O, CheckId C)
    : D(D), O(O), Suffix((" [tacit-" + checkName(C) + "]").str()) {}

static unsigned customID(DiagnosticsEngine &D, DiagnosticIDs::Level L,
                         llvm::StringRef Format) {
  return D.getDiagnosticIDs()->getCustomDiagID(L, Format);
}

unsigned Diagnostics::error(llvm::StringRef Format) {
  return customID(D, DiagnosticIDs::Error, (Format + Suffix).str());
}
unsigned Diagnostics::warning(llvm::StringRef Format) {
  return customID(D, O.Werror ? DiagnosticIDs::Error : DiagnosticIDs::Warning,
                  (Format + Suffix).str());
}
unsigned Diagnostics::note(llvm::StringRef Format) {
  return customID(D, DiagnosticIDs::Note, Format);
}

SourceLocation Diagnostics::claim(SourceLocation L) {
  if (L.isInvalid())
    return L;
  const SourceManager &SM = D.getSourceManager();
  SourceLocation At = SM.getFileLoc(L);
  if (SM.isInSystemHeader(At) || !Reported.insert(At.getRawEncoding()).second)
    return SourceLocation();
  return At;
}

Check::Check(CheckId Id, CheckContext &C)
    : Id(Id), Ctx(C.Ctx), SM(C.Ctx.getSourceManager()), Caps(C.Caps),
      Opts(C.Opts), Diag(C.Ctx.getDiagnostics(), C.Opts, Id) {}

Check::~Check() = default;

// tacit-angle-blocks runs before parsing (AngleBlocks.cpp), not in the walk.
std::unique_ptr<Check> makeAngleBlocks(CheckContext &) { return nullptr; }

std::vector<std::unique_ptr<Check>> makeChecks(CheckContext &C) {
  std::vector<std::unique_ptr<Check>> Checks;
#define TACIT_CHECK(Class, Name, Summary)                                      \
  if (C.Opts.enabled(CheckId::Class))                                          \
    if (std::unique_ptr<Check> K = make##Class(C))                             \
      Checks.push_back(std::move(K));
#include "Checks.def"
  return Checks;
}

} // namespace tacit
