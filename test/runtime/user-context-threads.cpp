// User-declared contexts cross threads the way the allocator does:
// tacit::bind carries every context in effect (with the allocator's), a new
// thread starts with none, and a bound callable run on a thread that has its
// own contexts sees the carried ones, then its own again.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
#include <tacit/alloc.hpp>

#include <cstdio>
#include <future>
#include <string>
#include <thread>

struct Logger {
  const char* name;
};
TACIT_CONTEXT(logger, Logger);
TACIT_CONTEXT(request_id, int);

std::string where() {
  Logger* l = tacit::find<logger>();
  int* id = tacit::find<request_id>();
  return std::string(l ? l->name : "no logger") + ", " +
         (id ? "request " + std::to_string(*id) : "no request");
}

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  Logger main_log{"main"}, worker_log{"worker"};
  tacit::arena request;
  with_alloc(request) with_context(logger, main_log) with_context(request_id, 42) {
    std::thread plain([] { std::printf("plain thread: %s\n", where().c_str()); });
    plain.join();
    // CHECK: plain thread: no logger, no request
    std::thread bound(tacit::bind([&] {
      bool on_arena = tacit::owner_of(new std::string(where())) == &request;
      std::printf("bound thread: %s, allocates on the request: %s\n",
                  where().c_str(), on_arena ? "yes" : "NO");
    }));
    bound.join();
    // CHECK-NEXT: bound thread: main, request 42, allocates on the request: yes
    auto f = std::async(std::launch::async, tacit::bind([] { return where(); }));
    std::printf("std::async: %s\n", f.get().c_str());
    // CHECK-NEXT: std::async: main, request 42

    // A worker with its own logger runs a callable bound here: the carried
    // values while it runs, its own afterwards.
    auto job = tacit::bind([] { std::printf("job: %s\n", where().c_str()); });
    std::thread worker([&] {
      with_context(logger, worker_log) {
        job();
        std::printf("worker after the job: %s\n", where().c_str());
      }
    });
    worker.join();
    // CHECK-NEXT: job: main, request 42
    // CHECK-NEXT: worker after the job: worker, no request
  }
  // Many threads at once, each carrying the same values.
  int right = 0;
  std::atomic<int> seen{0};
  with_context(request_id, 7) {
    std::thread ts[8];
    for (auto& t : ts)
      t = std::thread(tacit::bind([&] {
        if (tacit::find<request_id>() && *tacit::find<request_id>() == 7)
          seen.fetch_add(1);
      }));
    for (auto& t : ts) t.join();
    right = seen.load();
  }
  std::printf("threads that saw request 7: %d of 8\n", right);
  // CHECK-NEXT: threads that saw request 7: 8 of 8
}
