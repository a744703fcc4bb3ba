// test/support/threads.hpp — what the tests with threads share.
//
// pool: a fixed set of worker threads taking jobs from one queue, the kind a
// server keeps. worker: one thread, driven synchronously. one_at_a_time: a
// memory_resource that is not thread-safe and notices when two threads are
// inside it at once.
//
// Included with %support (test/lit.cfg.py), as ledger.hpp is.
#ifndef TACIT_TEST_THREADS_HPP
#define TACIT_TEST_THREADS_HPP

#include <tacit/alloc.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <functional>
#include <memory_resource>
#include <mutex>
#include <new>
#include <thread>
#include <vector>

// n worker threads running queued jobs in order of submission. A job is
// destroyed (its captures freed) on the worker that ran it, before the job
// counts as finished. The destructor lets the queued jobs run, then joins.
class pool {
 public:
  explicit pool(int n) {
    for (int i = 0; i < n; ++i) workers_.emplace_back([this] { loop(); });
  }
  ~pool() {
    {
      std::lock_guard<std::mutex> hold(m_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& w : workers_) w.join();
  }
  // For a pool made outside any request: its queue outlives every request,
  // so it grows on the global heap, whatever scope the caller is in.
  TACIT_WITHOUT_ALLOC void submit(std::function<void()> job) {
    push(std::move(job));
  }
  // For a pool made inside a scope: its queue grows in the caller's scope,
  // as the rest of the pool's state does.
  void submit_in_scope(std::function<void()> job) { push(std::move(job)); }
  // Every job done, and destroyed, before this returns.
  void wait_idle() {
    std::unique_lock<std::mutex> hold(m_);
    idle_.wait(hold, [&] { return finished_ == submitted_; });
  }

 private:
  void push(std::function<void()>&& job) {
    {
      std::lock_guard<std::mutex> hold(m_);
      jobs_.push_back(std::move(job));
      ++submitted_;
    }
    cv_.notify_one();
  }
  void loop() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> hold(m_);
        cv_.wait(hold, [&] { return stop_ || !jobs_.empty(); });
        if (jobs_.empty()) return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
      job = nullptr;
      std::lock_guard<std::mutex> hold(m_);
      ++finished_;
      idle_.notify_all();
    }
  }
  std::mutex m_;
  std::condition_variable cv_, idle_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> workers_;
  std::size_t submitted_ = 0, finished_ = 0;
  bool stop_ = false;
};

// One thread, driven synchronously: run(f) hands it f and returns once f has
// run and been destroyed there. The thread stays (and with it its lane of
// each arena it allocated in) until the worker is destroyed. run() is on the
// global heap, whatever scope the caller is in.
class worker {
 public:
  worker() : t_([this] { loop(); }) {}
  ~worker() {
    {
      std::lock_guard<std::mutex> l(m_);
      stop_ = true;
    }
    cv_.notify_all();
    t_.join();
  }
  TACIT_WITHOUT_ALLOC void run(std::function<void()> f) {
    std::unique_lock<std::mutex> l(m_);
    job_ = std::move(f);
    cv_.notify_all();
    cv_.wait(l, [&] { return !job_; });
  }

 private:
  void loop() {
    std::unique_lock<std::mutex> l(m_);
    for (;;) {
      cv_.wait(l, [&] { return stop_ || bool(job_); });
      if (!job_) return;
      job_();
      job_ = nullptr;
      cv_.notify_all();
    }
  }
  std::mutex m_;
  std::condition_variable cv_;
  std::function<void()> job_;
  bool stop_ = false;
  std::thread t_;
};

// Not thread-safe: serves blocks from aligned_alloc and counts its calls
// and the calls that found another thread inside. Armed, each call waits
// (up to 1 s) for a second thread to come in, so calls that are not made one
// at a time show up as overlaps; called one at a time, none ever does.
class one_at_a_time final : public std::pmr::memory_resource {
 public:
  explicit one_at_a_time(bool armed = true) : armed(armed) {}
  std::atomic<bool> armed;
  std::atomic<int> overlaps{0}, calls{0};

 private:
  std::atomic<int> inside_{0};
  void enter() {
    ++calls;
    if (inside_.fetch_add(1) != 0) {
      ++overlaps;
      return;
    }
    if (!armed) return;
    auto t0 = std::chrono::steady_clock::now();
    while (inside_.load() < 2 && std::chrono::steady_clock::now() - t0 <
                                     std::chrono::seconds(1))
      std::this_thread::yield();
  }
  void* do_allocate(std::size_t n, std::size_t a) override {
    enter();
    void* p = std::aligned_alloc(a < 16 ? 16 : a, (n + a - 1) / a * a);
    --inside_;
    if (!p) throw std::bad_alloc();
    return p;
  }
  void do_deallocate(void* p, std::size_t, std::size_t) override {
    enter();
    std::free(p);
    --inside_;
  }
  bool do_is_equal(const memory_resource& o) const noexcept override {
    return this == &o;
  }
};

#endif  // TACIT_TEST_THREADS_HPP
