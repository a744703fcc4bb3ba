// The plugin loads, is silent on ordinary code, and finds every with_alloc /
// without_alloc block by its marker (remarks under -fplugin-arg-tacit-dump-scopes).
// REQUIRES: plugin
// (The global `words` grown inside with_alloc is an escape: EscapeCheck.cpp
// tests that warning; here it is switched off.)
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin -fplugin-arg-tacit-no-escape-check %include %s 2>&1 | count 0
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin -fplugin-arg-tacit-dump-scopes -fplugin-arg-tacit-no-escape-check %include %s 2>&1 | FileCheck %s
// RUN: not %clangxx -std=c++20 -fsyntax-only %plugin -fplugin-arg-tacit-no-such-switch %include %s 2>&1 | FileCheck %s --check-prefix=BADARG
#include <tacit/alloc.hpp>
#include <string>
#include <vector>

std::vector<std::string> words;

void handle(tacit::arena& request) {
  with_alloc(request) {
    // CHECK: scopes-recognised.cpp:[[@LINE-1]]:3: remark: with_alloc scope
    words.emplace_back("a string long enough to allocate on the heap");
    without_alloc {
      // CHECK: scopes-recognised.cpp:[[@LINE-1]]:5: remark: without_alloc scope
      words.clear();
    }
  }
}

int main() {
  tacit::arena a;
  handle(a);
  if (words.empty()) with_alloc(&a) { words.push_back("x"); }
  // CHECK: scopes-recognised.cpp:[[@LINE-1]]:22: remark: with_alloc scope
}
// BADARG: error: tacit: unknown plugin argument 'no-such-switch'
