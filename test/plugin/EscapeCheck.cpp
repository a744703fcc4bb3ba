// FILE: test/plugin/EscapeCheck.cpp
// DESCRIPTION: EscapeCheck (plugin/core/EscapeCheck.cpp): inside with_alloc,
//   growing, assigning or inserting into an allocating object declared
//   outside the block, storing `new` memory to a global/static/member, and
//   returning an allocating value warn; objects declared inside the block,
//   updates inside a nested without_alloc, and non-allocating operations do
//   not. -fplugin-arg-tacit-no-escape-check silences the check.
// REQUIRES: plugin
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin %include -Xclang -verify %s
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin -fplugin-arg-tacit-no-escape-check %include %s 2>&1 | count 0
#include <tacit/alloc.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

std::vector<int> global_list;
struct Bag { std::vector<std::string> items; }; // a class holding a container
struct Counter { int n = 0; void bump() { ++n; } }; // allocates nothing

struct Service {
  std::vector<int> log;
  int *raw = nullptr;
  void handle(tacit::arena &a) {
    with_alloc(a) { // #service_block
      log.push_back(1); // expected-warning {{member 'log' is declared outside this with_alloc block but grows inside it: its new storage comes from the block's allocator and outlives the block; do the update in a without_alloc { ... } block}}
      // expected-note@#service_block {{with_alloc block opened here}}
      raw = new int(2); // expected-warning {{memory allocated inside this with_alloc block is stored to member 'raw', which outlives the block; allocate it in a without_alloc { ... } block}}
      // expected-note@#service_block {{with_alloc block opened here}}
    }
  }
};

void updates(tacit::arena &a, std::vector<int> &out) {
  std::vector<int> local;
  std::map<int, int> index;
  std::string text;
  Bag bag;
  std::function<void()> callback;
  std::shared_ptr<int> shared;
  static std::vector<int> cache;
  Counter counter;
  with_alloc(a) { // #block
    // expected-note@#block 10 {{with_alloc block opened here}}
    local.push_back(1); // expected-warning {{variable 'local' is declared outside this with_alloc block but grows inside it: its new storage comes from the block's allocator and outlives the block; declare 'local' inside the block, or do the update in a without_alloc { ... } block}}
    out.emplace_back(2); // expected-warning {{variable 'out' is declared outside this with_alloc block but is inserted into inside it}}
    index[3] = 4; // expected-warning {{variable 'index' is declared outside this with_alloc block but is inserted into inside it}}
    text += "more"; // expected-warning {{variable 'text' is declared outside this with_alloc block but grows inside it}}
    bag.items.push_back("x"); // expected-warning {{variable 'items' is declared outside this with_alloc block but grows inside it}}
    callback = [] {}; // expected-warning {{variable 'callback' is declared outside this with_alloc block but is assigned inside it}}
    shared = std::make_shared<int>(5); // expected-warning {{variable 'shared' is declared outside this with_alloc block but is assigned inside it}}
    global_list.insert(global_list.end(), 6); // expected-warning {{global variable 'global_list' is declared outside this with_alloc block but is inserted into inside it: its new storage comes from the block's allocator and outlives the block; do the update in a without_alloc { ... } block}}
    cache.resize(10); // expected-warning {{static variable 'cache' is declared outside this with_alloc block but grows inside it}}
    local = std::vector<int>(3); // expected-warning {{variable 'local' is declared outside this with_alloc block but is assigned inside it}}

    // Fine: declared inside, read-only, non-allocating, or on the heap.
    std::vector<int> inside;
    inside.push_back(1);
    (void)local.size();
    (void)index.find(3);
    (void)local[0];
    counter.bump();
    without_alloc { local.push_back(7); }
    auto later = [&] { local.push_back(8); }; // a lambda body is not the block
    (void)later;
  }
  local.push_back(9); // outside any block
}

std::string returns(tacit::arena &a, const std::string &in) {
  std::string outer = in;
  with_alloc(a) { // #ret_block
    std::string made = in + "!";
    if (made.size() > 3)
      return made; // expected-warning {{'made' is returned from inside this with_alloc block: its storage comes from the block's allocator and outlives the block; build it in a without_alloc { ... } block, or declare it outside the with_alloc block and fill it there}}
    // expected-note@#ret_block 2 {{with_alloc block opened here}}
    if (made.empty())
      return std::string(40, 'x'); // expected-warning {{a value that allocates is returned from inside this with_alloc block}}
    return outer; // fine: built before the block
  }
}
int returns_int(tacit::arena &a) {
  with_alloc(a) { return 1; } // fine: nothing allocated
}
