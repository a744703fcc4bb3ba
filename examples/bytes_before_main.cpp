// examples/bytes_before_main.cpp — how much a program allocates before main,
// and in all, scope by scope.
//
// Globals with a dynamic initialiser (a std::vector, a std::map built by a
// function, a table computed at start-up) allocate before main starts, where
// no debugger breakpoint in main sees them. Run any program linked with the
// runtime with TACIT_STATS=1 in the environment and, at exit, it writes a
// report on stderr: every operator new, before main and from main on, one
// row per scope (each with_alloc / without_alloc block by file and line, and
// "(no scope)" for allocations outside every scope), most bytes first.
//
// This program prints what it expects each row to say, computed from the
// sizes of its own types; the report, counted by the runtime, must agree.
//
// Build: build/bin/tacit++ -std=c++20 -O2 examples/bytes_before_main.cpp -o bytes_before_main
// Run:   TACIT_STATS=1 ./bytes_before_main
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <tacit/alloc.hpp>
#include <vector>

// --- Before main -----------------------------------------------------------

// One allocation: the vector's buffer of three strings (each short enough to
// live inside its std::string, with no allocation of its own).
std::vector<std::string> g_names = {"alpha", "beta", "gamma"};

// A table computed at start-up: one allocation of 1000 ints.
std::vector<int> make_squares(int n) {
  std::vector<int> v;
  v.reserve(n);
  for (int i = 0; i < n; ++i) v.push_back(i * i);
  return v;
}
const std::vector<int> g_squares = make_squares(1000);

// A lookup table built by a function: one allocation per node (the keys are
// short strings, stored inside their nodes).
std::map<std::string, int> build_table() {
  std::map<std::string, int> t;
  for (const char* k : {"red", "green", "blue", "cyan", "magenta"})
    t[k] = static_cast<int>(t.size());
  return t;
}
const std::map<std::string, int> g_table = build_table();

// A long-lived log, empty until main fills it (no allocation yet).
std::vector<int> g_log;

// --- From main on ------------------------------------------------------------

struct record {
  double x, y, z, w;
};

int main() {
  std::printf("before main: %zu allocations expected (g_names 1, g_squares 1, "
              "g_table %zu nodes)\n",
              2 + g_table.size(), g_table.size());

  // A request's work, on its own arena: 1 vector buffer + 256 records.
  constexpr std::size_t n = 256;
  double sum = 0;
  tacit::arena request;
  with_alloc(request) {
    std::vector<std::unique_ptr<record>> records;
    records.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
      records.push_back(std::make_unique<record>(
          record{double(i), 1.0, 2.0, double(g_squares[i])}));
    for (const auto& r : records) sum += r->x + r->w;
  }
  std::printf("request scope: %zu allocations, %zu bytes expected\n", 1 + n,
              n * sizeof(std::unique_ptr<record>) + n * sizeof(record));

  // Data that outlives the request goes to the global heap, on purpose.
  without_alloc { g_log.reserve(1024); }
  g_log.push_back(static_cast<int>(sum));
  std::printf("without_alloc block: 1 allocation, %zu bytes expected\n",
              1024 * sizeof(int));

  // Outside every scope: counted as "(no scope)", with the globals.
  std::vector<double> totals(100, sum);
  std::printf("main, no scope: 1 allocation, %zu bytes expected\n",
              totals.size() * sizeof(double));
  std::printf("sum %.0f, log %zu, names %zu, table %zu\n", totals[99],
              g_log.size(), g_names.size(), g_table.size());
}
