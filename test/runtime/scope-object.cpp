// tacit::scope: a scope for code that is not a block. From its construction
// to its destruction its resource is in context (stock containers allocate
// from it, blocks go back to it); scopes nest with with_alloc both ways;
// tacit::scope(tacit::global()) is without_alloc. Ending scopes out of order
// stops the program with a message naming the scope.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t
// RUN: %t | FileCheck %s
// RUN: not --crash %t out-of-order 2>&1 | FileCheck %s --check-prefix=ORDER
#include <tacit/alloc.hpp>

#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "ledger.hpp"

static_assert(!std::is_copy_constructible_v<tacit::scope>);
static_assert(!std::is_move_constructible_v<tacit::scope>);

ledger r("R");

const char* name(std::pmr::memory_resource& m, tacit::arena& a) {
  return &m == &r ? "R" : &m == &a ? "arena" : &m == &tacit::global() ? "global" : "?";
}

int main(int argc, char** argv) {
  tacit::arena a;
  if (argc > 1 && std::strcmp(argv[1], "out-of-order") == 0) {
    std::unique_ptr<tacit::scope> outer(new tacit::scope(a));  // names this line
    tacit::scope inner(r);
    outer.reset();  // inner is still open
    // ORDER: tacit: tacit::scope opened at {{.*}}scope-object.cpp:[[@LINE-3]] ended out of order
    return 0;
  }
  std::vector<std::string>* v;
  {
    tacit::scope s(r);
    std::printf("in scope: %s\n", name(tacit::current(), a));
    // CHECK: in scope: R
    v = new std::vector<std::string>(3, LONG_TEXT);
    with_alloc(a) std::printf("with_alloc inside: %s\n", name(tacit::current(), a));
    // CHECK: with_alloc inside: arena
    {
      tacit::scope heap(tacit::global());
      std::printf("global scope inside: %s\n", name(tacit::current(), a));
      // CHECK: global scope inside: global
    }
    std::printf("back: %s\n", name(tacit::current(), a));
    // CHECK: back: R
  }
  std::printf("after: %s, R live %zu\n", name(tacit::current(), a), r.live());
  // CHECK: after: global, R live 5
  delete v;
  std::printf("R live after delete: %zu\n", r.live());
  // CHECK: R live after delete: 0

  // Held in an object, opened and closed by calls (a test listener's shape).
  struct holder {
    std::optional<tacit::scope> s;
    void start(tacit::arena& on) { s.emplace(on); }
    void stop() { s.reset(); }
  } h;
  h.start(a);
  auto before = a.stats().allocations;
  std::string* made = new std::string(LONG_TEXT);
  std::printf("held scope: %s, %zu made\n", name(tacit::current(), a),
              a.stats().allocations - before);
  // CHECK: held scope: arena, 2 made
  h.stop();
  delete made;
  std::printf("stopped: %s\n", name(tacit::current(), a));
  // CHECK: stopped: global
}
