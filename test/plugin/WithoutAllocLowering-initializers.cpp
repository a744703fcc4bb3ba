// FILE: test/plugin/WithoutAllocLowering-initializers.cpp
// DESCRIPTION: a [[tacit::without(alloc)]] constructor's member, base and
//   delegating initializers run on the global heap too, although they run
//   before its (lowered) body: each one that may run code is lowered to
//   `(::tacit::detail::heap_scope(...), <init>)`. Every kind — written member
//   and base initializers, default member initializers, implicit
//   constructions of members and bases, arrays, references, scalars,
//   non-copyable non-movable members, virtual bases, delegation, class
//   templates, defaulted default and copy constructors — allocates on the
//   global heap even when the object is built inside with_alloc(arena); an
//   exception thrown from an initializer leaves the caller's context as it
//   was. Compiled and run at -O0 and -O2 (C++20) and in C++17; the plugin
//   says nothing (each initializer is lowered, none is warned about).
// REQUIRES: plugin
// RUN: %clangxx -std=c++20 -O0 %plugin %include %s %tacit_static -o %t.O0 2>&1 | count 0
// RUN: %t.O0 | FileCheck %s
// RUN: %clangxx -std=c++20 -O2 %plugin %include %s %tacit_static -o %t.O2
// RUN: %t.O2 | FileCheck %s
// RUN: %clangxx -std=c++17 -O1 %plugin %include %s %tacit_static -o %t.17
// RUN: %t.17 | FileCheck %s
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin %include -Xclang -verify %s
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin -fplugin-arg-tacit-werror %include %s
// Without the plugin every initializer runs in the arena (the test can fail):
// RUN: %clangxx -std=c++20 -Wno-unknown-attributes %include %s %tacit_static -o %t.plain
// RUN: %t.plain | FileCheck %s --check-prefix=PLAIN
// expected-no-diagnostics
#include <tacit/alloc.hpp>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

static const char *where() {
  return &tacit::current() == &tacit::global() ? "heap" : "arena";
}
static const char *owner(const void *p) {
  return tacit::owner_of(p) == &tacit::global() ? "heap" : "arena";
}

// Says where it is built, and allocates there.
struct Probe {
  explicit Probe(const char *tag) : block(new int[64]) {
    std::printf("%s %s %s\n", tag, where(), owner(block));
  }
  Probe(const Probe &o) : block(new int[64]) {
    std::printf("copy of probe %s %s\n", where(), owner(block));
    (void)o;
  }
  ~Probe() { delete[] block; }
  int *block;
};
struct Implicit : Probe {
  Implicit() : Probe("implicit") {}
};
struct Pinned { // neither copyable nor movable
  explicit Pinned(int n) : v(n, 1) {
    std::printf("pinned %s %s\n", where(), owner(v.data()));
  }
  Pinned(const Pinned &) = delete;
  Pinned(Pinned &&) = delete;
  std::vector<int> v;
};
static int counted(const char *tag) {
  std::printf("%s %s\n", tag, where());
  return 7;
}
static int shared = 0;
static int &pick() {
  std::printf("reference %s\n", where());
  return shared;
}
static std::string text(const char *tag) {
  std::string s(100, 'x');
  std::printf("%s %s %s\n", tag, where(), owner(s.data()));
  return s;
}

struct Base {
  explicit Base(const char *tag) : p(tag) {}
  Probe p;
};
struct VirtualBase {
  explicit VirtualBase(const char *tag) : p(tag) {}
  Probe p;
};
struct Middle : virtual VirtualBase {
  Middle() : VirtualBase("never: the most derived class builds it") {}
};

struct Cache : Base, Implicit, Middle {
  [[tacit::without(alloc)]] Cache();
  [[tacit::without(alloc)]] Cache(int);
  Probe hot = Probe("default member initializer");
  std::string name;
  int count = counted("scalar default member initializer");
  int n;
  int &ref;
  Implicit implicit_member;
  Implicit array[2];
  Probe written_array[2];
  Pinned pinned;
  std::vector<std::string> list;
};

Cache::Cache()
    : VirtualBase("virtual base"), Base("written base"), name(text("member")),
      n(counted("scalar")), ref(pick()),
      written_array{Probe("array element"), Probe("array element")},
      pinned(50), list{text("list element")} {
  std::printf("body %s\n", where());
}
// Delegation: the delegated-to constructor runs on the global heap.
Cache::Cache(int) : Cache() { std::printf("delegating body %s\n", where()); }

// Thrown from an initializer: the scope is popped during unwinding.
struct Thrower {
  explicit Thrower(int) { throw std::runtime_error("initializer"); }
};
struct Throws {
  [[tacit::without(alloc)]] Throws() : before("before the throw"), t(1) {}
  Probe before;
  Thrower t;
};

template <class T> struct Box {
  [[tacit::without(alloc)]] Box() : value("template member") {}
  T value;
};

// Defaulted: no body, but its implicit initializers are lowered.
struct Defaulted {
  [[tacit::without(alloc)]] Defaulted() = default;
  [[tacit::without(alloc)]] Defaulted(const Defaulted &) = default;
  Implicit p;
  std::string s = text("defaulted default member initializer");
};
struct OutOfLine {
  [[tacit::without(alloc)]] OutOfLine();
  Implicit p;
};
OutOfLine::OutOfLine() = default;

int main() {
  tacit::arena a;
  with_alloc(a) {
    std::printf("start %s\n", where());
    // CHECK: start arena
    // PLAIN: start arena
    {
      Cache c;
      // Construction order: virtual base, bases, members in declaration order.
      // CHECK-NEXT: virtual base heap heap
      // CHECK-NEXT: written base heap heap
      // CHECK-NEXT: implicit heap heap
      // CHECK-NEXT: default member initializer heap heap
      // CHECK-NEXT: member heap heap
      // CHECK-NEXT: scalar default member initializer heap
      // CHECK-NEXT: scalar heap
      // CHECK-NEXT: reference heap
      // CHECK-NEXT: implicit heap heap
      // CHECK-NEXT: implicit heap heap
      // CHECK-NEXT: implicit heap heap
      // CHECK-NEXT: array element heap heap
      // CHECK-NEXT: array element heap heap
      // CHECK-NEXT: pinned heap heap
      // CHECK-NEXT: list element heap heap
      // CHECK-NEXT: body heap
      // PLAIN-NEXT: virtual base arena arena
      // PLAIN-NEXT: written base arena arena
      // PLAIN-NEXT: implicit arena arena
      // PLAIN-NEXT: default member initializer arena arena
      // PLAIN-NEXT: member arena arena
      std::printf("members %s %s %s\n", owner(c.name.data()),
                  owner(c.list.data()), owner(c.list[0].data()));
      // CHECK-NEXT: members heap heap heap
      // PLAIN: members arena arena arena
      std::printf("after %s\n", where());
      // CHECK-NEXT: after arena
    }
    {
      Cache d(1);
      // CHECK-NEXT: virtual base heap heap
      // CHECK-NEXT: written base heap heap
      // CHECK: body heap
      // CHECK-NEXT: delegating body heap
    }
    try {
      Throws t;
    } catch (const std::exception &e) {
      std::printf("caught %s: %s\n", e.what(), where());
    }
    // CHECK-NEXT: before the throw heap heap
    // CHECK-NEXT: caught initializer: arena
    // PLAIN: caught initializer: arena
    std::printf("after the throw %s\n", where());
    // CHECK-NEXT: after the throw arena
    Box<Probe> box;
    // CHECK-NEXT: template member heap heap
    Defaulted df;
    // CHECK-NEXT: implicit heap heap
    // CHECK-NEXT: defaulted default member initializer heap heap
    Defaulted copy(df);
    // CHECK-NEXT: copy of probe heap heap
    std::printf("copied string %s\n", owner(copy.s.data()));
    // CHECK-NEXT: copied string heap
    OutOfLine o;
    // CHECK-NEXT: implicit heap heap
    std::printf("end %s, %zu arena bytes\n", where(), a.stats().bytes);
    // CHECK-NEXT: end arena, 0 arena bytes
  }
}
