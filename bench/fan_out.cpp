// bench/fan_out.cpp — one request fanned out to N threads (N = 1, 2, 4), on
// one arena the threads share, on an arena per thread, or on the global heap.
//
// A request churns kSteps records through a bounded live set (kLive records
// at once; each a std::string key, a std::vector of std::string fields, a
// std::map node, and a transient formatted line), split evenly over its N
// threads: each thread builds and drops its share, keeping at most kLive / N
// records, and hands back kReply strings, which the request's own thread
// joins into a reply and then frees. The same request, whatever N: its total
// work and live data stay the same, and the time per request shows what the
// threads gain (this machine has two hardware threads).
//
//   BM_fan_out_shared_arena      ONE tacit::arena per request: the handler's
//                                with_alloc(arena), carried to the workers by
//                                tacit::bind (each thread a lane of its own;
//                                the parts it hands back are freed by the
//                                handler: remote frees, through the lanes'
//                                mailboxes)
//   BM_fan_out_arena_per_thread  each worker's own tacit::arena for its part,
//                                the part's reply copied out under
//                                without_alloc (the arena ends with the part)
//   BM_fan_out_global_heap       no scope: the global heap (glibc, or the
//                                preloaded allocator)
//
// The workers are a pool of N threads made before the timed loop (as a
// server's are); the handler waits for them. Wall time (UseRealTime), and a
// fixed number of requests per variant so that the peak resident set
// (peak_rss_bytes) measures the same work: bench/run runs each variant in a
// process of its own. The CPU time of the whole process per request
// (process_cpu_ns: every thread's, the workers' waits excluded) is reported
// too: on a machine with other load it moves much less than wall time.
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "tacit_bench.hpp"

#include <atomic>
#include <cstdint>
#include <ctime>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int kRequests = 10;  // iterations per variant (peak RSS: same work)
constexpr int kSteps = 32000;  // records churned per request, all threads
constexpr int kLive = 8000;    // records alive at once per request, all threads
constexpr int kReply = 48;     // strings each thread hands back

struct rng {
  std::uint64_t s;
  std::uint32_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return std::uint32_t(s);
  }
  std::size_t below(std::size_t n) { return next() % n; }
};

const char kText[] =
    "Tacit gives C++ scoped implicit allocator contexts: every operator new "
    "in the block and everything it calls comes from the scope's resource, "
    "a bump arena or any std::pmr::memory_resource, with no change to code. "
    "A request fans out: a handler hands work to a pool of threads.";

// Stock code: one thread's share of a request. Knows nothing of allocators.
std::vector<std::string> part(int request, int index, int threads) {
  const int steps = kSteps / threads;
  const std::size_t live = kLive / threads;
  rng r{(std::uint64_t(request) << 32 | std::uint32_t(index)) *
            0x9E3779B97F4A7C15ull +
        1};
  std::map<std::string, std::vector<std::string>> records;
  std::vector<std::string> order(live);  // keys, oldest first (a ring)
  std::size_t lines = 0;
  for (int i = 0; i < steps; ++i) {
    std::string key = "request-" + std::to_string(request) + "/record-" +
                      std::to_string(r.next());
    std::vector<std::string> fields;
    const std::size_t n = 1 + r.below(6);
    for (std::size_t k = 0; k < n; ++k)
      fields.emplace_back(kText + r.below(60), 8 + r.below(120));
    std::string line = key + ": " + fields.front();  // transient
    lines += line.size();
    std::string& oldest = order[std::size_t(i) % live];
    if (!oldest.empty()) records.erase(oldest);
    oldest = key;
    records.emplace(std::move(key), std::move(fields));
  }
  std::vector<std::string> reply;
  reply.reserve(kReply);
  for (auto it = records.begin(); it != records.end() && reply.size() < kReply;
       ++it)
    reply.push_back(it->first + "=" + it->second.back());
  reply.push_back(std::to_string(lines));
  return reply;
}

// The handler joins the threads' parts into a reply.
std::size_t reply(const std::vector<std::vector<std::string>>& parts) {
  std::string out;
  for (const auto& p : parts)
    for (const auto& s : p) {
      out += s;
      out += '\n';
    }
  return out.size();
}

// CPU time of the whole process (all its threads), in ns.
double process_cpu_ns() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) * 1e9 + double(t.tv_nsec);
}

// Process CPU time per request over the timed loop.
struct cpu_clock {
  double start = process_cpu_ns();
  void report(benchmark::State& state) const {
    state.counters["process_cpu_ns"] =
        (process_cpu_ns() - start) / double(state.iterations());
  }
};

// N worker threads, made once; run(job) calls job(i) on worker i, for every
// worker at once, and returns when all are done.
class pool {
 public:
  explicit pool(int n) : n_(n) {
    for (int i = 0; i < n; ++i) threads_.emplace_back([this, i] { loop(i); });
  }
  pool(const pool&) = delete;
  pool& operator=(const pool&) = delete;
  ~pool() {
    stop_.store(true, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
    generation_.notify_all();
    for (auto& t : threads_) t.join();
  }

  template <class F>
  void run(F& job) {
    call_ = [](void* f, int i) { (*static_cast<F*>(f))(i); };
    job_ = &job;
    pending_.store(n_, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
    generation_.notify_all();
    for (int p; (p = pending_.load(std::memory_order_acquire)) != 0;)
      pending_.wait(p, std::memory_order_acquire);
  }

 private:
  void loop(int i) {
    unsigned seen = 0;
    for (;;) {
      generation_.wait(seen, std::memory_order_acquire);
      seen = generation_.load(std::memory_order_acquire);
      if (stop_.load(std::memory_order_relaxed)) return;
      call_(job_, i);
      if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1)
        pending_.notify_one();
    }
  }

  const int n_;
  void (*call_)(void*, int) = nullptr;
  void* job_ = nullptr;
  std::atomic<unsigned> generation_{0};
  std::atomic<int> pending_{0};
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

// Arena counters over the run: the last request's, and the most chunk
// memory one request's arenas held at once.
struct arena_counters {
  double threads = 0, remote_frees = 0, reused = 0, allocations = 0;
  double peak_chunk_bytes = 0;
  void add(const tacit::arena::statistics& s) {
    threads = double(s.threads);
    remote_frees = double(s.remote_frees);
    reused = double(s.reused);
    allocations = double(s.allocations);
    if (double(s.peak_chunk_bytes) > peak_chunk_bytes)
      peak_chunk_bytes = double(s.peak_chunk_bytes);
  }
  void report(benchmark::State& state) const {
    state.counters["arena_threads"] = threads;
    state.counters["remote_frees"] = remote_frees;
    state.counters["reused_share"] = allocations > 0 ? reused / allocations : 0;
    state.counters["peak_chunk_bytes"] = peak_chunk_bytes;
  }
};

void BM_fan_out_shared_arena(benchmark::State& state) {
  const int n = int(state.range(0));
  pool workers(n);
  arena_counters counters;
  int request = 0;
  cpu_clock cpu;
  for (auto _ : state) {
    tacit::arena a;  // the request's: every thread on it allocates here
    with_alloc(a) {
      std::vector<std::vector<std::string>> parts(n);
      auto work = tacit::bind(
          [&parts, request, n](int i) { parts[i] = part(request, i, n); });
      workers.run(work);
      benchmark::DoNotOptimize(reply(parts));
    }  // the parts, made on the workers' lanes, freed here
    counters.add(a.stats());
    ++request;
  }
  cpu.report(state);
  tacit_bench::report_peak_rss(state);
  counters.report(state);
}

void BM_fan_out_arena_per_thread(benchmark::State& state) {
  const int n = int(state.range(0));
  pool workers(n);
  arena_counters counters;  // the first worker's arena
  int request = 0;
  cpu_clock cpu;
  for (auto _ : state) {
    std::vector<std::vector<std::string>> parts(n);
    tacit::arena::statistics first{};
    auto work = [&parts, &first, request, n](int i) {
      tacit::arena mine;  // this thread's, for its part only
      with_alloc(mine) {
        auto p = part(request, i, n);
        without_alloc parts[i] = p;  // copied out: the arena ends here
      }
      if (i == 0) first = mine.stats();
    };
    workers.run(work);
    benchmark::DoNotOptimize(reply(parts));
    counters.add(first);
    ++request;
  }
  cpu.report(state);
  tacit_bench::report_peak_rss(state);
  counters.report(state);
}

void BM_fan_out_global_heap(benchmark::State& state) {
  const int n = int(state.range(0));
  pool workers(n);
  int request = 0;
  cpu_clock cpu;
  for (auto _ : state) {
    std::vector<std::vector<std::string>> parts(n);
    auto work = [&parts, request, n](int i) { parts[i] = part(request, i, n); };
    workers.run(work);
    benchmark::DoNotOptimize(reply(parts));
    ++request;
  }
  cpu.report(state);
  tacit_bench::report_peak_rss(state);
}

#define TACIT_FAN_OUT(f)                                          \
  BENCHMARK(f)                                                    \
      ->ArgName("threads")                                        \
      ->Arg(1)                                                    \
      ->Arg(2)                                                    \
      ->Arg(4)                                                    \
      ->Iterations(kRequests)                                     \
      ->UseRealTime()                                             \
      ->Unit(benchmark::kMillisecond)
TACIT_FAN_OUT(BM_fan_out_shared_arena);
TACIT_FAN_OUT(BM_fan_out_arena_per_thread);
TACIT_FAN_OUT(BM_fan_out_global_heap);

}  // namespace

BENCHMARK_MAIN();
