// Real libraries on worker threads, in ONE long-lived arena they share:
// nlohmann::json, {fmt}, Boost.PropertyTree, std::regex, exceptions (their
// messages are libstdc++'s COW strings, freed unsized), std::function,
// std::make_shared. Four threads, each in a with_alloc scope of the shared
// arena, do the work and also pass whole JSON documents (trees of maps,
// vectors and strings made on one thread) to the next thread, which reads
// and destroys them: every node freed on another thread than the one that
// made it. The results must equal the same work on the global heap, the
// documents must arrive intact, and (with reuse) the arena must stay near
// its live data: it allocates about 170 MB in all (1,500 iterations), and
// its chunks never pass 16 MiB (they peak near 4 MiB).
// REQUIRES: nlohmann, fmt, boost
// RUN: %tacitxx -std=c++20 -O2 -Wno-deprecated-declarations %support %s -o %t -lfmt && %t | FileCheck %s
// Checked mode (fewer iterations: it tracks every block under one lock):
// the arena is shared by design; nothing outlives its scope.
// RUN: env TACIT_CHECK=1 %t 300 2>&1 | FileCheck %s --check-prefixes=CHECK,QUIET
// QUIET-NOT: tacit check
#include <tacit/alloc.hpp>

#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <barrier>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "ledger.hpp"

constexpr int threads = 4;
int iters = 1500;  // (argv[1])
constexpr std::size_t MiB = std::size_t{1} << 20;

std::size_t work(int t, int i) {
  std::size_t h = 0;
  nlohmann::json j = {{"id", i},
                      {"name", fmt::format("user-{:05d}-{}", i, t)},
                      {"tags", {"a", "b", std::to_string(i * t)}}};
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
  char* buf = new char[1 + (i * 37 + t) % 3000];  // freed unsized
  buf[0] = 'x';
  h += buf[0] == 'x';
  delete[] buf;
  try {
    if (i % 2) throw std::runtime_error(fmt::format("failure {} on {}", i, t));
    throw std::out_of_range(std::string(50 + i % 100, 'e'));
  } catch (const std::exception& e) {
    h += std::strlen(e.what());
  }
  std::function<std::size_t()> f = [s, k] { return s.size() + k.size(); };
  h += f();
  auto sp = std::make_shared<std::map<int, std::string>>();
  for (int n = 0; n < 20; ++n) (*sp)[n] = std::string(n * 3 + t, 'm');
  h += sp->size();
  return h;
}

nlohmann::json document(int t, int i) {
  nlohmann::json d;
  d["from"] = t;
  d["seq"] = i;
  for (int n = 0; n < 8 + i % 8; ++n)
    d["items"].push_back(
        {{"n", n}, {"text", std::string(10 + (n * 13 + i) % 200, 'd')}});
  return d;
}

std::size_t reference[threads];

// Documents in flight: made by thread t, read and destroyed by thread t + 1.
struct mailbox {
  std::mutex m;
  std::vector<nlohmann::json*> q;
};
mailbox boxes[threads];

tacit::arena shared;
std::atomic<int> bad{0};

std::atomic<int> done_sending{0};

// Reads and destroys the documents the previous thread sent.
void receive(int t) {
  std::vector<nlohmann::json*> got;
  {
    std::lock_guard<std::mutex> hold(boxes[t].m);
    got.swap(boxes[t].q);
  }
  for (nlohmann::json* g : got) {
    int from = (*g)["from"].get<int>(), seq = (*g)["seq"].get<int>();
    if (from != (t + threads - 1) % threads || *g != document(from, seq) ||
        tacit::owner_of(g) != &shared)
      ++bad;
    delete g;  // made on another thread
  }
  without_alloc std::vector<nlohmann::json*>().swap(got);
}

void run(int t, std::barrier<>& sync) {
  with_alloc(shared) {
    std::size_t h = 0;
    for (int i = 0; i < iters; ++i) {
      h += work(t, i);
      auto* d = new nlohmann::json(document(t, i));
      {
        std::lock_guard<std::mutex> hold(boxes[(t + 1) % threads].m);
        without_alloc boxes[(t + 1) % threads].q.push_back(d);
      }
      receive(t);
    }
    if (h != reference[t]) ++bad;
    // Keep reading until every thread has sent its last document.
    ++done_sending;
    while (done_sending < threads) {
      receive(t);
      std::this_thread::yield();
    }
    receive(t);
    sync.arrive_and_wait();  // every document freed before any scope ends
  }
}

bool reuse_on() {
  tacit::arena probe;
  void* a;
  void* b;
  with_alloc(probe) {
    a = ::operator new(64);
    ::operator delete(a, 64);
    b = ::operator new(64);
    ::operator delete(b, 64);
  }
  return a == b;
}

int main(int argc, char** argv) {
  if (argc > 1) iters = std::atoi(argv[1]);
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  alarm(100);
  // (Also the process's first arena chunk, taken here on the main thread:
  // see threads-adversary-range-publish.)
  bool reuse = reuse_on();
  for (int t = 0; t < threads; ++t)
    for (int i = 0; i < iters; ++i) reference[t] += work(t, i);
  for (auto& b : boxes) b.q.reserve(1024);
  std::barrier<> sync(threads);
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t)
    ts.emplace_back([t, &sync] { run(t, sync); });
  for (auto& t : ts) t.join();
  auto s = shared.stats();
  bool near = !reuse || s.peak_chunk_bytes <= 16 * MiB;
  std::printf("four threads, one arena: results %s, documents %s\n",
              bad ? "WRONG" : "the same as on the heap",
              bad ? "DAMAGED" : "intact across threads");
  std::printf("chunk memory: %s\n", near ? "near the live data" : "GROWS");
  if (!near)
    std::printf("  peak %zu bytes for %zu allocated\n", s.peak_chunk_bytes,
                s.bytes);
  // CHECK: four threads, one arena: results the same as on the heap, documents intact across threads
  // CHECK-NEXT: chunk memory: near the live data
}
