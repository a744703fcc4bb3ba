// test/support/ledger.hpp — a strict memory_resource for tests.
//
// Serves blocks from malloc and keeps a ledger of every block it handed out.
// A deallocate that does not match an allocation exactly — unknown pointer,
// different size, different alignment, double free — prints what went wrong
// and aborts, so a test that routes a free wrongly cannot pass. Thread-safe.
// Its bookkeeping never calls operator new.
#ifndef TACIT_TEST_LEDGER_HPP
#define TACIT_TEST_LEDGER_HPP

#include <cstdio>
#include <cstdlib>
#include <memory_resource>
#include <mutex>
#include <new>

class ledger final : public std::pmr::memory_resource {
 public:
  explicit ledger(const char* name = "ledger") : name_(name) {}
  ~ledger() override {
    if (live_ != 0)
      std::printf("%s: %zu block(s) still live at destruction\n", name_, live_);
  }

  std::size_t allocations() const { std::lock_guard<std::mutex> g(m_); return allocations_; }
  std::size_t deallocations() const { std::lock_guard<std::mutex> g(m_); return deallocations_; }
  std::size_t live() const { std::lock_guard<std::mutex> g(m_); return live_; }
  bool owns(const void* p) const {
    std::lock_guard<std::mutex> g(m_);
    return find(p) >= 0;
  }

 private:
  struct entry { const void* p; std::size_t size, align; };
  static constexpr int capacity = 1 << 16;

  int find(const void* p) const {
    for (int i = 0; i < used_; ++i)
      if (entries_[i].p == p) return i;
    return -1;
  }

  void* do_allocate(std::size_t size, std::size_t align) override {
    void* p = nullptr;
    if (posix_memalign(&p, align < sizeof(void*) ? sizeof(void*) : align,
                       size ? size : 1) != 0)
      throw std::bad_alloc();
    std::lock_guard<std::mutex> g(m_);
    if (used_ == capacity) { std::printf("%s: full\n", name_); std::abort(); }
    entries_[used_++] = {p, size, align};
    ++allocations_;
    ++live_;
    return p;
  }

  void do_deallocate(void* p, std::size_t size, std::size_t align) override {
    std::lock_guard<std::mutex> g(m_);
    int i = find(p);
    if (i < 0) {
      std::printf("%s: MISMATCH: free of %p, which it never made (or twice)\n",
                  name_, p);
      std::fflush(stdout);
      std::abort();
    }
    if (entries_[i].size != size || entries_[i].align != align) {
      std::printf("%s: MISMATCH: %p made with size %zu align %zu, freed with "
                  "size %zu align %zu\n", name_, p, entries_[i].size,
                  entries_[i].align, size, align);
      std::fflush(stdout);
      std::abort();
    }
    entries_[i] = entries_[--used_];
    ++deallocations_;
    --live_;
    std::free(p);
  }

  bool do_is_equal(const memory_resource& o) const noexcept override {
    return this == &o;
  }

  const char* name_;
  mutable std::mutex m_;
  entry entries_[capacity];
  int used_ = 0;
  std::size_t allocations_ = 0, deallocations_ = 0, live_ = 0;
};

// Makes `v` (and what it points to) escape, so the optimiser cannot elide
// the allocations behind it (clang may remove a new/delete pair that does
// not escape, replaced operator new or not).
template <class T>
inline void keep(const T& v) {
  asm volatile("" : : "g"(&v) : "memory");
}

// A string long enough never to fit the small-string buffer.
#define LONG_TEXT "a string comfortably longer than the small-string buffer"

#endif
