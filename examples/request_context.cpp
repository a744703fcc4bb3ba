// examples/request_context.cpp — contexts beyond the allocator: a request id,
// a logger and a deadline flow through ordinary code with no parameter
// added, checked at compile time, and carried into a worker thread.
//
// Today such values are threaded by hand through every layer (Go's
// context.Context), or kept in a thread-local that a worker thread or a
// callback loses. Here each is declared once with TACIT_CONTEXT, provided by
// a scope, and read where it is needed; a function that needs one says so
// at its signature (TACIT_USES, i.e. [[tacit::uses(...)]]), and the plugin
// checks every call: with -DSHOW_MISSING_CONTEXT this file does not compile,
// because `audit_line` logs outside any scope that provides the logger.
//
// Build: tacit++ -std=c++20 examples/request_context.cpp -o request_context
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <tacit/alloc.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

// What a server threads through every call today.
struct Logger {
  std::string prefix;
  void info(const std::string& what) const {
    std::printf("%s %s\n", prefix.c_str(), what.c_str());
  }
};
struct Deadline {
  std::chrono::steady_clock::time_point at;
  static Deadline never() { return {std::chrono::steady_clock::time_point::max()}; }
  bool passed() const { return std::chrono::steady_clock::now() > at; }
};

TACIT_CONTEXT(logger, Logger);
TACIT_CONTEXT(request_id, long);
TACIT_CONTEXT(deadline, Deadline, Deadline::never());  // a default: optional

// Three layers of ordinary code: none takes a logger, an id or a deadline.
TACIT_USES(logger, request_id)
void log(const std::string& what) {
  tacit::get<logger>().info("[request " + std::to_string(tacit::get<request_id>()) +
                            "] " + what);
}

TACIT_USES(logger, request_id)
int score(const std::string& word) {
  if (tacit::get<deadline>().passed()) {  // a default: no scope needed
    log("deadline passed, scoring " + word + " as 0");
    return 0;
  }
  return static_cast<int>(word.size());
}

// The worker's part. (A named callable rather than a lambda: a lambda's body
// is a function of its own and would state what it uses the same way, with
// an attribute that is C++23 syntax on a lambda.)
struct rescore {
  const std::vector<std::string>& words;
  int& total;
  TACIT_USES(logger, request_id) void operator()() const {
    log("worker scoring the words again");
    for (const auto& w : words) total += score(w);
  }
};

TACIT_USES(alloc, logger, request_id)
int handle(const std::vector<std::string>& words) {
  log("handling " + std::to_string(words.size()) + " words");
  int total = 0;
  for (const auto& w : words) total += score(w);
  // Half of the work on a worker thread: tacit::bind carries every context
  // in effect (the arena too), so the worker logs under the same request.
  int worker_total = 0;
  std::thread worker(tacit::bind(rescore{words, worker_total}));
  worker.join();
  log("total " + std::to_string(total) + ", worker " + std::to_string(worker_total));
  return total;
}

#ifdef SHOW_MISSING_CONTEXT
void audit_line() {
  log("who is logging here?");  // error: requires the 'logger' context
}
#endif

int main() {
  Logger stdout_log{"app:"};
  std::vector<std::string> words = {"implicit", "and", "checked"};
  for (long id = 1; id <= 2; ++id) {
    tacit::arena request_memory;
    with_alloc(request_memory) with_context(logger, stdout_log)
        with_context(request_id, id) {
      if (id == 2) {
        // This request has already run out of time.
        with_context(deadline, Deadline{std::chrono::steady_clock::now()}) {
          handle(words);
        }
      } else {
        handle(words);
      }
    }
  }
  // Outside every scope the values are gone: find is the read that may
  // find none.
  std::printf("after the requests: %s\n",
              tacit::find<logger>() ? "a logger" : "no logger");
}
