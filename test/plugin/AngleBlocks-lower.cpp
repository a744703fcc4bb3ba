// FILE: test/plugin/AngleBlocks-lower.cpp
// DESCRIPTION: AngleBlocks (plugin/core/AngleBlocks.cpp) in tools/tacit-lower:
//   the printed file has each angle block's `<` and `>` as `{` and `}`, and
//   nothing else of it changed (comments, strings and templates stay as
//   written); the output recompiles without the plugin (the brace form is
//   the portable one) and runs as the plugin's build does.
// REQUIRES: tacit-lower
// RUN: %tacit_lower %s -- -std=c++20 %include > %t.lowered.cpp
// RUN: FileCheck %s --check-prefix=LOWER --match-full-lines --strict-whitespace < %t.lowered.cpp
// RUN: %clangxx -std=c++20 -Werror %include %t.lowered.cpp %tacit_static -o %t.exe
// RUN: %t.exe | FileCheck %s --check-prefix=EXEC
#include <tacit/alloc.hpp>
#include <cstdio>
#include <vector>

static const char *where() {
  return &tacit::current() == &tacit::global() ? "heap" : "arena";
}

int main() {
  tacit::arena a;
  with_alloc(a) < std::vector<std::vector<int>> v(2); std::printf("%s ", where()); >
// LOWER:  with_alloc(a) { std::vector<std::vector<int>> v(2); std::printf("%s ", where()); }
  with_alloc(a) <
    without_alloc < std::printf("%s ", where()); >
    if (where()[0] > 'Z') std::printf("%s\n", "with_alloc(a) < a string >"); // a < comment >
  >
// LOWER:  with_alloc(a) {
// LOWER:    without_alloc { std::printf("%s ", where()); }
// LOWER:    if (where()[0] > 'Z') std::printf("%s\n", "with_alloc(a) < a string >"); // a < comment >
// LOWER:  }
  // EXEC: arena heap with_alloc(a) < a string >
}

// A file without angle blocks comes out byte for byte.
// RUN: %tacit_lower %S/Inputs/no-angle-blocks.cpp -- -std=c++20 %include > %t.same.cpp
// RUN: diff %S/Inputs/no-angle-blocks.cpp %t.same.cpp
