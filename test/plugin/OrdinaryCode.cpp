// FILE: test/plugin/OrdinaryCode.cpp
// DESCRIPTION: A sizeable translation unit of ordinary C++ — many standard
//   headers, class and function templates, lambdas (generic, capturing,
//   recursive), coroutines, virtual dispatch, exceptions, ranges — plus
//   correct uses of with_alloc / without_alloc and the attributes. The
//   plugin must stay silent on it, and the result must still run. This is
//   also the TU docs/benchmarks.md times ("Compile time").
// REQUIRES: plugin
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin %include %s 2>&1 | count 0
// RUN: %tacitxx -std=c++20 -O1 %s -o %t && %t | FileCheck %s
#include <tacit/alloc.hpp>

#include <algorithm>
#include <any>
#include <array>
#include <chrono>
#include <coroutine>
#include <cstdio>
#include <deque>
#include <functional>
#include <iostream>
#include <list>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <ranges>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

namespace shapes {
struct Shape {
  virtual ~Shape() = default;
  virtual double area() const = 0;
  virtual std::string name() const = 0;
};
struct Circle final : Shape {
  double r;
  explicit Circle(double r) : r(r) {}
  double area() const override { return 3.14159 * r * r; }
  std::string name() const override { return "circle"; }
};
struct Rect final : Shape {
  double w, h;
  Rect(double w, double h) : w(w), h(h) {}
  double area() const override { return w * h; }
  std::string name() const override { return "rect"; }
};
std::vector<std::unique_ptr<Shape>> make_some(int n) {
  std::vector<std::unique_ptr<Shape>> v;
  for (int i = 0; i < n; ++i) {
    if (i % 2)
      v.push_back(std::make_unique<Circle>(i));
    else
      v.push_back(std::make_unique<Rect>(i, i + 1));
  }
  return v;
}
} // namespace shapes

template <class T, class Compare = std::less<T>>
class TopK {
public:
  explicit TopK(std::size_t k) : k_(k) {}
  void add(T t) {
    items_.insert(std::upper_bound(items_.begin(), items_.end(), t, Compare{}),
                  std::move(t));
    if (items_.size() > k_)
      items_.pop_back();
  }
  const std::vector<T> &items() const { return items_; }

private:
  std::size_t k_;
  std::vector<T> items_;
};

template <class... Ts> struct overloaded : Ts... { using Ts::operator()...; };
template <class... Ts> overloaded(Ts...) -> overloaded<Ts...>;

using Value = std::variant<int, double, std::string>;
std::string describe(const Value &v) {
  return std::visit(overloaded{[](int i) { return "int " + std::to_string(i); },
                               [](double d) { return "double " + std::to_string(d); },
                               [](const std::string &s) { return "string " + s; }},
                    v);
}

template <class T> struct generator {
  struct promise_type {
    T current{};
    generator get_return_object() {
      return generator{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    std::suspend_always yield_value(T v) {
      current = v;
      return {};
    }
    void return_void() {}
    void unhandled_exception() { throw; }
  };
  std::coroutine_handle<promise_type> h;
  explicit generator(std::coroutine_handle<promise_type> h) : h(h) {}
  generator(generator &&o) noexcept : h(std::exchange(o.h, {})) {}
  ~generator() {
    if (h)
      h.destroy();
  }
  bool next() {
    h.resume();
    return !h.done();
  }
  T value() const { return h.promise().current; }
};
generator<int> fib(int n) {
  int a = 0, b = 1;
  for (int i = 0; i < n; ++i) {
    co_yield a;
    a = std::exchange(b, a + b);
  }
}

std::map<std::string, int> word_counts(std::string_view text) {
  std::map<std::string, int> counts;
  std::istringstream in{std::string(text)};
  std::string w;
  while (in >> w)
    ++counts[w];
  return counts;
}

std::vector<std::string> split(const std::string &line) {
  std::vector<std::string> out;
  std::regex ws("\\s+");
  for (std::sregex_token_iterator it(line.begin(), line.end(), ws, -1), end;
       it != end; ++it)
    if (!it->str().empty())
      out.push_back(*it);
  return out;
}

// Capability-annotated code, used correctly.
[[tacit::uses(alloc)]] std::vector<std::string> tokens(const std::string &s) {
  return split(s);
}
[[tacit::without(alloc)]] void log_line(const std::string &s) {
  static std::deque<std::string> history;
  history.push_back(s);
  if (history.size() > 8)
    history.pop_front();
}
struct Parser {
  [[tacit::uses(alloc)]] std::size_t parse(const std::string &s) {
    return tokens(s).size();
  }
};

int main() {
  auto shapes = shapes::make_some(6);
  double total = std::accumulate(
      shapes.begin(), shapes.end(), 0.0,
      [](double acc, const auto &s) { return acc + s->area(); });
  std::printf("total %.1f\n", total);
  // CHECK: total

  TopK<int> top(3);
  for (int x : {5, 1, 9, 3, 7})
    top.add(x);
  std::printf("top %d\n", top.items().front());
  // CHECK: top 1

  std::vector<Value> values{1, 2.5, std::string("x")};
  for (const auto &v : values)
    std::cout << describe(v) << '\n';

  auto g = fib(10);
  int sum = 0;
  while (g.next())
    sum += g.value();
  std::printf("fib %d\n", sum);
  // CHECK: fib 88

  auto evens = std::views::iota(0, 20) |
               std::views::filter([](int i) { return i % 2 == 0; }) |
               std::views::transform([](int i) { return i * i; });
  int s2 = 0;
  for (int e : evens)
    s2 += e;
  std::printf("ranges %d\n", s2);
  // CHECK: ranges 1140

  std::function<int(int)> fact = [&](int n) { return n <= 1 ? 1 : n * fact(n - 1); };
  std::unordered_map<std::string, std::any> bag{{"n", 3}, {"s", std::string("y")}};
  std::unordered_set<int> seen{1, 2, 3};
  std::list<std::pair<int, std::optional<int>>> pairs{{1, 2}, {3, std::nullopt}};
  std::tuple<int, std::string, std::array<int, 3>> tup{1, "z", {1, 2, 3}};

  tacit::arena request;
  Parser p;
  std::size_t words = 0;
  with_alloc(request) {
    auto counts = word_counts("a b a c b a");
    auto t = tokens("one two  three");
    words = p.parse("x y z w") + t.size() + counts.size();
    log_line("parsed");
    without_alloc { log_line("on the heap"); }
    std::thread th([] { std::this_thread::yield(); });
    th.join();
  }
  std::printf("words %zu fact %d seen %zu pairs %zu %s\n", words, fact(5),
              seen.size(), pairs.size(), std::get<1>(tup).c_str());
  // CHECK: words 10 fact 120 seen 3 pairs 2 z
  (void)bag;
}
