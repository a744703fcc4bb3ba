// examples/fan_out.cpp — one request, split over workers, on one arena.
//
// A request (a batch of documents to index) is handled inside
// with_alloc(request): the handler splits it into parts and hands each part
// to a worker thread with tacit::bind, which carries the request's context
// there. The workers and the handler allocate in the same arena at once —
// each thread in a lane of its own, with no lock — and the results they hand
// back are freed by whoever is done with them. The task tree is the
// allocator tree: when the request ends, its arena ends, with every
// thread's memory in it.
//
// Build: build/bin/tacit++ -std=c++20 -O2 examples/fan_out.cpp -o fan_out
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <tacit/alloc.hpp>

#include <cstdio>
#include <future>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

// Ordinary code: no allocator parameters, no std::pmr types.
std::map<std::string, int> index_words(const std::vector<std::string>& docs) {
  std::map<std::string, int> counts;
  for (const auto& doc : docs) {
    std::istringstream in(doc);
    for (std::string w; in >> w;) ++counts[w];
  }
  return counts;
}

std::vector<std::string> make_documents(int request, int n) {
  static const char* words[] = {"arena", "lane",  "thread", "scope",
                                "block", "chunk", "free",   "reuse"};
  std::vector<std::string> docs;
  for (int d = 0; d < n; ++d) {
    std::string doc;
    for (int w = 0; w < 50; ++w)
      doc += std::string(words[(request * 7 + d * 3 + w * w) % 8]) + " ";
    docs.push_back(doc);
  }
  return docs;
}

int main() {
  constexpr int workers = 3;
  for (int r = 1; r <= 3; ++r) {
    tacit::arena request;  // this request's memory, for every thread on it
    std::size_t distinct = 0;
    int total = 0;
    with_alloc(request) {
      auto docs = make_documents(r, 600);
      // Fan out: each worker indexes a part, on the request's arena.
      std::vector<std::future<std::map<std::string, int>>> parts;
      std::size_t step = docs.size() / (workers + 1);
      for (int w = 0; w < workers; ++w) {
        std::vector<std::string> part(docs.begin() + w * step,
                                      docs.begin() + (w + 1) * step);
        parts.push_back(std::async(
            std::launch::async,
            tacit::bind([part = std::move(part)] { return index_words(part); })));
      }
      // The handler indexes the last part itself, meanwhile.
      std::vector<std::string> mine(docs.begin() + workers * step, docs.end());
      auto merged = index_words(mine);
      for (auto& f : parts)
        for (const auto& [word, n] : f.get()) merged[word] += n;  // freed here
      distinct = merged.size();
      for (const auto& [word, n] : merged) total += n;
    }
    auto s = request.stats();
    std::printf("request %d: %d words, %zu distinct\n", r, total, distinct);
    std::printf(
        "  arena: %zu threads, %zu allocations, %zu reused, %zu freed on "
        "another thread than their own (handed back to it); %zu KiB of "
        "chunks at most\n",
        s.threads, s.allocations, s.reused, s.remote_frees,
        s.peak_chunk_bytes / 1024);
  }
}
