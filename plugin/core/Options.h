//===- Options.h - The plugin's switches and the diagnostics they shape ---===//
//
// FILE: plugin/core/Options.h
// DESCRIPTION: The switches (-fplugin-arg-tacit-<name>) shared by every check,
//   and the one place that turns a warning into a diagnostic ID. Custom
//   diagnostic IDs have a fixed level (-Werror and -Wno-... do not move them),
//   so `werror` picks the level when each ID is created.
//
//===----------------------------------------------------------------------===//
#ifndef TACIT_PLUGIN_CORE_OPTIONS_H
#define TACIT_PLUGIN_CORE_OPTIONS_H

#include "clang/Basic/Diagnostic.h"

namespace tacit {

struct Options {
  bool Werror = false;      // -fplugin-arg-tacit-werror: warnings are errors
  bool EscapeCheck = true;  // -fplugin-arg-tacit-no-escape-check turns it off
  bool DumpScopes = false;  // -fplugin-arg-tacit-dump-scopes: remarks
};

// A Tacit warning's ID: an error under -fplugin-arg-tacit-werror.
template <unsigned N>
unsigned warningID(clang::DiagnosticsEngine &D, const Options &O,
                   const char (&Format)[N]) {
  return D.getCustomDiagID(O.Werror ? clang::DiagnosticsEngine::Error
                                    : clang::DiagnosticsEngine::Warning,
                           Format);
}

template <unsigned N>
unsigned errorID(clang::DiagnosticsEngine &D, const char (&Format)[N]) {
  return D.getCustomDiagID(clang::DiagnosticsEngine::Error, Format);
}

template <unsigned N>
unsigned noteID(clang::DiagnosticsEngine &D, const char (&Format)[N]) {
  return D.getCustomDiagID(clang::DiagnosticsEngine::Note, Format);
}

} // namespace tacit

#endif
