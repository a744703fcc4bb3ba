// A libFuzzer target for the runtime: each input is a program of operations —
// open a scope (an arena nested in the current context, with or without a
// first buffer; a strict foreign resource; a misaligning one; a pool or a
// monotonic resource; the global heap), close the innermost, allocate
// (random size, alignment and operator new form), free (any form that
// matches, sized or not, on this thread or handed to a worker thread),
// allocate on the worker through tacit::bind, reset or destroy an arena while
// its blocks live, call an arena directly, fan out: several threads of a crew
// allocate at once in ONE arena (each through a callable tacit::bind carried
// there, or each in a with_alloc scope of its own, or each in an arena of its
// own whose host is that shared arena), free some of each other's blocks and
// some of the model's, and hand the rest back; the arena may be reset once
// they are joined — run against a reference model:
// every block is aligned as asked, owned by the resource the model expects
// (tacit::owner_of), keeps its contents until freed, and reaches its resource
// exactly (the ledgers abort on any mismatch); at the end of each input every
// block is freed, the ledgers are empty, no record is left and the context is
// the global heap. Any violation aborts with a message.
//
// The runtime is compiled into the target from its sources, instrumented
// like the target: libFuzzer's coverage guides the inputs through the
// runtime's paths, and AddressSanitizer and UndefinedBehaviorSanitizer check
// the runtime's own code as it runs, with its debug invariants on. A short deterministic run (fixed seed
// and run count, no time limit) is part of the suite; docs/safety.md gives a
// long run's result.
// REQUIRES: fuzzer, asan
// UNSUPPORTED: tacit-check
// (checked mode would report the blocks the model keeps past their scopes)
// RUN: %clangxx -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -DTACIT_DEBUG_INVARIANTS=1 %include %support %s %{runtime_srcs} -o %t -lpthread -ldl
// RUN: %t -seed=1 -runs=%{fuzz_runs} -max_len=2048 -len_control=0 -artifact_prefix=%t. > %t.out 2>&1
// RUN: FileCheck %s < %t.out
// The same with arena reuse on under AddressSanitizer (parked blocks are
// poisoned while they wait), so the sanitizer checks the reuse paths too.
// RUN: %clangxx -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -DTACIT_DEBUG_INVARIANTS=1 -DTACIT_ASAN_REUSE=1 %include %support %s %{runtime_srcs} -o %t.reuse -lpthread -ldl
// RUN: %t.reuse -seed=1 -runs=%{fuzz_runs} -max_len=2048 -len_control=0 -artifact_prefix=%t.reuse. > %t.reuse.out 2>&1
// RUN: FileCheck %s < %t.reuse.out
// Inputs that once failed, run again by the reuse build: unsized-give-back-
// poisoned-tail (a block popped from a free list for fewer bytes than its
// size, freed unsized as the last block: its bytes went back to the bump
// with their tail still poisoned, and the next block bumped over it).
// RUN: %t.reuse %S/Inputs/fuzz-regressions/* > %t.regress.out 2>&1
// RUN: FileCheck --check-prefix=REGRESS %s < %t.regress.out
// CHECK: Done {{[0-9]+}} runs
// REGRESS: Executed {{.*}}unsized-give-back-poisoned-tail
#include <tacit/alloc.hpp>
#include <tacit/testing.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory_resource>
#include <mutex>
#include <new>
#include <optional>
#include <thread>

#include "ledger.hpp"
#include "threads.hpp"

namespace {

[[noreturn]] void fail(const char* what, const void* p = nullptr) {
  std::fprintf(stderr, "fuzz-runtime: MODEL VIOLATION: %s (%p)\n", what, p);
  std::abort();
}

// A foreign resource that hands out blocks 8 bytes off any alignment above 8
// (operator new must fix them up), with a ledger's exactness.
class skewed final : public std::pmr::memory_resource {
 public:
  ledger inner{"skewed"};

 private:
  void* do_allocate(std::size_t n, std::size_t a) override {
    char* p = static_cast<char*>(inner.allocate(n + 64, 64));
    return p + 8;
  }
  void do_deallocate(void* p, std::size_t n, std::size_t) override {
    inner.deallocate(static_cast<char*>(p) - 8, n + 64, 64);
  }
  bool do_is_equal(const memory_resource& o) const noexcept override {
    return this == &o;
  }
};

worker& the_worker() {
  static worker* w = [] {
    worker* p;
    without_alloc p = new worker;
    return p;
  }();
  return *w;
}

// The crew: threads that run one step of a fan-out at once, each with its
// index, and are waited for together. They live for the whole run, so their
// lanes in an arena are found again across inputs (by their thread tokens),
// reset with it, and pooled with it when it ends.
class crew {
 public:
  static constexpr int size = 4;
  crew() {
    for (int i = 0; i < size; ++i) ts_[i] = std::thread([this, i] { loop(i); });
  }
  // Runs fn(ctx, i) on threads 0..n-1 at once; returns when all are done.
  void run(int n, void (*fn)(void*, int), void* ctx) {
    std::unique_lock<std::mutex> l(m_);
    fn_ = fn;
    ctx_ = ctx;
    n_ = n;
    done_ = 0;
    ++gen_;
    cv_.notify_all();
    cv_.wait(l, [&] { return done_ == n_; });
  }
  // A barrier for the n threads of the current run.
  void meet() {
    std::unique_lock<std::mutex> l(m_);
    unsigned g = meet_gen_;
    if (++met_ == n_) {
      met_ = 0;
      ++meet_gen_;
      cv_.notify_all();
    } else {
      cv_.wait(l, [&] { return meet_gen_ != g; });
    }
  }

 private:
  void loop(int i) {
    unsigned seen = 0;
    for (;;) {
      void (*fn)(void*, int);
      void* ctx;
      {
        std::unique_lock<std::mutex> l(m_);
        cv_.wait(l, [&] { return gen_ != seen && i < n_; });
        seen = gen_;
        fn = fn_;
        ctx = ctx_;
      }
      fn(ctx, i);
      std::lock_guard<std::mutex> l(m_);
      if (++done_ == n_) cv_.notify_all();
    }
  }
  std::mutex m_;
  std::condition_variable cv_;
  void (*fn_)(void*, int) = nullptr;
  void* ctx_ = nullptr;
  int n_ = 0, done_ = 0, met_ = 0;
  unsigned gen_ = 0, meet_gen_ = 0;
  std::thread ts_[size];
};

crew& the_crew() {
  static crew* c = [] {
    crew* p;
    without_alloc p = new crew;
    return p;
  }();
  return *c;
}

constexpr int max_scopes = 8;
constexpr int max_blocks = 256;
constexpr int max_arenas = 8;
constexpr int ledgers = 3;

enum form : unsigned char { plain, array, nothrow, aligned, aligned_nothrow, direct };

struct block {
  unsigned char* p;
  std::size_t size;
  std::size_t align;  // as asked (0: the default)
  form how;
  unsigned char fill;
  std::pmr::memory_resource* owner;  // expected owner_of (null: an arena
                                     // that was reset or destroyed since)
  int arena;                         // index into arenas, or -1
  tacit::arena* direct_arena;        // form direct: the arena to give it back to
};

struct model {
  // Resources. Arenas live in slots; a destroyed arena's blocks stay valid.
  std::optional<tacit::arena> arenas[max_arenas];
  int arena_up[max_arenas];  // the arena it was nested in, or -1
  alignas(64) unsigned char buffers[max_arenas][2048];
  ledger strict[ledgers] = {ledger("strict0"), ledger("strict1"), ledger("strict2")};
  ledger upstream{"pool-upstream"};
  skewed skew;
  std::optional<std::pmr::unsynchronized_pool_resource> pool;
  std::optional<std::pmr::monotonic_buffer_resource> mono;

  // The scope stack: scope objects in slots, innermost last.
  std::optional<tacit::scope> scopes[max_scopes];
  std::pmr::memory_resource* scope_resource[max_scopes];
  int scope_arena[max_scopes];
  int depth = 0;

  block blocks[max_blocks];
  int live = 0;
};

struct reader {
  const std::uint8_t* d;
  std::size_t n;
  std::size_t i = 0;
  bool more() const { return i < n; }
  unsigned byte() { return i < n ? d[i++] : 0; }
  std::size_t size() {
    unsigned k = byte();
    switch (k & 3) {
      case 0: return k >> 2;                       // 0..63
      case 1: return (k >> 2) * 16 + byte();        // ..1k
      case 2: return ((k >> 2) << 8 | byte()) % 20000;
      default: return 40000 + (k >> 2) * 1000;     // dedicated chunks
    }
  }
};

std::pmr::memory_resource* expected_owner(model& m) {
  if (m.depth == 0) return &tacit::global();
  return m.scope_resource[m.depth - 1];
}

// The model of the input being run (for check_block).
const model* current_model = nullptr;

// A block of an arena that was reset or destroyed sits in a chunk it let go
// of: no owner, or (a chunk pinned by live blocks, adopted by a later
// arena: docs/internals.md, "Memory follows live data") an arena alive now.
bool adopted_by_live_arena(const std::pmr::memory_resource* o) {
  if (!current_model) return false;
  for (const auto& a : current_model->arenas)
    if (a && &*a == o) return true;
  return false;
}

void check_block(const block& b) {
  std::size_t a = b.align ? b.align : __STDCPP_DEFAULT_NEW_ALIGNMENT__;
  if (reinterpret_cast<std::uintptr_t>(b.p) % a) fail("misaligned block", b.p);
  for (std::size_t i = 0; i < b.size; i += 61)
    if (b.p[i] != b.fill) fail("block contents changed", b.p);
  if (b.size && b.p[b.size - 1] != b.fill) fail("block tail changed", b.p);
  std::pmr::memory_resource* o = tacit::owner_of(b.p);
  if (o != b.owner && !(b.owner == nullptr && adopted_by_live_arena(o)))
    fail("owner_of disagrees with the model", b.p);
}

void* allocate(form how, std::size_t n, std::size_t align) {
  switch (how) {
    case plain: return ::operator new(n);
    case array: return ::operator new[](n);
    case nothrow: return ::operator new(n, std::nothrow);
    case aligned: return ::operator new(n, std::align_val_t{align});
    case aligned_nothrow:
      return ::operator new[](n, std::align_val_t{align}, std::nothrow);
    case direct: break;
  }
  return nullptr;
}

void release(const block& b, unsigned style) {
  std::align_val_t al{b.align};
  bool sized = style & 1;
  switch (b.how) {
    case plain:
      if (sized) ::operator delete(b.p, b.size);
      else ::operator delete(b.p);
      break;
    case array:
      if (sized) ::operator delete[](b.p, b.size);
      else ::operator delete[](b.p);
      break;
    case nothrow: ::operator delete(b.p, std::nothrow); break;
    case aligned:
      if (sized) ::operator delete(b.p, b.size, al);
      else ::operator delete(b.p, al);
      break;
    case aligned_nothrow: ::operator delete[](b.p, al, std::nothrow); break;
    case direct: b.direct_arena->deallocate(b.p, b.size, b.align); break;
  }
}

void add_block(model& m, void* p, std::size_t n, std::size_t align, form how,
               std::pmr::memory_resource* owner, int arena_index,
               tacit::arena* direct_arena, unsigned fill) {
  if (!p) return;
  block& b = m.blocks[m.live++];
  b = {static_cast<unsigned char*>(p), n, align, how,
       static_cast<unsigned char>(fill), owner, arena_index, direct_arena};
  std::memset(b.p, b.fill, n);
  check_block(b);
}

void remove_block(model& m, int i) { m.blocks[i] = m.blocks[--m.live]; }

// Arena `i` was reset or destroyed: its live blocks are in chunks it let go
// of, which name no owner (owner_of is null) until their last block is freed.
void arena_let_go(model& m, int i, bool destroyed) {
  for (int k = 0; k < m.live; ++k)
    if (m.blocks[k].arena == i) {
      m.blocks[k].owner = nullptr;
      m.blocks[k].arena = -1;
      if (destroyed && m.blocks[k].how == direct) {
        // Freed through the arena object; it is gone, so free it as
        // operator delete would (any form reaches the right chunk).
        m.blocks[k].how = plain;
      }
    }
}

void close_scope(model& m) {
  int d = --m.depth;
  m.scopes[d].reset();
}

// A fan-out (op 5). Every choice is read from the input before the crew
// starts, so which thread makes and frees which block does not depend on
// timing; only the interleaving does.
enum fan_mode : unsigned {
  bound_jobs,     // callables tacit::bind carried from the current context
  own_scopes,     // each thread opens with_alloc(the shared arena) itself
  nested_arenas,  // each thread's own arena, its host the shared arena
};
constexpr int fan_max = 16;  // blocks a thread makes
struct fan_block {
  block b;
  bool freed;  // by the thread after it (cross-thread), or by its maker
};
struct fan_out {
  model* m;
  fan_mode mode;
  tacit::arena* shared;  // own_scopes, nested_arenas
  int shared_index;
  // bound_jobs: the current context's resource, and its model index or -1.
  std::pmr::memory_resource* owner;
  int owner_arena;
  int n;    // threads
  int per;  // blocks each
  std::size_t size[fan_max];
  unsigned form[fan_max];
  unsigned free_mask;  // bit k: block k is freed by the next thread
  unsigned own_mask;   // bit k: block k is freed by its maker, in its scope
  // Model blocks each thread frees (indices into m->blocks; -1: none).
  int model_free[crew::size];
  fan_block made[crew::size][fan_max];
  std::optional<decltype(tacit::bind(std::function<void()>()))> job;
};

// Whether any thread may free `b` while the others run: arena blocks (live
// or let go), the global heap's and the ledgers' (thread-safe). Blocks of the
// pool and the monotonic resource are not: a thread freeing one would call
// it concurrently unless tacit::bind carried it (then Tacit serialises it).
bool free_anywhere(const model& m, const block& b) {
  if (b.arena >= 0 || !b.owner || b.owner == &tacit::global()) return true;
  for (const ledger& l : m.strict)
    if (b.owner == &l) return true;
  return b.owner == &m.skew;
}

// Makes thread t's blocks in the current context: `owner` is who owns them
// now (owner_of), `arena` the model's index of that arena, or -1.
void fan_make(fan_out& f, int t, std::pmr::memory_resource* owner, int arena) {
  for (int k = 0; k < f.per; ++k) {
    fan_block& fb = f.made[t][k];
    form how = static_cast<form>(f.form[k] % 5);
    std::size_t align = (how == aligned || how == aligned_nothrow)
                            ? std::size_t{32} << (f.form[k] >> 3 & 3)
                            : 0;
    std::size_t n = f.size[k];
    void* p = allocate(how, n, align);
    if (!p) fail("allocation failed on a crew thread");
    unsigned char fill = static_cast<unsigned char>(f.form[k] + 17 * t);
    auto* bytes = static_cast<unsigned char*>(p);
    fb.b = block{bytes, n, align, how, fill, owner, arena, nullptr};
    fb.freed = false;
    std::memset(p, fill, n);
    check_block(fb.b);
  }
  // Some die in the scope that made them, on their maker's thread.
  for (int k = 0; k < f.per; ++k)
    if ((f.own_mask >> k & 1) && !(f.free_mask >> k & 1)) {
      check_block(f.made[t][k].b);
      release(f.made[t][k].b, k);
      f.made[t][k].freed = true;
    }
}

void fan_work(void* ctx, int t) {
  fan_out& f = *static_cast<fan_out*>(ctx);
  switch (f.mode) {
    case bound_jobs:
      (*f.job)();  // runs fan_make in the carried context
      break;
    case own_scopes:
      with_alloc(*f.shared) fan_make(f, t, f.shared, f.shared_index);
      break;
    case nested_arenas:
      with_alloc(*f.shared) {
        // Its chunks come from this thread's lane of `shared`.
        tacit::arena mine;
        if (&mine.upstream() != f.shared) fail("nested arena: wrong upstream");
        with_alloc(mine) fan_make(f, t, &mine, -1);
        // `mine` ends with blocks alive: they keep its chunks (blocks of the
        // shared arena) alive, owned by no arena, until they are freed.
      }
      for (int k = 0; k < f.per; ++k) {
        f.made[t][k].b.owner = nullptr;
        if (!f.made[t][k].freed) check_block(f.made[t][k].b);
      }
      break;
  }
  the_crew().meet();
  // Cross-thread: the blocks the next thread made that this one frees.
  int next = (t + 1) % f.n;
  for (int k = 0; k < f.per; ++k)
    if (f.free_mask >> k & 1) {
      fan_block& fb = f.made[next][k];
      check_block(fb.b);
      release(fb.b, k + t);
      fb.freed = true;
    }
  if (f.model_free[t] >= 0) {
    const block& b = f.m->blocks[f.model_free[t]];
    check_block(b);
    release(b, t);
  }
}

void fan(model& m, reader& in) {
  unsigned kind = in.byte();
  auto mode = static_cast<fan_mode>(kind % 3);
  int ai = static_cast<int>(in.byte() % max_arenas);
  static fan_out f;  // (large; one fan-out at a time)
  f.m = &m;
  f.mode = mode;
  f.n = 2 + static_cast<int>(in.byte() % (crew::size - 1));
  f.per = 1 + static_cast<int>(in.byte() % fan_max);
  for (int k = 0; k < f.per; ++k) {
    f.size[k] = in.size();
    f.form[k] = in.byte();
  }
  f.free_mask = in.byte() | in.byte() << 8;
  f.own_mask = in.byte() | in.byte() << 8;
  if (mode == bound_jobs) {
    f.owner = expected_owner(m);
    f.owner_arena = m.depth ? m.scope_arena[m.depth - 1] : -1;
    f.shared = nullptr;
  } else {
    if (!m.arenas[ai]) return;
    f.shared = &*m.arenas[ai];
    f.shared_index = ai;
  }
  if (m.live + f.n * f.per > max_blocks) return;
  // Model blocks the crew frees (each once), taken out of the model first.
  int taken = 0;
  for (int t = 0; t < f.n; ++t) {
    f.model_free[t] = -1;
    unsigned pick = in.byte();
    if (!(pick & 1) || !m.live) continue;
    int i = static_cast<int>(pick >> 1) % m.live;
    bool dup = false;
    for (int u = 0; u < t; ++u) dup |= f.model_free[u] == i;
    if (!dup && free_anywhere(m, m.blocks[i])) {
      f.model_free[t] = i;
      ++taken;
    }
  }
  // bound_jobs: the callable every thread runs, made here by tacit::bind in
  // the current context (up to its 8 innermost scopes); it finds its
  // thread's index in a thread-local.
  static thread_local int crew_index = -1;
  struct runner {
    static void run(void* ctx, int t) {
      crew_index = t;
      fan_work(ctx, t);
    }
  };
  if (mode == bound_jobs)
    f.job.emplace(tacit::bind(std::function<void()>(
        [] { fan_make(f, crew_index, f.owner, f.owner_arena); })));
  the_crew().run(f.n, &runner::run, &f);
  f.job.reset();
  // Model blocks the crew freed leave the model (highest index first).
  for (int pass = 0; pass < taken; ++pass) {
    int hi = -1, at = -1;
    for (int t = 0; t < f.n; ++t)
      if (f.model_free[t] > hi) {
        hi = f.model_free[t];
        at = t;
      }
    remove_block(m, hi);
    f.model_free[at] = -1;
  }
  // The survivors join the model (and are checked there, on this thread).
  for (int t = 0; t < f.n; ++t)
    for (int k = 0; k < f.per; ++k)
      if (!f.made[t][k].freed) {
        const block& b = f.made[t][k].b;
        check_block(b);
        m.blocks[m.live++] = b;
      }
  if (mode != bound_jobs && (kind & 8)) {
    // Reset after the join: every lane, the crew's included.
    m.arenas[ai]->reset();
    arena_let_go(m, ai, false);
    for (int k = 0; k < m.live; ++k) check_block(m.blocks[k]);
  }
}

void step(model& m, reader& in) {
  unsigned op = in.byte() % 16;
  switch (op) {
    case 0: case 1: {  // open a scope
      if (m.depth == max_scopes) return;
      unsigned kind = in.byte() % 8;
      std::pmr::memory_resource* r = nullptr;
      int ai = -1;
      if (kind <= 2) {  // a new arena, nested in the current context
        for (int i = 0; i < max_arenas; ++i)
          if (!m.arenas[i]) { ai = i; break; }
        if (ai < 0) return;
        m.arena_up[ai] = m.depth ? m.scope_arena[m.depth - 1] : -1;
        // A first buffer is the user's memory: it may not be given to a new
        // arena while blocks of the last one live in it.
        bool buffer_free = true;
        for (int k = 0; k < m.live; ++k)
          buffer_free &= !(m.blocks[k].p >= m.buffers[ai] &&
                           m.blocks[k].p < m.buffers[ai] + sizeof m.buffers[ai]);
        if (kind == 2 && buffer_free)
          m.arenas[ai].emplace(m.buffers[ai], sizeof m.buffers[ai]);
        else
          m.arenas[ai].emplace();
        r = &*m.arenas[ai];
      } else if (kind == 3) {
        r = &m.strict[in.byte() % ledgers];
      } else if (kind == 4) {
        r = &m.skew;
      } else if (kind == 5) {
        if (!m.pool) m.pool.emplace(&m.upstream);
        r = &*m.pool;
      } else if (kind == 6) {
        if (!m.mono) m.mono.emplace(&m.upstream);
        r = &*m.mono;
      } else {
        r = &tacit::global();
      }
      m.scope_resource[m.depth] = r;
      m.scope_arena[m.depth] = ai;
      m.scopes[m.depth].emplace(*r, "fuzz", m.depth);
      ++m.depth;
      return;
    }
    case 2: {  // close the innermost scope; maybe destroy its arena
      if (m.depth == 0) return;
      int ai = m.scope_arena[m.depth - 1];
      close_scope(m);
      bool still_used = false;
      for (int d = 0; d < m.depth; ++d) still_used |= m.scope_arena[d] == ai;
      // An arena some live arena takes its chunks from must stay (as with
      // any upstream resource).
      for (int k = 0; k < max_arenas; ++k)
        still_used |= m.arenas[k] && m.arena_up[k] == ai;
      if (ai >= 0 && !still_used && (in.byte() & 1)) {
        m.arenas[ai].reset();
        arena_let_go(m, ai, true);
      }
      return;
    }
    case 5:  // several threads in one arena at once
      return fan(m, in);
    case 3: case 4: case 6: {  // allocate in the current context
      if (m.live == max_blocks) return;
      std::size_t n = in.size();
      unsigned f = in.byte();
      form how = static_cast<form>(f % 5);
      std::size_t align = 0;
      if (how == aligned || how == aligned_nothrow)
        align = std::size_t{32} << (in.byte() % 4);  // 32..256
      void* p = allocate(how, n, align);
      if (!p) fail("allocation failed");
      int ai = m.depth ? m.scope_arena[m.depth - 1] : -1;
      add_block(m, p, n, align, how, expected_owner(m), ai, nullptr, f);
      return;
    }
    case 7: case 8: {  // free a block here
      if (!m.live) return;
      int i = in.byte() % m.live;
      check_block(m.blocks[i]);
      release(m.blocks[i], in.byte());
      remove_block(m, i);
      return;
    }
    case 9: {  // free a block on the worker thread
      if (!m.live) return;
      int i = in.byte() % m.live;
      block b = m.blocks[i];
      unsigned style = in.byte();
      check_block(b);
      remove_block(m, i);
      the_worker().run([b, style] { release(b, style); });
      return;
    }
    case 10: {  // allocate on the worker, in this context (tacit::bind)
      if (m.live == max_blocks) return;
      std::size_t n = in.size();
      void* p = nullptr;
      auto task = tacit::bind([&] { p = ::operator new(n); });
      the_worker().run(std::ref(task));
      int ai = m.depth ? m.scope_arena[m.depth - 1] : -1;
      add_block(m, p, n, 0, plain, expected_owner(m), ai, nullptr, in.byte());
      return;
    }
    case 11: {  // reset an arena no open scope is bumping in right now
      int ai = in.byte() % max_arenas;
      if (!m.arenas[ai]) return;
      m.arenas[ai]->reset();
      arena_let_go(m, ai, false);
      for (int k = 0; k < m.live; ++k) check_block(m.blocks[k]);
      return;
    }
    case 12: {  // an arena called directly (std::pmr style), no scope
      int ai = in.byte() % max_arenas;
      if (!m.arenas[ai] || m.live == max_blocks) return;
      std::size_t n = in.size();
      std::size_t align = std::size_t{16} << (in.byte() % 3);
      void* p = m.arenas[ai]->allocate(n ? n : 1, align);
      add_block(m, p, n ? n : 1, align, direct, &*m.arenas[ai], ai,
                &*m.arenas[ai], in.byte());
      return;
    }
    case 13: {  // a stock container made and dropped in the context
      std::size_t n = in.size() % 300;
      std::vector<std::string> v;
      for (std::size_t i = 0; i < n; ++i) v.emplace_back(i % 40 + 1, 'a');
      if (!v.empty() && v.back().size() != (n - 1) % 40 + 1) fail("container");
      return;
    }
    default: {  // check everything
      for (int k = 0; k < m.live; ++k) check_block(m.blocks[k]);
      return;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static std::size_t baseline = [] {
    the_worker();
    the_crew();
    return tacit::testing::foreign_live();
  }();
  {
    // The model (8 MB: the strict ledgers) lives in static storage, made
    // and destroyed per input: a fresh 8 MB heap block per input would make
    // AddressSanitizer commit new shadow memory for each (an RSS that grows
    // until libFuzzer's limit).
    alignas(model) static unsigned char storage[sizeof(model)];
    model* m = new (storage) model;
    current_model = m;
    reader in{data, size};
    while (in.more()) step(*m, in);
    while (m->depth) close_scope(*m);
    for (int k = m->live - 1; k >= 0; --k) {
      check_block(m->blocks[k]);
      release(m->blocks[k], 0);
    }
    m->live = 0;
    for (auto& a : m->arenas) a.reset();
    m->pool.reset();
    m->mono.reset();
    for (auto& l : m->strict)
      if (l.live()) fail("a strict resource has blocks left");
    if (m->skew.inner.live()) fail("the skewed resource has blocks left");
    if (m->upstream.live()) fail("the pools' upstream has blocks left");
    if (&tacit::current() != &tacit::global()) fail("context not restored");
    m->~model();
    current_model = nullptr;
  }
  if (tacit::testing::foreign_live() != baseline) fail("records left behind");
  return 0;
}
