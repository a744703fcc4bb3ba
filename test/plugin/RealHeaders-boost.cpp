// FILE: test/plugin/RealHeaders-boost.cpp
// DESCRIPTION: No false positives on real code: Boost (Debian libboost-dev)
//   containers and utilities used for real — multi_index, container
//   (flat_map, small_vector, stable_vector, deque), unordered, bimap,
//   circular_buffer, dynamic_bitset, intrusive, ptr_container,
//   algorithm/string, tokenizer, lexical_cast, format, optional, variant,
//   any, property_tree (JSON and INI parsers), range, mp11, hana, fusion,
//   signals2, uuid, graph, heap, multiprecision — inside and outside
//   with_alloc blocks and from [[tacit::uses(alloc)]] functions called
//   properly. Every check is on and its warnings are errors: any
//   diagnostic, or a crash, fails the test. (Asio and Spirit:
//   RealHeaders-boost-asio.cpp, RealHeaders-boost-spirit.cpp.)
// REQUIRES: plugin, boost
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin -fplugin-arg-tacit-werror %include %s 2>&1 | count 0
#include <tacit/alloc.hpp>

#include <boost/algorithm/string.hpp>
#include <boost/any.hpp>
#include <boost/bimap.hpp>
#include <boost/circular_buffer.hpp>
#include <boost/container/deque.hpp>
#include <boost/container/flat_map.hpp>
#include <boost/container/small_vector.hpp>
#include <boost/container/stable_vector.hpp>
#include <boost/dynamic_bitset.hpp>
#include <boost/format.hpp>
#include <boost/fusion/include/adapt_struct.hpp>
#include <boost/fusion/include/for_each.hpp>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/hana.hpp>
#include <boost/heap/priority_queue.hpp>
#include <boost/intrusive/list.hpp>
#include <boost/lexical_cast.hpp>
#include <boost/mp11.hpp>
#include <boost/multi_index/hashed_index.hpp>
#include <boost/multi_index/member.hpp>
#include <boost/multi_index/ordered_index.hpp>
#include <boost/multi_index/sequenced_index.hpp>
#include <boost/multi_index_container.hpp>
#include <boost/multiprecision/cpp_int.hpp>
#include <boost/optional.hpp>
#include <boost/property_tree/ini_parser.hpp>
#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>
#include <boost/ptr_container/ptr_vector.hpp>
#include <boost/range/adaptors.hpp>
#include <boost/range/algorithm.hpp>
#include <boost/signals2.hpp>
#include <boost/tokenizer.hpp>
#include <boost/unordered_map.hpp>
#include <boost/unordered_set.hpp>
#include <boost/uuid/uuid.hpp>
#include <boost/uuid/uuid_generators.hpp>
#include <boost/uuid/uuid_io.hpp>
#include <boost/variant.hpp>

#include <sstream>
#include <string>
#include <vector>

namespace mi = boost::multi_index;

struct Employee {
  int id;
  std::string name;
  int age;
};
struct by_id {};
struct by_name {};
struct by_age {};
using Staff = mi::multi_index_container<
    Employee,
    mi::indexed_by<
        mi::ordered_unique<mi::tag<by_id>, mi::member<Employee, int, &Employee::id>>,
        mi::hashed_non_unique<mi::tag<by_name>,
                              mi::member<Employee, std::string, &Employee::name>>,
        mi::ordered_non_unique<mi::tag<by_age>, mi::member<Employee, int, &Employee::age>>,
        mi::sequenced<>>>;

struct Reading {
  std::string sensor;
  double value;
};
BOOST_FUSION_ADAPT_STRUCT(Reading, sensor, value)

struct Node : boost::intrusive::list_base_hook<> {
  int v = 0;
};

// Needs a context; called from inside with_alloc below.
[[tacit::uses(alloc)]] Staff hire(const std::vector<std::string> &names) {
  Staff s;
  int id = 0;
  for (const std::string &n : names)
    s.insert(Employee{++id, n, 20 + id});
  s.get<by_name>().emplace(Employee{100, "late", 99});
  return s;
}

[[tacit::uses(alloc)]] boost::property_tree::ptree settings(const std::string &json) {
  std::istringstream in(json);
  boost::property_tree::ptree pt;
  boost::property_tree::read_json(in, pt);
  pt.put("tacit.checked", true);
  return pt;
}

// A registry that outlives every block: its entries go on the global heap
// even when added from inside one.
struct Registry {
  Staff staff;
  [[tacit::without(alloc)]] void add(int id, const std::string &name) {
    staff.insert(Employee{id, name, 0});
    staff.get<by_name>().erase("nobody");
  }
};
Registry g_registry;

int containers(tacit::arena &a) {
  int result = 0;
  with_alloc(a) {
    Staff staff = hire({"ada", "grace", "barbara"});
    auto &by_age_index = staff.get<by_age>();
    for (auto it = by_age_index.lower_bound(21); it != by_age_index.end(); ++it)
      result += it->age;
    staff.get<by_id>().modify(staff.get<by_id>().find(1),
                              [](Employee &e) { e.name += "!"; });
    result += static_cast<int>(staff.get<by_name>().count("grace"));
    g_registry.add(1000, "registered");

    boost::container::flat_map<std::string, int> fm{{"b", 2}, {"a", 1}};
    fm.emplace("c", 3);
    boost::container::small_vector<int, 4> sv{1, 2, 3, 4, 5};
    boost::container::stable_vector<std::string> stable(3, "s");
    boost::container::deque<int> dv;
    dv.push_front(1);
    dv.push_back(2);
    boost::unordered_map<std::string, std::vector<int>> um;
    um["k"].push_back(1);
    boost::unordered_set<int> us{1, 2, 3};
    boost::bimap<int, std::string> bm;
    bm.insert({1, "one"});
    boost::circular_buffer<int> cb(3);
    cb.push_back(1);
    cb.push_back(2);
    boost::dynamic_bitset<> bits(100);
    bits.set(3).flip(7);
    boost::ptr_vector<std::string> pv;
    pv.push_back(new std::string("owned"));
    Node n1, n2;
    boost::intrusive::list<Node> il;
    il.push_back(n1);
    il.push_back(n2);
    il.clear();
    boost::heap::priority_queue<int> pq;
    pq.push(3);
    pq.push(9);
    result += fm.at("c") + int(sv.size()) + int(stable.size()) + dv.back() +
              int(um.size() + us.size() + bm.left.at(1).size() + cb.size() +
                  bits.count() + pv.size()) + pq.top();

    boost::property_tree::ptree pt = settings(R"({"a": {"b": 3}})");
    result += pt.get<int>("a.b");
    std::ostringstream ini;
    boost::property_tree::write_ini(ini, pt);
    result += int(ini.str().size());
  }
  return result;
}

std::string strings(tacit::arena &a, const std::string &csv) {
  std::string out;
  with_alloc(a) {
    std::vector<std::string> parts;
    boost::algorithm::split(parts, csv, boost::is_any_of(","));
    for (std::string &p : parts) {
      boost::algorithm::trim(p);
      boost::algorithm::to_upper(p);
    }
    std::string joined = boost::algorithm::join(parts, "|");
    boost::algorithm::replace_all(joined, "|", " | ");
    bool starts = boost::algorithm::starts_with(joined, "A");
    boost::tokenizer<boost::char_separator<char>> tok(csv, boost::char_separator<char>(","));
    int tokens = 0;
    for (const std::string &t : tok)
      tokens += int(t.size());
    int parsed = boost::lexical_cast<int>("123");
    std::string back = boost::lexical_cast<std::string>(parsed + tokens);
    std::string f = (boost::format("%1% %2% %3$5d") % joined % starts % parsed).str();
    boost::optional<std::string> opt = back;
    boost::variant<int, std::string> var = std::string("v");
    std::string visited = boost::apply_visitor(
        [](const auto &x) { return boost::lexical_cast<std::string>(x); }, var);
    boost::any any_value = std::string("any");
    auto cast = boost::any_cast<std::string>(any_value);
    std::vector<int> nums{5, 3, 8, 1};
    boost::sort(nums);
    auto evens = nums | boost::adaptors::filtered([](int x) { return x % 2 == 0; });
    int sum = 0;
    for (int x : evens)
      sum += x;
    boost::uuids::uuid id = boost::uuids::random_generator()();
    std::string uuid_text = boost::uuids::to_string(id);
    boost::multiprecision::cpp_int big = 1;
    for (int i = 1; i < 30; ++i)
      big *= i;
    std::string big_text = big.str();
    without_alloc {
      out = f + *opt + visited + cast + uuid_text + big_text + std::to_string(sum);
    }
  }
  return out;
}

int metaprogramming(tacit::arena &a) {
  using L = boost::mp11::mp_list<int, char, std::string>;
  static_assert(boost::mp11::mp_size<L>::value == 3);
  int r = 0;
  with_alloc(a) {
    auto t = boost::hana::make_tuple(1, std::string("two"), 3.0);
    boost::hana::for_each(t, [&](const auto &x) { r += sizeof(x) > 0; });
    Reading reading{"temp", 21.5};
    boost::fusion::for_each(reading, [&](const auto &) { ++r; });
    boost::signals2::signal<void(int)> sig;
    sig.connect([&](int x) { r += x; });
    sig(2);
    using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
    Graph g(5);
    boost::add_edge(0, 1, g);
    boost::add_edge(1, 2, g);
    std::vector<boost::default_color_type> colors(boost::num_vertices(g));
    boost::breadth_first_search(
        g, boost::vertex(0, g),
        boost::color_map(boost::make_iterator_property_map(
            colors.begin(), boost::get(boost::vertex_index, g))));
    r += int(boost::num_edges(g));
  }
  return r;
}

// Outside any block.
Staff plain_staff() {
  Staff s;
  s.insert(Employee{1, "x", 30});
  return s;
}

// Types whose members need a context, used through Boost containers and
// algorithms from inside a block (the calls Boost makes on the user's behalf
// run in the block's context).
struct Widget {
  [[tacit::uses(alloc)]] explicit Widget(int n) : parts(n, "part") {}
  [[tacit::uses(alloc)]] Widget(const Widget &) = default;
  Widget(Widget &&) noexcept = default;
  Widget &operator=(Widget &&) noexcept = default;
  [[tacit::uses(alloc)]] bool operator==(const Widget &o) const { return parts == o.parts; }
  [[tacit::uses(alloc)]] std::string describe() const {
    return boost::algorithm::join(parts, "+");
  }
  std::vector<std::string> parts;
};
struct WidgetHash {
  std::size_t operator()(const Widget &w) const { return w.parts.size(); }
};

std::size_t widgets(tacit::arena &a) {
  std::size_t n = 0;
  with_alloc(a) {
    boost::container::small_vector<Widget, 2> sv;
    sv.emplace_back(1);
    sv.emplace_back(2);
    sv.push_back(Widget(3));
    boost::container::stable_vector<Widget> st;
    st.emplace_back(4);
    boost::unordered_set<Widget, WidgetHash> set;
    set.emplace(5);
    boost::circular_buffer<Widget> cb(2);
    cb.push_back(Widget(6));
    boost::optional<Widget> opt(boost::in_place_init, 7);
    boost::variant<int, Widget> var = Widget(8);
    auto found = boost::range::find(sv, Widget(2));
    for (const Widget &w : sv | boost::adaptors::reversed)
      n += w.describe().size();
    n += (found != sv.end()) + st.size() + set.size() + cb.size() + opt->parts.size() +
         boost::get<Widget>(var).describe().size();
  }
  return n;
}

// Implicit calls that need a context, made inside a block: a default member
// initialiser, a defaulted uses(alloc) operator<=> (through <), range-for
// over uses(alloc) begin / end, all through Boost containers.
[[tacit::uses(alloc)]] std::string label(int id) { return "item-" + std::to_string(id); }
struct Item {
  int id = 0;
  std::string name = label(id);
  [[tacit::uses(alloc)]] auto operator<=>(const Item &) const = default;
};
struct Shelf {
  boost::container::stable_vector<Item> items;
  [[tacit::uses(alloc)]] auto begin() { return items.begin(); }
  [[tacit::uses(alloc)]] auto end() { return items.end(); }
};
int implicit_calls(tacit::arena &a) {
  int r = 0;
  with_alloc(a) {
    Shelf shelf;
    shelf.items.emplace_back();
    shelf.items.resize(3);
    for (Item &i : shelf)
      r += i.id + int(i.name.size());
    boost::optional<Item> o = Item{};
    boost::container::flat_map<int, Item> m;
    m[1] = Item{};
    r += (shelf.items[0] < shelf.items[1]) + (o && *o < m[1]);
  }
  return r;
}
