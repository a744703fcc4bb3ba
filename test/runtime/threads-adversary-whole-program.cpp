// A whole program in one scope, as users will write it: main's body in
// with_alloc(program), and a thread pool made inside it — its threads'
// states, its queue and every job's std::function are the arena's, made on
// the home thread and freed on the pool's threads, which run each job in
// the arena through tacit::bind. Two hundred requests, each fanned out to the
// pool as std::packaged_task (nlohmann::json, std::regex, std::to_string,
// exceptions caught in the job), plus a std::async job whose exception (its
// message made on that thread) is rethrown and destroyed on the home
// thread, and a std::shared_ptr whose last reference is dropped on a pool
// thread. Every reply equals the reply computed on the global heap with no
// threads, every reply is the arena's, and (with reuse) the arena holds a
// small part of what it hands out.
// REQUIRES: nlohmann
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
// Checked mode: the arena is shared by design; nothing outlives its scope.
// RUN: env TACIT_CHECK=1 %t 2>&1 | FileCheck %s --check-prefixes=CHECK,QUIET
// QUIET-NOT: tacit check
#include <tacit/alloc.hpp>

#include <nlohmann/json.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "ledger.hpp"
#include "threads.hpp"

constexpr int requests = 200;
constexpr int jobs = 8;
constexpr std::size_t MiB = std::size_t{1} << 20;

// Ordinary code, knowing nothing of allocators or threads.
std::string handle(int request, int job) {
  nlohmann::json j;
  j["request"] = request;
  j["job"] = job;
  for (int i = 0; i < 10 + (request + job) % 20; ++i)
    j["lines"].push_back("line " + std::to_string(i * job) +
                         std::string(i % 30, '.'));
  std::string text = j.dump();
  auto back = nlohmann::json::parse(text);
  std::regex number("[0-9]+");
  std::size_t numbers =
      std::distance(std::sregex_iterator(text.begin(), text.end(), number),
                    std::sregex_iterator());
  std::string error;
  try {
    if (job % 3 == 0)
      throw std::invalid_argument("job " + std::to_string(job) +
                                  std::string(40, '!'));
  } catch (const std::exception& e) {
    error = e.what();
  }
  return std::to_string(back["lines"].size()) + ":" + std::to_string(numbers) +
         ":" + error.substr(0, 8) + ":" +
         back["lines"].back().get<std::string>();
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

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  alarm(100);
  bool reuse = reuse_on();  // (and the first arena chunk, on this thread)
  std::vector<std::string> expect;
  for (int r = 0; r < requests; ++r)
    for (int j = 0; j < jobs; ++j) expect.push_back(handle(r, j));

  tacit::arena program;
  int wrong = 0, not_ours = 0, exceptions = 0, dropped_there = 0;
  with_alloc(program) {
    // A plain pool; inside the scope everything it makes is the arena's,
    // its queue too (submit_in_scope).
    pool workers(4);
    for (int r = 0; r < requests; ++r) {
      std::vector<std::future<std::string>> replies;
      for (int j = 0; j < jobs; ++j) {
        auto task = std::make_shared<std::packaged_task<std::string()>>(
            tacit::bind([r, j] { return handle(r, j); }));
        replies.push_back(task->get_future());
        workers.submit_in_scope([task] { (*task)(); });
      }
      auto failing =
          std::async(std::launch::async, tacit::bind([r]() -> int {
                       throw std::runtime_error("request " + std::to_string(r) +
                                                std::string(100, '?'));
                     }));
      auto doc = std::make_shared<nlohmann::json>(
          nlohmann::json{{"r", r}, {"pad", std::string(500, 'p')}});
      std::atomic<bool> last{false};
      {
        std::promise<void> done;
        auto seen = done.get_future();
        // The job takes the only reference: the control block and the
        // document, made here, are freed there.
        workers.submit_in_scope(
            tacit::bind([doc = std::move(doc), &last, &done]() mutable {
              last = doc.use_count() == 1 && (*doc)["r"].get<int>() >= 0;
              doc.reset();
              done.set_value();
            }));
        seen.wait();
      }
      dropped_there += last;
      for (int j = 0; j < jobs; ++j) {
        std::string got = replies[j].get();
        wrong += got != expect[r * jobs + j];
        not_ours += tacit::owner_of(got.data()) != &program;  // (none is short)
      }
      try {
        failing.get();
      } catch (const std::runtime_error& e) {
        exceptions +=
            std::string(e.what()).rfind("request " + std::to_string(r), 0) == 0;
      }
    }
  }  // the pool ends here: its threads joined, its state freed
  auto s = program.stats();
  std::printf(
      "%d requests: replies %s, %s the arena's, exceptions %s, shared_ptr "
      "dropped on a pool thread %s\n",
      requests, wrong ? "WRONG" : "right", not_ours ? "NOT all" : "all",
      exceptions == requests ? "rethrown" : "LOST",
      dropped_there == requests ? "every time" : "NOT every time");
  // CHECK: 200 requests: replies right, all the arena's, exceptions rethrown, shared_ptr dropped on a pool thread every time
  bool near = !reuse || s.peak_chunk_bytes <= 4 * MiB;  // of 25 MB handed out
  std::printf("chunk memory: %s\n",
              near ? "a small part of what it handed out" : "GROWS");
  if (!near)
    std::printf("  peak %zu for %zu bytes handed out\n", s.peak_chunk_bytes,
                s.bytes);
  // CHECK-NEXT: chunk memory: a small part of what it handed out
}
