// examples/capabilities.cpp — "may allocate, and where", declared in the
// signature and checked by the compiler.
//
// [[tacit::uses(alloc)]] says a function is written to allocate from its
// caller's scope: every call must be inside with_alloc, or inside another
// function that says uses(alloc) — the requirement flows up the call chain,
// as a Rust capability would, and the plugin rejects a call that has no
// context. [[tacit::without(alloc)]] says the opposite: the function's body
// runs on the global heap, whatever scope its caller is in — for caches and
// logs, data that must outlive any arena.
//
// Below: a pipeline of uses(alloc) functions (tokenize -> count -> report,
// driven by analyse), and a without(alloc) cache of interned words. Compile
// with -DSHOW_MISSING_CONTEXT to see the error for a call that lacks a
// context (test/examples/capabilities-missing-context.test checks it).
//
// The attributes need the plugin (tacit++, or the CMake helper
// tacit_enable_plugin). Without it they are ignored (clang warns about
// unknown attributes; <tacit/alloc.hpp>'s TACIT_USES_ALLOC and
// TACIT_WITHOUT_ALLOC spellings vanish silently instead), nothing is checked,
// and without(alloc) is not lowered: the cache would fill from the caller's
// arena.
//
// Build: build/bin/tacit++ -std=c++20 -O2 examples/capabilities.cpp -o capabilities
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <cstdio>
#include <map>
#include <string>
#include <string_view>
#include <tacit/alloc.hpp>
#include <unordered_set>
#include <vector>

// ---- The pipeline: each stage allocates from its caller's scope. ----------
[[tacit::uses(alloc)]] std::vector<std::string> tokenize(
    std::string_view text) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) words.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

[[tacit::uses(alloc)]] std::map<std::string, int> count(
    const std::vector<std::string>& words) {
  std::map<std::string, int> counts;
  for (const auto& w : words) ++counts[w];
  return counts;
}

[[tacit::uses(alloc)]] std::string report(
    const std::map<std::string, int>& counts) {
  std::string out;
  for (const auto& [word, n] : counts)
    out += word + "=" + std::to_string(n) + " ";
  return out;
}

// A uses(alloc) function is a context for its callees: no with_alloc here.
[[tacit::uses(alloc)]] std::string analyse(std::string_view text) {
  return report(count(tokenize(text)));
}

// ---- The cache: on the global heap, whoever calls it. ---------------------
[[tacit::without(alloc)]] const std::string& intern(std::string_view word) {
  static std::unordered_set<std::string> words;
  return *words.emplace(word).first;
}

#ifdef SHOW_MISSING_CONTEXT
// Not a context: an ordinary function, called from main outside with_alloc.
std::string forgot_the_scope() {
  return analyse("no scope around this call");  // error: needs a context
}
#endif

int main() {
  const char* text =
      "the pipeline allocates on the arena the cache on the global heap";
  const std::string* longest = nullptr;
  {
    tacit::arena document;
    with_alloc(document) {
      std::string summary = analyse(text);
      std::printf("summary: %s\n", summary.c_str());
      std::printf("summary on the document arena: %s\n",
                  tacit::owner_of(summary.data()) == &document ? "yes" : "no");
      for (const auto& w : tokenize(text))
        if (!longest || w.size() > longest->size()) longest = &intern(w);
    }
  }  // the arena is gone; the cache is not
  std::printf(
      "interned \"%s\" on the global heap: %s\n", longest->c_str(),
      tacit::owner_of(longest->data()) == &tacit::global() ? "yes" : "no");
  return 0;
}
