// examples/conversions.cpp — the conversions that allocate behind your back,
// all on the arena.
//
// A string literal becoming a std::string, std::to_string, operator+, a
// std::string made from a std::string_view, a std::ostringstream's result:
// none of them takes an allocator (std::to_string has no allocator-taking
// form at all, so std::pmr code has to copy its result). Inside
// with_alloc(arena) they need none: each allocation goes to the arena, which
// tacit::owner_of confirms block by block, and the arena's statistics count.
//
// Short strings fit in std::string's own small buffer (15 characters in
// libstdc++) and allocate nothing; the first line shows that too.
//
// Build: build/bin/tacit++ -std=c++20 -O2 examples/conversions.cpp -o conversions
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <cstdio>
#include <sstream>
#include <string>
#include <string_view>
#include <tacit/alloc.hpp>

tacit::arena text;

// Prints where `s`'s characters live and how many arena allocations the
// conversion that made it took.
void report(const char* what, const std::string& s, std::size_t before) {
  const std::pmr::memory_resource* owner = tacit::owner_of(s.data());
  const char* self = reinterpret_cast<const char*>(&s);
  bool inline_buffer = s.data() >= self && s.data() < self + sizeof s;
  const char* where = inline_buffer               ? "in the string itself"
                      : owner == &text            ? "on the arena"
                      : owner == &tacit::global() ? "on the global heap"
                                                  : "elsewhere";
  std::printf("%-28s \"%s\": %s, %zu arena allocation(s)\n", what, s.c_str(),
              where, text.stats().allocations - before);
}

int main() {
  with_alloc(text) {
    std::size_t n = text.stats().allocations;
    std::string hello = "hello";
    report("literal (short)", hello, n);

    n = text.stats().allocations;
    std::string greeting = "hello, arena-backed world";
    report("literal (long)", greeting, n);

    n = text.stats().allocations;
    std::string big = std::to_string(1234567890123456789LL);
    report("std::to_string", big, n);

    n = text.stats().allocations;
    std::string joined = greeting + ", " + hello + "!";
    report("concatenation", joined, n);

    n = text.stats().allocations;
    std::string_view view = std::string_view(joined).substr(7, 18);
    std::string copied(view);
    report("std::string(string_view)", copied, n);

    n = text.stats().allocations;
    std::ostringstream out;
    out << "pi is about " << 3.14159 << ", e about " << 2.71828;
    std::string formatted = out.str();
    report("std::ostringstream::str()", formatted, n);
  }

  // The same conversion outside any scope: the global heap, as usual.
  std::string outside = "hello, arena-backed world";
  std::printf("outside with_alloc: %s\n",
              tacit::owner_of(outside.data()) == &tacit::global()
                  ? "on the global heap"
                  : "elsewhere");
  return 0;
}
