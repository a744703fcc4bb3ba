// FILE: test/plugin/WithoutAllocLowering-initializers-lower.cpp
// DESCRIPTION: tools/tacit-lower prints the initializer lowering of a
//   [[tacit::without(alloc)]] constructor as text: a written member
//   initializer becomes m((heap_scope(...), void(), decltype(this->m)(...))),
//   each argument of a written base or delegating initializer
//   (heap_scope(...), void(), a), a braced array its first element that runs
//   code. The output, compiled without the plugin, runs those initializers on
//   the global heap. What it cannot write (a default member initializer, a
//   member built implicitly, a defaulted constructor, an empty base list)
//   keeps the initializer warning, from tacit-lower only: the plugin lowers
//   them all (WithoutAllocLowering-initializers.cpp).
// REQUIRES: tacit-lower
// RUN: %tacit_lower %s -- -std=c++20 %include > %t.lowered.cpp 2> %t.err
// RUN: FileCheck %s --check-prefix=LOWER < %t.lowered.cpp
// RUN: FileCheck %s --check-prefix=WARN < %t.err
// RUN: %clangxx -std=c++20 -Werror %include %t.lowered.cpp %tacit_static -o %t.exe
// RUN: %t.exe | FileCheck %s --check-prefix=EXEC
// RUN: not %tacit_lower %s --arg=werror -- -std=c++20 %include > %t.werror 2>&1
// RUN: FileCheck %s --check-prefix=WERROR < %t.werror
// The plugin itself lowers every one of them, silently:
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin %include %s 2>&1 | count 0
#include <tacit/alloc.hpp>
#include <cstdio>
#include <string>
#include <vector>

static const char *where() {
  return &tacit::current() == &tacit::global() ? "heap" : "arena";
}
static int probe(const char *tag) {
  std::printf("%s %s\n", tag, where());
  return 1;
}
struct Pinned {
  explicit Pinned(int) { probe("pinned"); }
  Pinned(Pinned &&) = delete;
};
struct Base {
  Base(int, int) { probe("base"); }
  Base() { probe("empty base"); }
};
struct Other {
  Other() { probe("implicit member"); }
};

struct Cache : Base {
  [[tacit::without(alloc)]] Cache();
  [[tacit::without(alloc)]] Cache(int);
  std::string name;
  Pinned pinned;
  int n;
  int arr[2];
  int hot = probe("default member initializer");
  Other other;
};

Cache::Cache()
    : Base(probe("base argument"), 2), name(100, 'x'), pinned{3},
      n(probe("scalar")), arr{1, probe("array element")} {}
// LOWER:      {{^}}    : Base((::tacit::detail::heap_scope("{{.*}}WithoutAllocLowering-initializers-lower.cpp", [[@LINE-3]]u), void(), probe("base argument")), (::tacit::detail::heap_scope("{{[^"]*}}", [[@LINE-3]]u), void(), 2)), name((::tacit::detail::heap_scope("{{[^"]*}}", [[@LINE-3]]u), void(), decltype(this->name)(100, 'x'))), pinned((::tacit::detail::heap_scope("{{[^"]*}}", [[@LINE-3]]u), void(), decltype(this->pinned){3})),
// LOWER-NEXT: {{^}}      n((::tacit::detail::heap_scope("{{[^"]*}}", [[@LINE-4]]u), void(), decltype(this->n)(probe("scalar")))), arr{1, (::tacit::detail::heap_scope("{{[^"]*}}", [[@LINE-4]]u), void(), probe("array element"))} { ::tacit::detail::heap_scope __tacit_without_alloc("{{[^"]*}}", [[@LINE-4]]u);}
Cache::Cache(int) : Cache() {}
// LOWER: {{^}}Cache::Cache(int) : Cache() { ::tacit::detail::heap_scope __tacit_without_alloc(
// The warnings, in the order tacit-lower meets the constructors:
// WARN: WithoutAllocLowering-initializers-lower.cpp:[[@LINE-12]]:7: warning: the initializer of 'hot' runs before the body of {{.*}} constructor 'Cache', so in the caller's allocator context
// WARN: WithoutAllocLowering-initializers-lower.cpp:[[@LINE-12]]:9: warning: the initializer of 'other' runs before the body
// WARN: WithoutAllocLowering-initializers-lower.cpp:[[@LINE-5]]:21: warning: the initializer of 'Cache' runs before the body
// WARN-NOT: name
// WARN-NOT: pinned
// WERROR: error: the initializer of

struct Defaulted {
  [[tacit::without(alloc)]] Defaulted() = default;
  Other other;
};
// WARN: WithoutAllocLowering-initializers-lower.cpp:[[@LINE-2]]:9: warning: the initializer of 'other' runs before the body of {{.*}} defaulted constructor 'Defaulted'

int main() {
  tacit::arena a;
  with_alloc(a) {
    Cache c;
    // EXEC:      base argument heap
    // EXEC-NEXT: base heap
    // EXEC-NEXT: pinned heap
    // EXEC-NEXT: scalar heap
    // EXEC-NEXT: array element heap
    // Printed as written, so in the caller's context (the warnings):
    // EXEC-NEXT: default member initializer arena
    // EXEC-NEXT: implicit member arena
    std::printf("name %s\n",
                tacit::owner_of(c.name.data()) == &tacit::global() ? "heap"
                                                                   : "arena");
    // EXEC-NEXT: name heap
    Defaulted d;
    // EXEC-NEXT: implicit member arena
  }
}
