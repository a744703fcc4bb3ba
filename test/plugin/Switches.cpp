// FILE: test/plugin/Switches.cpp
// DESCRIPTION: The plugin's switches (plugin/core/Options.cpp, one table with
//   plugin/core/Checks.def): help lists them and every check; each diagnostic
//   names its check; no-<check> turns exactly that check off; werror turns
//   Tacit's warnings into errors (Clang's -Werror and -Wno-error do not reach
//   plugin diagnostics); an unknown switch is an error.
// REQUIRES: plugin
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin -fplugin-arg-tacit-help %include -x c++ /dev/null 2>&1 | FileCheck %s --check-prefix=HELP
// RUN: not %clangxx -std=c++20 -fsyntax-only %plugin %include %s 2>&1 | FileCheck %s --check-prefixes=WARN,MISSING,POINTER,OVERRIDE
// RUN: not %clangxx -std=c++20 -fsyntax-only %plugin -fplugin-arg-tacit-werror %include %s 2>&1 | FileCheck %s --check-prefix=ERR
// RUN: not %clangxx -std=c++20 -fsyntax-only %plugin -Werror -Wno-error %include %s 2>&1 | FileCheck %s --check-prefix=WARN
// RUN: not %clangxx -std=c++20 -fsyntax-only %plugin -fplugin-arg-tacit-no-escape-check %include %s 2>&1 | FileCheck %s --check-prefixes=NOESCAPE,MISSING,POINTER,OVERRIDE
// RUN: not %clangxx -std=c++20 -fsyntax-only %plugin -fplugin-arg-tacit-no-missing-capability %include %s 2>&1 | FileCheck %s --check-prefixes=WARN,NOMISSING,POINTER,OVERRIDE
// RUN: not %clangxx -std=c++20 -fsyntax-only %plugin -fplugin-arg-tacit-no-pointer-loses-capability %include %s 2>&1 | FileCheck %s --check-prefixes=WARN,MISSING,NOPOINTER,OVERRIDE
// RUN: not %clangxx -std=c++20 -fsyntax-only %plugin -fplugin-arg-tacit-no-override-mismatch %include %s 2>&1 | FileCheck %s --check-prefixes=WARN,MISSING,POINTER,NOOVERRIDE
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin -fplugin-arg-tacit-no-escape-check -fplugin-arg-tacit-no-missing-capability -fplugin-arg-tacit-no-pointer-loses-capability -fplugin-arg-tacit-no-override-mismatch %include %s 2>&1 | count 0
// RUN: not %clangxx -std=c++20 -fsyntax-only %plugin -fplugin-arg-tacit-bogus %include %s 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not %clangxx -std=c++20 -fsyntax-only %plugin -fplugin-arg-tacit-no-bogus %include %s 2>&1 | FileCheck %s --check-prefix=BADNO
#include <tacit/alloc.hpp>
#include <vector>

// HELP: tacit plugin switches (-fplugin-arg-tacit-<name>):
// HELP: help
// HELP: werror
// HELP: dump-scopes
// HELP: no-entry-check
// HELP: no-coroutine-lowering
// HELP: dump-coroutines
// HELP: checks (each diagnostic ends in [tacit-<check>]; no-<check> turns it off):
// HELP: no-capabilities
// HELP: no-missing-capability
// HELP: no-override-mismatch
// HELP: no-pointer-loses-capability
// HELP: no-coroutine-in-scope
// HELP: no-escape-check
// HELP: no-without-alloc-lowering
// HELP: no-with-alloc-argument
// HELP: no-angle-blocks

void grow(tacit::arena &a, std::vector<int> &v) {
  with_alloc(a) { v.push_back(1); }
}
// WARN: Switches.cpp:[[@LINE-2]]:21: warning: variable 'v' is declared outside {{.*}} [tacit-escape-check]{{$}}
// ERR: Switches.cpp:[[@LINE-3]]:21: error: variable 'v' is declared outside {{.*}} [tacit-escape-check]{{$}}
// NOESCAPE-NOT: [tacit-escape-check]

[[tacit::uses(alloc)]] int parse(int);
int outside() { return parse(1); }
// MISSING: Switches.cpp:[[@LINE-1]]:24: error: call to 'parse' requires an allocator context{{.*}} [tacit-missing-capability]{{$}}
// NOMISSING-NOT: [tacit-missing-capability]

int (*keep)(int) = parse;
// POINTER: Switches.cpp:[[@LINE-1]]:20: warning: converting 'parse' to 'int (*)(int)' loses {{.*}} [tacit-pointer-loses-capability]{{$}}
// NOPOINTER-NOT: [tacit-pointer-loses-capability]

struct Base { virtual void run(); };
struct Derived : Base { [[tacit::uses(alloc)]] void run() override; };
// OVERRIDE: Switches.cpp:[[@LINE-1]]:27: error: 'run' is declared {{\[\[}}tacit::uses(alloc)]] but overrides 'run'{{.*}} [tacit-override-mismatch]{{$}}
// NOOVERRIDE-NOT: [tacit-override-mismatch]

// BAD: error: tacit: unknown plugin argument 'bogus' (-fplugin-arg-tacit-help lists them)
// BADNO: error: tacit: unknown plugin argument 'no-bogus' (-fplugin-arg-tacit-help lists them)
