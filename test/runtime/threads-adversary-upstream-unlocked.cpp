// An arena whose upstream is a resource that is not thread-safe, made with
// that upstream (not inside a scope of it), carried to a worker by
// tacit::bind: the worker's lane takes its chunks from the resource, while
// the home thread allocates in the same resource through a scope of its
// own. Every call Tacit makes into the resource must be one at a time
// (docs/reference.md, Threads: "every call Tacit makes into it —
// operator new's and operator delete's, an arena's chunks — takes that
// resource's lock").
//
// Found failing: operator new and delete took the lock only once bind had
// carried the resource itself, and bind here carries only the arena. Now
// tacit::bind, carrying an arena, marks its upstream shared (on the home
// thread, before the worker exists), so the home thread's own operator new
// into the resource locks too.
//
// Each call of the resource waits (up to 1 s) for a second thread to come
// in: called one at a time, none ever does.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t && %t | FileCheck %s
#include <tacit/alloc.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory_resource>
#include <new>
#include <thread>
#include <unistd.h>
#include <vector>

#include "ledger.hpp"
#include "threads.hpp"

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  alarm(20);
  one_at_a_time r;
  {
    tacit::arena a(r);  // its chunks come from r
    std::atomic<bool> go{false};
    std::thread worker;
    with_alloc(a) {
      auto job = tacit::bind([&] {
        while (!go) std::this_thread::yield();
        std::vector<char> v(100000);  // the worker's lane asks r for a chunk
        keep(v);
      });
      without_alloc worker = std::thread(std::move(job));
    }
    with_alloc(r) {  // the home thread's own scope of r
      go = true;
      auto* v = new std::vector<char>(5000);  // operator new calls r
      keep(v);
      delete v;
    }
    worker.join();
  }
  std::printf("%d calls, overlaps: %d\n", r.calls.load(), r.overlaps.load());
  // CHECK: {{[0-9]+}} calls, overlaps: 0
}
