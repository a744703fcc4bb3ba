// FILE: test/plugin/RealHeaders-escape.cpp
// DESCRIPTION: EscapeCheck on real third-party containers: nlohmann::json
//   and Boost containers name their allocator (allocator_type =
//   std::allocator / new_allocator), so growing one declared outside a
//   with_alloc block warns exactly as a std container does; moving one in,
//   clearing it, or assigning it null does not. (The RealHeaders-*.cpp
//   beside it show the same libraries used correctly give no diagnostic.)
// REQUIRES: plugin, nlohmann, boost
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin %include -Xclang -verify %s
#include <tacit/alloc.hpp>

#include <boost/container/flat_map.hpp>
#include <boost/container/pmr/vector.hpp>
#include <boost/container/small_vector.hpp>
#include <boost/multi_index/ordered_index.hpp>
#include <boost/multi_index_container.hpp>
#include <boost/unordered_map.hpp>
#include <nlohmann/json.hpp>

#include <string>

using nlohmann::json;
using Ids = boost::multi_index::multi_index_container<
    int, boost::multi_index::indexed_by<boost::multi_index::ordered_unique<
             boost::multi_index::identity<int>>>>;

void escapes(tacit::arena &a, json &config) {
  json doc;
  boost::container::flat_map<std::string, int> fm;
  boost::container::small_vector<int, 2> sv;
  boost::unordered_map<int, std::string> um;
  Ids ids;
  json moved_from = json::array();
  with_alloc(a) { // #block
    // expected-note@#block 8 {{with_alloc block opened here}}
    doc["key"] = 1; // expected-warning {{variable 'doc' is declared outside this with_alloc block but is inserted into inside it}}
    config.push_back(2); // expected-warning {{variable 'config' is declared outside this with_alloc block but grows inside it}}
    doc = json::parse("[1, 2, 3]"); // expected-warning {{variable 'doc' is declared outside this with_alloc block but is assigned inside it}}
    fm.emplace("k", 3); // expected-warning {{variable 'fm' is declared outside this with_alloc block but is inserted into inside it}}
    fm["j"] = 4; // expected-warning {{variable 'fm' is declared outside this with_alloc block but is inserted into inside it}}
    sv.push_back(5); // expected-warning {{variable 'sv' is declared outside this with_alloc block but grows inside it}}
    um.emplace(6, "six"); // expected-warning {{variable 'um' is declared outside this with_alloc block but is inserted into inside it}}
    ids.insert(7); // expected-warning {{variable 'ids' is declared outside this with_alloc block but is inserted into inside it}}

    // Fine: nothing of the block's memory is handed out.
    doc = std::move(moved_from);
    config = nullptr;
    fm.clear();
    (void)doc[0];
    (void)um.count(6);
    json local = json::object();
    local["inside"] = true;
  }
}

// A Boost pmr container takes its memory from its own resource.
void own_resource(tacit::arena &a, boost::container::pmr::memory_resource &res) {
  boost::container::pmr::vector<int> v(&res);
  with_alloc(a) { v.push_back(1); }
}
