// <tacit/gtest.hpp> — each GoogleTest test on its own tacit::arena.
//
// Optional (needs GoogleTest; nothing else in Tacit includes it). Register
// the listener once, before RUN_ALL_TESTS:
//
//     #include <tacit/gtest.hpp>
//
//     int main(int argc, char** argv) {
//       testing::InitGoogleTest(&argc, argv);
//       tacit::gtest::install_arena_per_test();
//       return RUN_ALL_TESTS();
//     }
//
// Every test then runs inside a tacit::scope on a fresh arena: all it
// allocates (the test fixture included) comes from that arena, and when the
// test ends the scope closes and the arena is destroyed. With checked mode
// on (TACIT_CHECK=1), what a test leaves alive is reported by name:
//
//     tacit check: outlives scope: 1 block (24 bytes) made in the scope at
//     parser_test.cpp:41 is still alive when it ends
//
// (BDE's bslma::TestAllocator idea, with no change to the tests.) A block a
// test leaves alive stays valid: the arena keeps its memory until it is
// freed. GoogleTest's own record of a failure made inside a test (the
// failure message it keeps for the summary) is one such block: a failing
// test may add an `outlives scope` report of its own.
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef TACIT_GTEST_HPP
#define TACIT_GTEST_HPP

#include <gtest/gtest.h>
#include <tacit/alloc.hpp>

#include <optional>

namespace tacit::gtest {

class arena_per_test final : public ::testing::EmptyTestEventListener {
 public:
  void OnTestStart(const ::testing::TestInfo& test) override {
    arena_.emplace(global());
    scope_.emplace(*arena_, test.file(), static_cast<unsigned>(test.line()));
  }
  void OnTestEnd(const ::testing::TestInfo&) override {
    scope_.reset();  // checked mode reports what the test left alive
    arena_.reset();  // live blocks keep their memory until they are freed
  }

 private:
  std::optional<arena> arena_;
  std::optional<scope> scope_;
};

// Appends the listener to GoogleTest's (which owns it from then on).
inline void install_arena_per_test() {
  ::testing::UnitTest::GetInstance()->listeners().Append(new arena_per_test);
}

}  // namespace tacit::gtest

#endif  // TACIT_GTEST_HPP
