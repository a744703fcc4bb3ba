// Arena reuse with cross-thread frees and a real library: the home thread
// churns nlohmann::json documents in one long arena scope (results compared
// with the same work on the global heap) while a worker frees blocks the
// home thread allocated and hands back; then tacit::bind carries the arena to
// a worker (reuse stops) and the home thread keeps freeing. Contents of the
// blocks in flight are checked on the worker; the ledger upstream ends empty.
// REQUIRES: nlohmann
// UNSUPPORTED: tacit-asan
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t -lpthread && %t | FileCheck %s
// RUN: env TACIT_CHECK=1 %t 2>&1 | FileCheck %s --check-prefixes=CHECK,QUIET
// QUIET-NOT: tacit:
#include <tacit/alloc.hpp>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>
#include <nlohmann/json.hpp>

#include "ledger.hpp"

namespace {

std::string work(int i) {
  nlohmann::json j;
  j["id"] = i;
  j["name"] = "item-" + std::to_string(i);
  for (int k = 0; k < 20 + i % 13; ++k) j["list"].push_back({{"k", k}, {"s", std::string(k % 40, 'x')}});
  auto text = j.dump();
  auto back = nlohmann::json::parse(text);
  back["list"].erase(back["list"].begin());
  return back.dump().substr(0, 64) + std::to_string(back["list"].size());
}

// A mailbox of blocks the home thread made, freed by the worker.
struct msg { char* p; std::size_t n; unsigned char tag; };
std::mutex m;
std::vector<msg>* box;  // allocated on the heap, outside the scope
std::atomic<bool> done{false};
std::atomic<int> bad{0};

}  // namespace

int main() {
  std::vector<std::string> expect;
  for (int i = 0; i < 400; ++i) expect.push_back(work(i));
  box = new std::vector<msg>();
  box->reserve(1 << 16);
  ledger up("upstream");
  {
    tacit::arena a(up);
    std::thread worker([] {
      while (!done.load() || !box->empty()) {
        std::vector<msg> take;
        take.reserve(1024);
        {
          std::lock_guard<std::mutex> g(m);
          while (!box->empty() && take.size() < 1024) { take.push_back(box->back()); box->pop_back(); }
        }
        for (auto& x : take) {
          for (std::size_t i = 0; i < x.n; ++i) if ((unsigned char)x.p[i] != x.tag) { ++bad; break; }
          ::operator delete(x.p, x.n);  // a remote free: only counted
        }
      }
    });
    int mismatches = 0;
    with_alloc(a) {
      for (int round = 0; round < 5; ++round)
        for (int i = 0; i < 400; ++i) {
          if (work(i) != expect[i]) ++mismatches;
          for (int k = 0; k < 8; ++k) {
            std::size_t n = 1 + (i * 37 + k * 11) % 900;
            auto* p = static_cast<char*>(::operator new(n));
            unsigned char tag = static_cast<unsigned char>(1 + (i + k) % 250);
            std::memset(p, tag, n);
            std::lock_guard<std::mutex> g(m);
            box->push_back({p, n, tag});
          }
        }
      done = true;
      worker.join();
      std::printf("json on the arena: %d mismatches; blocks freed remotely intact: %s\n",
                  mismatches, bad ? "NO" : "yes");
      // Now share the arena with a worker through tacit::bind, and keep
      // churning on the home thread.
      std::vector<std::string> got(100);
      std::thread t(tacit::bind([&] { for (int i = 0; i < 100; ++i) got[i] = work(i); }));
      t.join();
      for (int i = 0; i < 100; ++i) {
        if (got[i] != expect[i]) ++mismatches;
        if (work(i + 100) != expect[i + 100]) ++mismatches;
      }
      std::printf("after bind: %d mismatches\n", mismatches);
    }
  }
  std::printf("upstream live after the arena: %zu\n", up.live());
  delete box;
}
// CHECK: json on the arena: 0 mismatches; blocks freed remotely intact: yes
// CHECK-NEXT: after bind: 0 mismatches
// CHECK-NEXT: upstream live after the arena: 0
