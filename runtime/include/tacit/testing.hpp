// <tacit/testing.hpp> — allocation-failure injection for tests (after BDE's
// exception tests: bslma::TestAllocator's allocation limit).
//
//     tacit::testing::for_each_allocation_failure([&] {
//       tacit::arena a;
//       with_alloc(a) { parse(text); }   // throws std::bad_alloc at run k
//     });
//
// runs the body again and again: run k makes the k-th allocation inside it
// fail (std::bad_alloc; nothrow forms return null), until a run completes
// with no failure left to inject. Each failing run must unwind, leak
// nothing and leave the context as it was — check it after each run (the
// callback form), or once at the end.
//
// Counted, on the calling thread, while a failure is armed: every
// allocation operator new serves in a scope (arena blocks, foreign
// resources' blocks, the global heap under without_alloc), every
// memory_resource call into a tacit::arena, and the runtime's own
// allocations on those paths (an arena's new chunk, a foreign block's
// record). Not counted: the global heap with no scope open (its fast path
// stays as it is) and the inline path (free lists and bump) of an arena that
// was already bumping when the failure was armed, until it next needs a
// chunk — create the arena inside the body, as above.
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef TACIT_TESTING_HPP
#define TACIT_TESTING_HPP

#include <tacit/alloc.hpp>

#include <cstddef>
#include <new>

namespace tacit::testing {

// Arms the failure of the k-th counted allocation from now on this thread
// (1: the next one); 0 disarms. Re-arming replaces the previous count.
void fail_nth_allocation(std::size_t k) noexcept;
// Whether the armed failure was injected (since the last arming).
bool failure_injected() noexcept;
// Counted allocations since the last arming.
std::size_t allocations_counted() noexcept;

// An internal gauge of what sends operator delete to its slow path: one per
// shard of foreign block records that holds any, per chunk outside the
// reserved range, per first buffer (checked mode's own count left out).
// Back to its value before a run when the run leaked no record.
std::size_t foreign_live() noexcept;

// Chunk bytes waiting in the pool of pinned chunks: chunks arenas let go of
// while blocks in them live on (the older ones' free pages given back to
// the system), until a later arena adopts them (docs/internals.md, "Memory
// follows live data").
std::size_t pinned_chunk_bytes() noexcept;

// The library whose own operator new / delete the no-scope path forwards to
// (a preloaded mimalloc, tcmalloc or jemalloc), or null: malloc and free.
const char* forwarded_heap() noexcept;

// Runs body() with k = 1, 2, ... armed, until a run injects no failure;
// after each run (failed or not) calls after_run(k, failed). A
// std::bad_alloc escaping body() is the expected outcome of a failing run;
// any other exception propagates. Returns the number of runs.
template <class Body, class After>
std::size_t for_each_allocation_failure(Body&& body, After&& after_run) {
  for (std::size_t k = 1;; ++k) {
    bool threw = false;
    fail_nth_allocation(k);
    try {
      body();
    } catch (const std::bad_alloc&) {
      threw = true;
    } catch (...) {
      fail_nth_allocation(0);
      throw;
    }
    bool injected = failure_injected();
    fail_nth_allocation(0);
    after_run(k, threw || injected);
    if (!injected) return k;
  }
}
template <class Body>
std::size_t for_each_allocation_failure(Body&& body) {
  return for_each_allocation_failure(static_cast<Body&&>(body),
                                     [](std::size_t, bool) {});
}

}  // namespace tacit::testing

#endif  // TACIT_TESTING_HPP
