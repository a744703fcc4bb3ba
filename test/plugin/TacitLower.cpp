// FILE: test/plugin/TacitLower.cpp
// DESCRIPTION: tools/tacit-lower prints this file as the plugin lowers it
//   (same core: plugin/core/WithoutAllocLowering.cpp), reading the flags from
//   compile_commands.json or from after `--`; the output is recompiled
//   (without the plugin, so the lowering it shows is the one that runs) and
//   run. A file with an error prints nothing and fails.
// REQUIRES: tacit-lower
// RUN: rm -rf %t.dir && mkdir -p %t.dir
// RUN: echo '[{"directory": "%t.dir", "file": "%s", "arguments": ["clang++", "-std=c++20", "%include", "-c", "%s"]}]' > %t.dir/compile_commands.json
// RUN: %tacit_lower -p %t.dir %s > %t.lowered.cpp
// RUN: FileCheck %s --check-prefix=LOWER < %t.lowered.cpp
// RUN: %tacit_lower %s -- -std=c++20 %include | FileCheck %s --check-prefix=LOWER
// RUN: %clangxx -std=c++20 -Werror %include %t.lowered.cpp %tacit_static -o %t.exe
// RUN: %t.exe | FileCheck %s --check-prefix=EXEC
// RUN: not %tacit_lower %s -- -std=c++20 %include -DBROKEN > %t.broken 2> %t.err
// RUN: count 0 < %t.broken
// RUN: FileCheck %s --check-prefix=BROKEN < %t.err
#include <tacit/alloc.hpp>
#include <cstdio>

static const char *where() {
  return &tacit::current() == &tacit::global() ? "heap" : "arena";
}

[[tacit::without(alloc)]] const char *on_heap() {
  return where();
}
// LOWER: {{^\[\[}}/*tacit::without(alloc)*/]] const char *on_heap() { ::tacit::detail::heap_scope __tacit_without_alloc("{{.*}}TacitLower.cpp", [[@LINE-3]]u);
TACIT_WITHOUT_ALLOC int via_macro() { return where()[0]; }
// LOWER: {{^}}TACIT_WITHOUT_ALLOC int via_macro() { ::tacit::detail::heap_scope __tacit_without_alloc("{{.*}}TacitLower.cpp", [[@LINE-1]]u); return
[[tacit::uses(alloc)]] const char *in_context() { return where(); }
// LOWER: {{^\[\[}}/*tacit::uses(alloc)*/]] const char *in_context() { ::tacit::detail::uses_check __tacit_uses_alloc("in_context", "{{.*}}TacitLower.cpp", [[@LINE-1]]u); return where(); }
const char *ordinary() { return where(); }
// LOWER: {{^}}const char *ordinary() { return where(); }

#ifdef BROKEN
void broken() { in_context(); }
// BROKEN: error: call to 'in_context' requires an allocator context
#endif

int main() {
  tacit::arena a;
  with_alloc(a) {
    std::printf("%s %s %s %c\n", in_context(), on_heap(), ordinary(),
                via_macro());
    // EXEC: arena heap arena h
  }
}
