// A whole program's worth of library churn in ONE arena scope, as users
// will write it: nlohmann::json, {fmt}, Boost.PropertyTree, std::regex,
// exceptions (their messages are libstdc++'s COW strings, freed unsized),
// delete[] of char and int arrays (unsized), stable_sort's temporary buffer,
// std::function, make_shared. The results must equal those computed on the
// global heap, and the arena must stay flat: its chunk memory at the end no
// more than after the first tenth (each iteration frees all it made).
// Before unsized frees were reused, chunk memory here kept growing (about
// 8 MiB after 3,000 iterations of a similar mix).
// REQUIRES: nlohmann, fmt, boost
// UNSUPPORTED: tacit-asan, tacit-check
// (reuse is off by design under AddressSanitizer and in checked mode: the
// results are still checked there by the other suites' tests)
// RUN: %tacitxx -std=c++20 -O2 -Wno-deprecated-declarations %s -o %t -lfmt && %t 6000 | FileCheck %s
// CHECK: same results: yes
// CHECK-NEXT: chunk memory: flat
#include <tacit/alloc.hpp>
#include <nlohmann/json.hpp>
#include <fmt/format.h>
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/json_parser.hpp>
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

static std::size_t work(int i, std::mt19937& rng) {
  std::size_t h = 0;
  nlohmann::json j = {{"id", i}, {"name", fmt::format("user-{:05d}", i)}, {"tags", {"a", "b", std::to_string(i)}}};
  std::string s = j.dump();
  auto k = nlohmann::json::parse(s);
  h += k["name"].get<std::string>().size() + s.size();
  std::regex re("user-([0-9]+)");
  std::smatch m;
  std::string name = k["name"].get<std::string>();
  if (std::regex_search(name, m, re)) h += m[1].str().size();
  boost::property_tree::ptree pt;
  std::istringstream in(s);
  boost::property_tree::read_json(in, pt);
  h += pt.get<std::string>("name").size();
  // unsized frees: arrays of trivially destructible types
  std::size_t n = 1 + rng() % 3000;
  char* buf = new char[n];
  std::memset(buf, 'x', n);
  h += buf[n - 1] == 'x';
  delete[] buf;
  int* ints = new int[1 + rng() % 100];
  delete[] ints;
  // exceptions: libstdc++'s COW message strings, freed unsized
  try {
    if (i % 2) throw std::runtime_error(fmt::format("failure {}", i));
    throw std::out_of_range(std::string(50 + i % 100, 'e'));
  } catch (const std::exception& e) {
    h += std::strlen(e.what());
  }
  std::vector<std::string> v;
  for (int t = 0; t < 50; ++t) v.push_back(std::to_string(rng()));
  std::stable_sort(v.begin(), v.end());
  h += v.front().size();
  std::function<std::size_t()> f = [v, s] { return v.size() + s.size(); };
  h += f();
  auto sp = std::make_shared<std::map<int, std::string>>();
  for (int t = 0; t < 20; ++t) (*sp)[t] = std::string(t * 3, 'm');
  h += sp->size();
  return h;
}

int main(int argc, char** argv) {
  int iters = argc > 1 ? std::atoi(argv[1]) : 50000;
  std::mt19937 r1(42), r2(42);
  std::size_t ref = 0, got = 0;
  for (int i = 0; i < iters; ++i) ref += work(i, r1);
  tacit::arena a;
  std::size_t at_tenth = 0;
  with_alloc(a) {
    for (int i = 0; i < iters; ++i) {
      got += work(i, r2);
      if (i == iters / 10) at_tenth = a.stats().chunk_bytes;
    }
  }
  auto s = a.stats();
  std::printf("same results: %s\n", ref == got ? "yes" : "NO");
  std::fprintf(stderr, "chunk bytes: %zu at 10%%, %zu at the end; peak %zu; allocations %zu, reused %zu\n",
               at_tenth, s.chunk_bytes, s.peak_chunk_bytes, s.allocations, s.reused);
  std::printf("chunk memory: %s\n", s.chunk_bytes <= at_tenth ? "flat" : "GREW");
  return ref == got ? 0 : 1;
}
