// FILE: test/plugin/AngleBlocks-unclosed.cpp
// DESCRIPTION: AngleBlocks (plugin/core/AngleBlocks.cpp): an angle block with
//   no closing `>` is exactly one clang-style error at its with_alloc /
//   without_alloc token, with a note where the block was found still open
//   (the end of the file, or the enclosing `}`), and nothing else: no cascade
//   of parse errors, no crash. In the main file and in a user header.
// REQUIRES: plugin, tacit-lower
// RUN: rm -rf %t && split-file --leading-lines %s %t
// RUN: not %clangxx -std=c++20 -fsyntax-only -fno-color-diagnostics %plugin %include %t/eof.cpp 2>&1 \
// RUN:   | FileCheck %s --check-prefix=EOF --implicit-check-not=error --implicit-check-not=warning
// RUN: not %clangxx -std=c++20 -fsyntax-only -fno-color-diagnostics %plugin %include %t/enclosing.cpp 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ENCL --implicit-check-not=error --implicit-check-not=warning
// RUN: not %clangxx -std=c++20 -fsyntax-only -fno-color-diagnostics %plugin %include %t/two.cpp 2>&1 \
// RUN:   | FileCheck %s --check-prefix=TWO --implicit-check-not=error --implicit-check-not=warning
// RUN: not %clangxx -std=c++20 -fsyntax-only -fno-color-diagnostics %plugin %include -I%t %t/header.cpp 2>&1 \
// RUN:   | FileCheck %s --check-prefix=HEADER --implicit-check-not=error --implicit-check-not=warning
// Compiled to an object too: the fatal error stops it, with the usual status.
// RUN: not %clangxx -std=c++20 -c %plugin %include %t/eof.cpp -o %t/eof.o
// tacit-lower: the same one error, nothing printed, a failing status.
// RUN: not %tacit_lower %t/eof.cpp -- -std=c++20 %include > %t/lowered.cpp 2> %t/lower.err
// RUN: count 0 < %t/lowered.cpp
// RUN: FileCheck %s --check-prefix=EOF --implicit-check-not=error --implicit-check-not=warning < %t/lower.err
// A `>` in the wrong place (not where a statement could begin) does not
// close the block: the same one error.
// RUN: not %clangxx -std=c++20 -fsyntax-only -fno-color-diagnostics %plugin %include %t/misplaced.cpp 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MISPLACED --implicit-check-not=error --implicit-check-not=warning

//--- eof.cpp
#include <tacit/alloc.hpp>
int main() {
  tacit::arena a;
  int x = 0;
  without_alloc < x = 1; >
  with_alloc(a) < x = 2; if (x > 1) x = 3;
  return x;
// EOF: eof.cpp:[[@LINE-2]]:3: fatal error: with_alloc block has no closing '>' [tacit-angle-blocks]
// EOF: eof.cpp:[[@LINE+3]]:1: note: the file ends here, with the block still open
// EOF: 1 error generated.

//--- enclosing.cpp
#include <tacit/alloc.hpp>
void f(tacit::arena &a, int &x) {
  without_alloc < x = 1;
}
void g() {}
// ENCL: enclosing.cpp:[[@LINE-3]]:3: fatal error: without_alloc block has no closing '>'
// ENCL: enclosing.cpp:[[@LINE-3]]:1: note: the enclosing '}' closes here, with the block still open
// ENCL: 1 error generated.

//--- two.cpp
#include <tacit/alloc.hpp>
void f(tacit::arena &a, int &x) {
  with_alloc(a) < x = 1;
  with_alloc(a) < x = 2;
  with_alloc(a) < x = 3; >
}
// TWO: two.cpp:[[@LINE-4]]:3: fatal error: with_alloc block has no closing '>'
// TWO: note: the enclosing '}' closes here
// TWO: 1 error generated.

//--- open.h
#include <tacit/alloc.hpp>
inline void in_header(tacit::arena &a, int &x) {
  with_alloc(a) <
    x = 1;
}

//--- header.cpp
#include "open.h"
int main() { undeclared(); }
// HEADER: In file included from {{.*}}header.cpp:[[@LINE-2]]:
// HEADER: open.h:[[@LINE-8]]:3: fatal error: with_alloc block has no closing '>'
// HEADER: open.h:[[@LINE-7]]:1: note: the enclosing '}' closes here
// HEADER: 1 error generated.

//--- misplaced.cpp
#include <tacit/alloc.hpp>
void f(tacit::arena &a, int x) {
  with_alloc(a) < x = 1 >
}
// MISPLACED: misplaced.cpp:[[@LINE-2]]:3: fatal error: with_alloc block has no closing '>'
// MISPLACED: 1 error generated.
