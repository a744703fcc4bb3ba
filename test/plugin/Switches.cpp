// FILE: test/plugin/Switches.cpp
// DESCRIPTION: The plugin's switches (plugin/module/Plugin.cpp): help lists
//   them; werror turns Tacit's warnings into errors (Clang's -Werror and
//   -Wno-error do not reach plugin diagnostics); no-escape-check silences
//   EscapeCheck; an unknown switch is an error.
// REQUIRES: plugin
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin -fplugin-arg-tacit-help %include %s 2>&1 | FileCheck %s --check-prefix=HELP
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin %include %s 2>&1 | FileCheck %s --check-prefix=WARN
// RUN: not %clangxx -std=c++20 -fsyntax-only %plugin -fplugin-arg-tacit-werror %include %s 2>&1 | FileCheck %s --check-prefix=ERR
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin -Werror -Wno-error %include %s 2>&1 | FileCheck %s --check-prefix=WARN
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin -fplugin-arg-tacit-no-escape-check %include %s 2>&1 | FileCheck %s --check-prefix=QUIET --allow-empty
// RUN: not %clangxx -std=c++20 -fsyntax-only %plugin -fplugin-arg-tacit-bogus %include %s 2>&1 | FileCheck %s --check-prefix=BAD
#include <tacit/alloc.hpp>
#include <vector>

// HELP: tacit plugin switches (-fplugin-arg-tacit-<name>):
// HELP: help
// HELP: werror
// HELP: no-escape-check
// HELP: dump-scopes

void grow(tacit::arena &a, std::vector<int> &v) {
  with_alloc(a) { v.push_back(1); }
}
// WARN: Switches.cpp:[[@LINE-2]]:21: warning: variable 'v' is declared outside
// ERR: Switches.cpp:[[@LINE-3]]:21: error: variable 'v' is declared outside
// QUIET-NOT: warning
// BAD: error: tacit: unknown plugin argument 'bogus' (-fplugin-arg-tacit-help lists them)
