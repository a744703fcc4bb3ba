// examples/request_arena.cpp — one arena per request, stock std:: types.
//
// Each "request" (a line of text) is handled inside with_alloc(arena): the
// words, the counts and the reply are ordinary std::vector, std::string and
// std::unordered_map, built by ordinary functions that know nothing of
// allocators — and all of it lands on the request's arena. When the request
// ends, its arena ends, and its memory goes back in one step.
//
// Build: build/bin/tacit++ -std=c++20 -O2 examples/request_arena.cpp -o request_arena
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <tacit/alloc.hpp>
#include <unordered_map>
#include <vector>

// Ordinary code: no allocator parameters, no std::pmr types.
std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> words;
  std::istringstream in(line);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

std::string summarise(const std::vector<std::string>& words) {
  std::unordered_map<std::string, int> counts;
  for (const auto& w : words) ++counts[w];
  std::map<int, std::vector<std::string>, std::greater<>> by_count;
  for (const auto& [w, n] : counts) by_count[n].push_back(w);
  std::string reply = std::to_string(words.size()) + " words, " +
                      std::to_string(counts.size()) + " distinct; most often:";
  for (const auto& w : by_count.begin()->second) reply += " " + w;
  return reply;
}

int main() {
  const char* requests[] = {
      "the quick brown fox jumps over the lazy dog the end",
      "to be or not to be that is the question to ask",
      "a rose is a rose is a rose",
  };
  int n = 0;
  for (const char* line : requests) {
    tacit::arena request;  // this request's memory
    std::size_t reply_length = 0;
    with_alloc(request) {
      std::string text = line;
      auto words = split(text);
      std::string reply = summarise(words);
      reply_length = reply.size();
      std::printf("request %d: %s\n", ++n, reply.c_str());
    }
    auto s = request.stats();
    std::printf(
        "  arena: %zu allocations, %zu bytes, %zu chunk(s); "
        "reply %zu chars\n",
        s.allocations, s.bytes, s.chunks, reply_length);
  }
  return 0;
}
