// FILE: test/plugin/RealHeaders-fmt.cpp
// DESCRIPTION: No false positives on real code: {fmt} (Debian libfmt-dev,
//   <fmt/format.h>, <fmt/ranges.h> and friends) used for real — format,
//   format_to into a memory_buffer and a back_inserter, user formatters,
//   ranges, tuples, chrono, compile-time format strings, runtime format
//   strings — inside and outside with_alloc blocks and from
//   [[tacit::uses(alloc)]] functions called properly. Every check is on and
//   its warnings are errors: any diagnostic, or a crash, fails the test.
// REQUIRES: plugin, fmt
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin -fplugin-arg-tacit-werror %include %s 2>&1 | count 0
// The same in C++17, showing that the plugin saw each block (and nothing else):
// RUN: %clangxx -std=c++17 -fsyntax-only %plugin -fplugin-arg-tacit-werror -fplugin-arg-tacit-dump-scopes %include %s 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not=warning: --implicit-check-not=error: --implicit-check-not=note: --implicit-check-not=remark:
#include <tacit/alloc.hpp>

#include <fmt/chrono.h>
#include <fmt/compile.h>
#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>

#include <chrono>
#include <iterator>
#include <map>
#include <string>
#include <tuple>
#include <vector>

struct Money {
  long cents = 0;
};
template <> struct fmt::formatter<Money> : fmt::formatter<double> {
  template <class Ctx> auto format(const Money &m, Ctx &ctx) const {
    return fmt::formatter<double>::format(m.cents / 100.0, ctx);
  }
};

enum class Level { info, error };
template <> struct fmt::formatter<Level> : fmt::formatter<fmt::string_view> {
  template <class Ctx> auto format(Level l, Ctx &ctx) const {
    return fmt::formatter<fmt::string_view>::format(
        l == Level::info ? "info" : "error", ctx);
  }
};

[[tacit::uses(alloc)]] std::string line(Level l, const std::string &what, Money m) {
  return fmt::format("[{}] {:>10} {:.2f}", l, what, m);
}

[[tacit::uses(alloc)]] std::string report(const std::vector<Money> &items) {
  fmt::memory_buffer buf;
  for (const Money &m : items)
    fmt::format_to(std::back_inserter(buf), "{:08.2f}\n", m);
  fmt::format_to(std::back_inserter(buf), "{}", line(Level::info, "total", Money{42}));
  return fmt::to_string(buf);
}

// A log that outlives every block: its lines go on the global heap even
// when written from inside one.
std::vector<std::string> g_log;
[[tacit::without(alloc)]] void log_line(Level l, const std::string &what) {
  g_log.push_back(fmt::format("[{}] {}", l, what));
}

std::size_t render(tacit::arena &a, const std::vector<Money> &items) {
  std::size_t total = 0;
  // CHECK: RealHeaders-fmt.cpp:[[@LINE+1]]:3: remark: with_alloc scope
  with_alloc(a) {
    std::string r = report(items);
    log_line(Level::info, r);
    std::vector<int> v{1, 2, 3};
    std::map<std::string, int> m{{"a", 1}, {"b", 2}};
    std::tuple<int, std::string, double> t{1, "two", 3.0};
    std::string s = fmt::format("{} {} {} {}", v, m, t, fmt::join(v, ", "));
    s += fmt::format(FMT_COMPILE("{}:{}"), 7, "eight");
    s += fmt::format(fmt::runtime("{0}{0}"), 'x');
    std::string out;
    fmt::format_to(std::back_inserter(out), "{:#x} {:e} {:?}", 255, 1.5, "q");
    auto now = std::chrono::system_clock::now();
    std::string when = fmt::format("{:%Y-%m-%d}", fmt::localtime(std::time(nullptr)));
    std::string dur = fmt::format("{}", std::chrono::milliseconds(1500));
    (void)now;
    char fixed[64];
    auto end = fmt::format_to_n(fixed, sizeof fixed, "{}", 12345).out;
    total = r.size() + s.size() + out.size() + when.size() + dur.size() +
            static_cast<std::size_t>(end - fixed) + fmt::formatted_size("{}", 3.25);
  }
  return total;
}

// Outside any block.
std::string plain() {
  return fmt::format("{:<5}|{:^5}|{:>5}", "l", "c", "r") +
         fmt::to_string(fmt::join(std::vector<double>{1.0, 2.5}, "; "));
}
