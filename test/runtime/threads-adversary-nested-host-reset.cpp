// reset() and the destructor "refuse to run while running_ says another
// thread is inside: they never race a plain free or a bump"
// (docs/internals.md, "Arenas that threads share"). A thread also bumps in an
// arena's lane when an arena nested on it takes a chunk: here `inner`, made
// with `host` as its upstream, is carried to a worker by tacit::bind, and
// the worker's lane of inner asks the worker's lane of host for a chunk,
// which asks host's upstream (a gate that holds the call). While the worker
// is in the middle of that refill of host's lane, the home thread resets
// host: the reset must be refused, as it is for a thread inside host.
//
// Found failing: the worker asking host for inner's chunk never entered
// host, so reset() ran under its refill. Now acquire_chunk enters the host
// (on a thread other than its home) for the call (inside_arena), and the
// reset is refused as for any thread inside.
// RUN: %tacitxx -std=c++20 -O2 %support %s -o %t
// RUN: not --crash %t 2>&1 | FileCheck %s
// CHECK: tacit: tacit::arena 0x{{[0-9a-f]+}} reset while 1 other thread is still inside it
// CHECK-NOT: host reset while a thread was taking a chunk of it
#include <tacit/alloc.hpp>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory_resource>
#include <thread>
#include <unistd.h>
#include <vector>

#include "ledger.hpp"

// An upstream that holds its next call until told to go on.
class gate final : public std::pmr::memory_resource {
 public:
  std::atomic<bool> armed{false}, inside{false}, go{false};
  std::atomic<std::size_t> live_bytes{0};

 private:
  void* do_allocate(std::size_t n, std::size_t a) override {
    if (armed.exchange(false)) {
      inside = true;
      while (!go) std::this_thread::yield();
    }
    live_bytes += n;
    return std::aligned_alloc(a, n);
  }
  void do_deallocate(void* p, std::size_t n, std::size_t) override {
    live_bytes -= n;
    std::free(p);
  }
  bool do_is_equal(const memory_resource& o) const noexcept override {
    return this == &o;
  }
};

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  alarm(20);
  gate g;
  tacit::arena host(g);
  tacit::arena inner(static_cast<std::pmr::memory_resource&>(host));
  std::thread worker;
  with_alloc(inner) {
    auto job = tacit::bind([] {
      std::vector<char> v(1000);  // inner -> host (the worker's lane) -> g
      keep(v);
    });
    g.armed = true;
    without_alloc worker = std::thread(std::move(job));
  }
  while (!g.inside) std::this_thread::yield();
  host.reset();  // the worker is inside host's refill, on its lane
  std::printf("host reset while a thread was taking a chunk of it\n");
  g.go = true;
  worker.join();
  auto s = host.stats();
  std::printf(
      "host: %zu chunks, %zu chunk bytes; its upstream holds %zu bytes "
      "for it\n",
      s.chunks, s.chunk_bytes, g.live_bytes.load());
}
