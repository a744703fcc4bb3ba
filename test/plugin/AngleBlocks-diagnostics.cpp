// FILE: test/plugin/AngleBlocks-diagnostics.cpp
// DESCRIPTION: AngleBlocks (plugin/core/AngleBlocks.cpp): the checks see
//   angle blocks exactly as brace blocks (a [[tacit::uses(alloc)]] call is
//   fine inside `with_alloc(a) < ... >`, an error inside `without_alloc < ... >`
//   or a lambda), and every diagnostic inside an angle block — Tacit's and
//   Clang's own, with their notes and fix-its — points at the user's tokens,
//   at the same line and column as in the file (the rewrite keeps the
//   length). -verify checks the lines, FileCheck the columns.
// REQUIRES: plugin
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin %include -Xclang -verify -Xclang -verify-ignore-unexpected=note %s
// RUN: not %clangxx -std=c++20 -fsyntax-only -fno-color-diagnostics -fdiagnostics-parseable-fixits %plugin %include %s 2>&1 | FileCheck %s
#include <tacit/alloc.hpp>
#include <vector>

[[tacit::uses(alloc)]] int parse(int);

void fine(tacit::arena &a) {
  with_alloc(a) < parse(1); >
  with_alloc(a) < without_alloc < > parse(2); >
  with_alloc(a) < if (parse(3) > 2) parse(4); >
}

void inside_without(tacit::arena &a) {
  with_alloc(a) < without_alloc < int n = parse(5); (void)n; > >
  // expected-error@-1 {{call to 'parse' requires an allocator context}}
  // CHECK-DAG: AngleBlocks-diagnostics.cpp:[[@LINE-2]]:43: error: call to 'parse' requires an allocator context
}

void in_a_lambda(tacit::arena &a) {
  with_alloc(a) <
    auto f = [] { return parse(6); }; (void)f;
    // expected-error@-1 {{a lambda's body is a function of its own and does not inherit the enclosing with_alloc}}
    // CHECK-DAG: AngleBlocks-diagnostics.cpp:[[@LINE-2]]:26: error: call to 'parse' requires an allocator context
  >
}

void outside() {
  without_alloc <
      parse(7); // expected-error {{call to 'parse' requires an allocator context}}
  // CHECK-DAG: AngleBlocks-diagnostics.cpp:[[@LINE-1]]:7: error: call to 'parse' requires an allocator context
  >
}

// Clang's own diagnostics and fix-its, in an angle block.
void clang_own(tacit::arena &a, int x) {
  with_alloc(a) <   x == 1; > // expected-warning {{equality comparison result unused}}
  // CHECK-DAG: AngleBlocks-diagnostics.cpp:[[@LINE-1]]:23: warning: equality comparison result unused
  // CHECK-DAG: fix-it:"{{.*}}AngleBlocks-diagnostics.cpp":{[[@LINE-2]]:23-[[@LINE-2]]:25}:"="
  without_alloc <  undeclared_thing(); > // expected-error {{use of undeclared identifier 'undeclared_thing'}}
  // CHECK-DAG: AngleBlocks-diagnostics.cpp:[[@LINE-1]]:20: error: use of undeclared identifier 'undeclared_thing'
}

// EscapeCheck's note names the angle block's with_alloc, at its column.
void escape(tacit::arena &a, std::vector<int> &out) {
  int pad = 0; with_alloc(a) < out.push_back(pad); >
  // expected-warning@-1 {{grows inside it}}
  // CHECK-DAG: AngleBlocks-diagnostics.cpp:[[@LINE-2]]:36: warning: variable 'out' is declared outside this with_alloc block
  // CHECK-DAG: AngleBlocks-diagnostics.cpp:[[@LINE-3]]:16: note: with_alloc block opened here
}
