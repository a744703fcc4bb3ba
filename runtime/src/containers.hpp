// runtime/src/containers.hpp — the runtime's own small containers.
//
// The ownership tables (pages.cpp, records.cpp) cannot use std:: containers:
// operator new would call back into the runtime. These take their storage
// from calloc and never reach operator new.
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef TACIT_RUNTIME_CONTAINERS_HPP
#define TACIT_RUNTIME_CONTAINERS_HPP

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <mutex>

namespace tacit::detail {

// Fibonacci hashing's multiplier, 2^64 divided by the golden ratio: a word
// times it has well-mixed high bits, so every table of the runtime takes its
// slot or shard from the top bits of the product (word_map, sharded_map,
// records.cpp's shards, serialise.cpp's table of marked resources).
inline constexpr std::uint64_t fibonacci_multiplier = 0x9E3779B97F4A7C15ull;

// A small spinlock: critical sections here are a few dozen instructions.
class spinlock {
 public:
  void lock() noexcept {
    while (flag_.exchange(true, std::memory_order_acquire))
      while (flag_.load(std::memory_order_relaxed)) __builtin_ia32_pause();
  }
  void unlock() noexcept { flag_.store(false, std::memory_order_release); }

 private:
  std::atomic<bool> flag_{false};
};

// An open-addressing hash map from a nonzero word to a value, one shard of
// the maps below. Storage comes from calloc (never operator new).
template <class V>
class word_map {
 public:
  V* find(std::uintptr_t key) noexcept {
    if (size_ == 0) return nullptr;
    for (std::size_t i = slot(key);; i = (i + 1) & mask_) {
      if (keys_[i] == key) return &values_[i];
      if (keys_[i] == 0) return nullptr;
    }
  }

  // Inserts or overwrites. False when memory ran out.
  bool put(std::uintptr_t key, const V& v) noexcept {
    if ((size_ + 1) * 2 > capacity() && !grow()) return false;
    std::size_t i = slot(key);
    for (; keys_[i] != 0; i = (i + 1) & mask_) {
      if (keys_[i] == key) {
        values_[i] = v;
        return true;
      }
    }
    keys_[i] = key;
    values_[i] = v;
    ++size_;
    return true;
  }

  bool erase(std::uintptr_t key, V* out = nullptr) noexcept {
    if (size_ == 0) return false;
    std::size_t i = slot(key);
    for (; keys_[i] != key; i = (i + 1) & mask_)
      if (keys_[i] == 0) return false;
    if (out) *out = values_[i];
    // Backward-shift deletion: no tombstones.
    std::size_t hole = i;
    for (std::size_t j = (i + 1) & mask_; keys_[j] != 0; j = (j + 1) & mask_) {
      std::size_t home = slot(keys_[j]);
      if (((j - home) & mask_) >= ((j - hole) & mask_)) {
        keys_[hole] = keys_[j];
        values_[hole] = values_[j];
        hole = j;
      }
    }
    keys_[hole] = 0;
    --size_;
    return true;
  }

  std::size_t size() const noexcept { return size_; }

  // Calls f(key) for every key (no insertion or erasure meanwhile).
  template <class F>
  void each_key(F&& f) const noexcept {
    for (std::size_t i = 0; i < capacity(); ++i)
      if (keys_[i] != 0) f(keys_[i]);
  }

 private:
  std::size_t capacity() const noexcept { return keys_ ? mask_ + 1 : 0; }
  std::size_t slot(std::uintptr_t key) const noexcept {
    return static_cast<std::size_t>((key * fibonacci_multiplier) >> 20) &
           mask_;
  }
  bool grow() noexcept {
    std::size_t cap = keys_ ? (mask_ + 1) * 2 : 64;
    auto* keys =
        static_cast<std::uintptr_t*>(std::calloc(cap, sizeof(std::uintptr_t)));
    auto* values = static_cast<V*>(std::calloc(cap, sizeof(V)));
    if (!keys || !values) {
      std::free(keys);
      std::free(values);
      return false;
    }
    std::uintptr_t* old_keys = keys_;
    V* old_values = values_;
    std::size_t old_cap = capacity();
    keys_ = keys;
    values_ = values;
    mask_ = cap - 1;
    size_ = 0;
    for (std::size_t i = 0; i < old_cap; ++i)
      if (old_keys[i] != 0) put(old_keys[i], old_values[i]);
    std::free(old_keys);
    std::free(old_values);
    return true;
  }

  std::uintptr_t* keys_ = nullptr;
  V* values_ = nullptr;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

// A word_map split into locked shards, so frees on many threads rarely meet.
template <class V>
class sharded_map {
 public:
  template <class F>
  auto with_shard(std::uintptr_t key, F&& f) noexcept {
    shard& s = shards_[(key * fibonacci_multiplier) >> 58];
    std::lock_guard<spinlock> hold(s.lock);
    return f(s.map);
  }

 private:
  struct alignas(64) shard {
    spinlock lock;
    word_map<V> map;
  };
  shard shards_[64];
};

}  // namespace tacit::detail

#endif  // TACIT_RUNTIME_CONTAINERS_HPP
