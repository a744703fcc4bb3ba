// FILE: test/plugin/EscapeCheck.cpp
// DESCRIPTION: EscapeCheck (plugin/core/EscapeCheck.cpp): inside with_alloc,
//   growing, assigning or inserting into an allocating object declared
//   outside the block (also through a reference or pointer, a string stream
//   written with <<, a string filled by getline / >>, string replace),
//   storing `new` memory to a global/static/member (also a member reached
//   through a reference or pointer parameter), and returning an allocating
//   value built in the block or a copy of one that was not, warn; objects
//   declared inside the block, moves / swaps / resets / empty values of
//   objects not built in the block, shared_ptr copies, implicit moves on
//   return, containers with their own allocator (std::pmr), updates inside a
//   nested without_alloc, and non-allocating operations do not.
//   -fplugin-arg-tacit-no-escape-check silences the check.
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

// ---- Nothing escapes: moves, swaps and resets with nothing built inside ----
#include <sstream>

void no_escape(tacit::arena &a, std::vector<int> &out, std::string &text,
               std::unique_ptr<int> &u, std::shared_ptr<int> &sp,
               std::function<void()> &fn) {
  std::vector<int> v, w;
  std::unique_ptr<int> owned;
  std::shared_ptr<int> other;
  std::weak_ptr<int> weak;
  std::string s;
  std::map<int, int> m;
  Bag bag, bag2;
  with_alloc(a) {
    v = std::move(w);         // w was built outside: its storage just moves
    out = std::move(v);
    v = static_cast<std::vector<int> &&>(w);
    bag = std::move(bag2);
    u = std::move(owned);
    v.swap(w);
    s.swap(text);
    u.reset();
    u.reset(nullptr);
    u = nullptr;
    sp = nullptr;
    sp.reset();
    sp = other;               // a shared_ptr copy shares; it allocates nothing
    weak = other;
    fn = nullptr;
    fn = {};
    v = {};
    s = std::string();
    v.clear();                // releases, allocates nothing
    s.clear();
    m.clear();
    m.erase(1);
    v.pop_back();
    (void)text.substr(0, 1).size(); // a temporary inside the block
  }
}

// ---- Moves and swaps of what the block built still escape -----------------
void moved_in(tacit::arena &a, std::unique_ptr<int> &u, std::weak_ptr<int> &weak) {
  std::vector<int> v;
  std::string s;
  with_alloc(a) { // #moved_block
    // expected-note@#moved_block 5 {{with_alloc block opened here}}
    std::vector<int> built(100);
    v = std::move(built); // expected-warning {{variable 'v' is declared outside this with_alloc block but is assigned inside it}}
    std::string t = "a string too long for the small buffer";
    s.swap(t); // expected-warning {{variable 's' is declared outside this with_alloc block but is assigned inside it}}
    u.reset(new int(1)); // expected-warning {{variable 'u' is declared outside this with_alloc block but is assigned inside it}}
    u = std::make_unique<int>(2); // expected-warning {{variable 'u' is declared outside this with_alloc block but is assigned inside it}}
    std::shared_ptr<int> made = std::make_shared<int>(3);
    weak = made; // expected-warning {{variable 'weak' is declared outside this with_alloc block but is assigned inside it}}
    v.clear();
    v.shrink_to_fit(); // fine: the release idiom (not reported even when v is not empty)
  }
}

// ---- String growth and string streams ---------------------------------------
struct Log : std::ostringstream {}; // a class derived from a string stream
struct Pt { int x, y; };
std::ostream &operator<<(std::ostream &os, const Pt &p); // a user's inserter

void strings_and_streams(tacit::arena &a, std::string &param, std::istream &in,
                         std::ostream &any_stream) {
  std::string s = "text";
  std::ostringstream out;
  std::stringstream both;
  std::stringbuf buf;
  Log log;
  with_alloc(a) { // #stream_block
    // expected-note@#stream_block 14 {{with_alloc block opened here}}
    s.replace(0, 1, "longer text"); // expected-warning {{variable 's' is declared outside this with_alloc block but grows inside it}}
    param.replace(param.begin(), param.end(), "x"); // expected-warning {{variable 'param' is declared outside this with_alloc block but grows inside it}}
    s.assign(20, 'y'); // expected-warning {{variable 's' is declared outside this with_alloc block but is assigned inside it}}
    s.insert(0, "z"); // expected-warning {{variable 's' is declared outside this with_alloc block but is inserted into inside it}}
    out << "value: " << 42; // expected-warning {{variable 'out' is declared outside this with_alloc block but grows inside it}}
    out << 43; // expected-warning {{variable 'out' is declared outside this with_alloc block but grows inside it}}
    both << s; // expected-warning {{variable 'both' is declared outside this with_alloc block but grows inside it}}
    out.write("abc", 3); // expected-warning {{variable 'out' is declared outside this with_alloc block but grows inside it}}
    buf.sputn("abc", 3); // expected-warning {{variable 'buf' is declared outside this with_alloc block but grows inside it}}
    log << 1; // expected-warning {{variable 'log' is declared outside this with_alloc block but grows inside it}}
    out << Pt{1, 2}; // expected-warning {{variable 'out' is declared outside this with_alloc block but grows inside it}}
    out.str("reset"); // expected-warning {{variable 'out' is declared outside this with_alloc block but is assigned inside it}}
    std::getline(in, s); // expected-warning {{variable 's' is declared outside this with_alloc block but grows inside it}}
    in >> param; // expected-warning {{variable 'param' is declared outside this with_alloc block but grows inside it}}

    // Fine: streams and strings built here, reads, non-string streams.
    std::ostringstream local;
    local << "fine" << 1;
    std::string t;
    std::getline(in, t);
    t.replace(0, 0, "fine");
    (void)out.str();
    (void)s.find('x');
    int n = 0;
    both >> n;
    any_stream << "an ostream& may be anything: not reported";
    local << Pt{3, 4};
  }
}

// ---- new stored through a reference or a pointer parameter ------------------
struct Holder { int *p = nullptr; Holder *next = nullptr; };
Holder &registry();

void store_through(tacit::arena &a, Holder &r, Holder *ptr) {
  Holder local;
  Holder &bound = registry();
  int *plain = nullptr;
  with_alloc(a) { // #store_block
    // expected-note@#store_block 5 {{with_alloc block opened here}}
    r.p = new int(1); // expected-warning {{memory allocated inside this with_alloc block is stored to member 'p', which outlives the block}}
    ptr->next = new Holder; // expected-warning {{memory allocated inside this with_alloc block is stored to member 'next', which outlives the block}}
    bound.p = new int(2); // expected-warning {{is stored to member 'p', which outlives the block}}
    Holder &alias = r;
    alias.p = new int(3); // expected-warning {{is stored to member 'p', which outlives the block}}
    Holder *q = ptr;
    q->p = new int(4); // expected-warning {{is stored to member 'p', which outlives the block}}

    // Fine: locals, and objects built in the block.
    local.p = new int(5);
    plain = new int(6);
    Holder here;
    Holder &to_here = here;
    to_here.p = new int(7);
    Holder *fresh = new Holder;
    fresh->p = new int(8);
  }
  (void)plain;
}

// Updates through a reference declared in the block reach the object it is
// bound to.
void update_through_reference(tacit::arena &a, std::vector<std::vector<int>> &rows) {
  std::vector<int> outer;
  std::map<int, std::string> names;
  with_alloc(a) { // #ref_block
    // expected-note@#ref_block 3 {{with_alloc block opened here}}
    std::vector<int> &alias = outer;
    alias.push_back(1); // expected-warning {{variable 'outer' is declared outside this with_alloc block but grows inside it}}
    rows[0].push_back(2); // expected-warning {{variable 'rows' is declared outside this with_alloc block but grows inside it}}
    names[1] = "one"; // expected-warning {{variable 'names' is declared outside this with_alloc block but is inserted into inside it}}
    // (one warning: the element's assignment is part of the insertion)
    std::vector<int> mine;
    std::vector<int> &to_mine = mine;
    to_mine.push_back(3); // fine: bound to an object of the block
  }
}

// ---- Returning a copy of what the block did not build -----------------------
std::string g_name;
struct Named {
  std::string name;
  std::string get(tacit::arena &a) {
    with_alloc(a) { // #member_ret
      return name; // expected-warning {{a copy of 'name' is returned from inside this with_alloc block: its storage comes from the block's allocator and outlives the block}}
      // expected-note@#member_ret {{with_alloc block opened here}}
    }
  }
  const std::string &ref(tacit::arena &a) {
    with_alloc(a) { return name; } // fine: no copy, a reference to the member
  }
};

std::string return_copies(tacit::arena &a, const std::string &in, std::string by_value, int k) {
  std::string outer = in;
  with_alloc(a) { // #copy_block
    // expected-note@#copy_block 3 {{with_alloc block opened here}}
    if (k == 0)
      return in; // expected-warning {{a copy of 'in' is returned from inside this with_alloc block}}
    if (k == 1)
      return g_name; // expected-warning {{a copy of 'g_name' is returned from inside this with_alloc block}}
    if (k == 2) {
      const std::string &alias = outer;
      return alias; // expected-warning {{a copy of 'alias' is returned from inside this with_alloc block}}
    }
    // Fine: moved out, not copied (implicitly or with std::move).
    if (k == 3)
      return by_value;
    if (k == 4)
      return std::move(outer);
    if (k == 5)
      return {};
    return outer;
  }
}
std::shared_ptr<int> g_shared;
std::shared_ptr<int> return_shared(tacit::arena &a) {
  with_alloc(a) { return g_shared; } // fine: a shared_ptr copy allocates nothing
}
std::unique_ptr<int> return_null(tacit::arena &a) {
  with_alloc(a) { return nullptr; } // fine: empty
}

// ---- Containers from other libraries: by the allocator they name -----------
#include <memory_resource>
namespace lib {
template <class T, class A = std::allocator<T>> struct vec { // like Boost's
  using allocator_type = A;
  T *data = nullptr;
  void push_back(const T &);
  void clear();
};
template <class K, class V> struct doc { // like nlohmann::json
  using allocator_type = std::allocator<doc>;
  doc(std::nullptr_t = nullptr);
  explicit doc(int);
  doc &operator=(doc other);
  doc &operator[](const char *key);
  doc &operator[](unsigned long index);
  void *payload = nullptr;
};
template <class T> struct pool_allocator { using value_type = T; };
} // namespace lib

void other_libraries(tacit::arena &a, std::pmr::memory_resource &res) {
  lib::vec<int> v;
  lib::doc<int, int> d;
  lib::vec<int, lib::pool_allocator<int>> pooled;
  std::pmr::vector<int> pmr_vec(&res);
  std::pmr::string pmr_str(&res);
  with_alloc(a) { // #lib_block
    // expected-note@#lib_block 3 {{with_alloc block opened here}}
    v.push_back(1); // expected-warning {{variable 'v' is declared outside this with_alloc block but grows inside it}}
    d["key"] = nullptr; // expected-warning {{variable 'd' is declared outside this with_alloc block but is inserted into inside it}}
    d = lib::doc<int, int>(1); // expected-warning {{variable 'd' is declared outside this with_alloc block but is assigned inside it}}
    d = nullptr; // fine: built from nullptr, it holds nothing
    d = lib::doc<int, int>(); // fine: the same
    (void)d[0ul]; // fine: by index, nothing is inserted
    v.clear();
    // Fine: their memory comes from their own allocator or resource, not the block.
    pooled.push_back(2);
    pmr_vec.push_back(3);
    pmr_str += "text";
  }
}

// ---- Empty values: optional, variant, aggregates of containers --------------
#include <optional>
#include <variant>
struct Record { std::string name; std::vector<int> ids; int n = 0; }; // starts empty
struct Primed { std::vector<int> ids = std::vector<int>(8); };        // does not
struct Made { Made(); std::string s; };                               // its own constructor

std::optional<std::string> find_name(tacit::arena &a, int k) {
  std::optional<std::string> cached;
  std::variant<std::monostate, std::string> state;
  with_alloc(a) { // #empty_block
    // expected-note@#empty_block 2 {{with_alloc block opened here}}
    cached = std::nullopt; // fine: holds nothing
    cached.reset();
    state = std::monostate{};
    cached = "name"; // expected-warning {{variable 'cached' is declared outside this with_alloc block but is assigned inside it}}
    if (k == 0)
      return std::nullopt; // fine
    if (k == 1)
      return {}; // fine
    if (k == 2)
      return std::string("x"); // expected-warning {{a value that allocates is returned from inside this with_alloc block}}
  }
  return cached;
}
Record empty_record(tacit::arena &a) {
  with_alloc(a) { return {}; } // fine: its members start empty
}
Record empty_record2(tacit::arena &a) {
  with_alloc(a) { return Record(); } // fine
}
Primed primed(tacit::arena &a) {
  with_alloc(a) { return {}; } // expected-warning {{a value that allocates is returned from inside this with_alloc block}}
  // expected-note@-1 {{with_alloc block opened here}}
}
Made made(tacit::arena &a) {
  with_alloc(a) { return Made(); } // expected-warning {{a value that allocates is returned from inside this with_alloc block}}
  // expected-note@-1 {{with_alloc block opened here}}
}

// ---- A variable of the block that only carries an outside object's storage --
void rotate(tacit::arena &a, std::vector<int> &x, std::vector<int> &y) {
  std::vector<std::string> queue;
  with_alloc(a) { // #carry_block
    // expected-note@#carry_block 2 {{with_alloc block opened here}}
    std::vector<int> tmp = std::move(x); // x's storage, not the block's
    x = std::move(y);
    y = std::move(tmp); // fine: tmp holds what x held
    std::vector<std::string> pending = std::move(queue);
    if (!pending.empty())
      pending.pop_back();
    queue = std::move(pending); // fine: only read and emptied
    std::vector<int> grown = std::move(x);
    grown.push_back(1); // its storage may now be the block's
    x = std::move(grown); // expected-warning {{variable 'x' is declared outside this with_alloc block but is assigned inside it}}
    std::vector<std::string> touched = std::move(queue);
    touched[0] += "longer than the small string buffer";
    queue = std::move(touched); // expected-warning {{variable 'queue' is declared outside this with_alloc block but is assigned inside it}}
  }
}

// ---- Through a pointer ------------------------------------------------------
struct Stack : std::vector<int> {
  void push_twice(tacit::arena &a) {
    with_alloc(a) { push_back(1); } // not reported: `this` has no name to give
  }
};
void through_pointer(tacit::arena &a, std::vector<int> *out, std::string *text) {
  with_alloc(a) { // #ptr_block
    // expected-note@#ptr_block 2 {{with_alloc block opened here}}
    out->push_back(1); // expected-warning {{variable 'out' is declared outside this with_alloc block but grows inside it}}
    *text += "more"; // expected-warning {{variable 'text' is declared outside this with_alloc block but grows inside it}}
    auto *mine = new std::vector<int>;
    mine->push_back(2); // fine: built in the block
    std::vector<int> here;
    std::vector<int> *to_here = &here;
    to_here->push_back(3); // fine
    (void)out->size();
    out->clear();
  }
}
