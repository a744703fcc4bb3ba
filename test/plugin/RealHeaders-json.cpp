// FILE: test/plugin/RealHeaders-json.cpp
// DESCRIPTION: No false positives on real code: nlohmann/json (Debian
//   nlohmann-json3-dev) used for real — parse, build, dump, iterate, convert
//   to and from user types (adl_serializer), JSON pointer, patch — inside
//   and outside with_alloc blocks and from [[tacit::uses(alloc)]]
//   functions called properly. Every check is on and its warnings are
//   errors: any diagnostic, or a crash, fails the test.
// REQUIRES: plugin, nlohmann
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin -fplugin-arg-tacit-werror %include %s 2>&1 | count 0
// The same in C++17, showing that the plugin saw each block (and nothing else):
// RUN: %clangxx -std=c++17 -fsyntax-only %plugin -fplugin-arg-tacit-werror -fplugin-arg-tacit-dump-scopes %include %s 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not=warning: --implicit-check-not=error: --implicit-check-not=note: --implicit-check-not=remark:
#include <tacit/alloc.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <memory_resource>
#include <string>
#include <vector>

using nlohmann::json;

namespace app {
struct Point {
  double x = 0, y = 0;
  std::string label;
};
void to_json(json &j, const Point &p) {
  j = json{{"x", p.x}, {"y", p.y}, {"label", p.label}};
}
void from_json(const json &j, Point &p) {
  j.at("x").get_to(p.x);
  j.at("y").get_to(p.y);
  j.at("label").get_to(p.label);
}

struct Config {
  std::string name;
  std::vector<Point> points;
  std::map<std::string, int> limits;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(Config, name, points, limits)
};
} // namespace app

// A function that needs a context: callers open one.
[[tacit::uses(alloc)]] app::Config load(const std::string &text) {
  json j = json::parse(text);
  return j.get<app::Config>();
}

[[tacit::uses(alloc)]] std::size_t count_points(const std::string &text) {
  app::Config c = load(text); // a context is required here, and present
  return c.points.size();
}

// A cache that outlives every block: filled on the global heap even when
// called from inside one.
std::map<std::string, json> g_cache;
[[tacit::without(alloc)]] void remember(const std::string &key, const json &value) {
  g_cache[key] = value;
  g_cache[key]["cached"] = true;
}

std::string round_trip(tacit::arena &a, const std::string &text) {
  std::string out;
  // CHECK: RealHeaders-json.cpp:[[@LINE+1]]:3: remark: with_alloc scope
  with_alloc(a) {
    app::Config c = load(text);
    c.points.push_back({1.5, 2.5, "added"});
    c.limits["max"] = 10;
    json j = c;
    j["extra"] = {1, 2, 3};
    j["nested"]["deep"] = json::array({json::object({{"k", "v"}})});
    std::string dumped = j.dump(2);
    remember(c.name, j);
    std::size_t n = count_points(dumped);
    (void)n;
    for (auto &[key, value] : j.items())
      if (value.is_number())
        value = value.get<double>() * 2;
    for (const json &e : j["extra"])
      (void)e.get<int>();
    json patched = j.patch(json::parse(R"([{"op": "remove", "path": "/extra"}])"));
    json diff = json::diff(j, patched);
    auto ptr = json::json_pointer("/nested/deep/0/k");
    std::string v = patched.value(ptr, std::string("none"));
    std::vector<std::uint8_t> cbor = json::to_cbor(patched);
    json back = json::from_cbor(cbor);
    bool same = back == patched && !diff.empty() && !v.empty();
    // CHECK: RealHeaders-json.cpp:[[@LINE+1]]:5: remark: without_alloc scope
    without_alloc { out = same ? back.dump() : dumped; } // the result outlives the block
  }
  return out;
}

// Outside any block: plain heap use, nothing to check.
json make_default() {
  json j;
  j["name"] = "default";
  j["points"] = json::array();
  j["limits"] = json::object();
  j["points"].push_back(app::Point{0, 0, "origin"});
  return j;
}

int parse_errors(tacit::arena &a) {
  int errors = 0;
  // CHECK: RealHeaders-json.cpp:[[@LINE+1]]:3: remark: with_alloc scope
  with_alloc(a) {
    json bad = json::parse("{not json", nullptr, /*allow_exceptions=*/false);
    if (bad.is_discarded())
      ++errors;
    json sax_ok = json::accept("[1,2,3]") ? json(true) : json(false);
    errors += sax_ok.get<bool>() ? 0 : 1;
    auto ordered = nlohmann::ordered_json::parse(R"({"b": 1, "a": 2})");
    errors += ordered.begin().key() == "b" ? 0 : 1;
  }
  return errors;
}

// Other resources, and nested blocks.
std::size_t resources(const std::string &text) {
  std::pmr::monotonic_buffer_resource mono;
  std::pmr::unsynchronized_pool_resource pool;
  tacit::arena outer;
  std::size_t n = 0;
  // CHECK: RealHeaders-json.cpp:[[@LINE+1]]:3: remark: with_alloc scope
  with_alloc(mono) {
    n += load(text).points.size();
  }
  // CHECK: RealHeaders-json.cpp:[[@LINE+1]]:3: remark: with_alloc scope
  with_alloc(&pool) {
    json j = json::parse(text);
    n += j.size();
  }
  // CHECK: RealHeaders-json.cpp:[[@LINE+1]]:3: remark: with_alloc scope
  with_alloc(outer) {
    // CHECK: RealHeaders-json.cpp:[[@LINE+1]]:5: remark: with_alloc scope
    with_alloc(mono) { n += count_points(text); }
    // CHECK: RealHeaders-json.cpp:[[@LINE+1]]:5: remark: without_alloc scope
    without_alloc { remember("outer", json::parse(text)); }
    n += json::parse(text).dump().size();
  }
  return n;
}
