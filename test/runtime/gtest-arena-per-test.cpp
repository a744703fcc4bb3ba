// <tacit/gtest.hpp>: with the listener installed, each GoogleTest test runs
// in a scope on its own arena (the fixture too); checked mode reports what a
// test leaves alive, naming the test's file:line; a block left alive stays
// valid after its test. Tests that free what they make say nothing.
// REQUIRES: gtest
// RUN: %tacitxx -std=c++20 -O2 %support %s %gtest -o %t
// RUN: env TACIT_CHECK=1 %t 2>&1 | FileCheck %s
// RUN: env -u TACIT_CHECK %t 2>&1 | FileCheck %s --check-prefix=OFF
#include <tacit/gtest.hpp>

#include <cstdio>
#include <map>
#include <string>
#include <typeinfo>
#include <vector>

#include "ledger.hpp"

std::string* leaked;
tacit::arena* first_test_arena;

struct Fixture : ::testing::Test {
  std::vector<int> data = std::vector<int>(100, 1);  // on the test's arena
};

TEST_F(Fixture, RunsOnItsOwnArena) {
  auto* here = dynamic_cast<tacit::arena*>(&tacit::current());
  ASSERT_NE(here, nullptr);
  EXPECT_EQ(tacit::owner_of(data.data()), here);
  std::map<std::string, int> m;
  for (int i = 0; i < 100; ++i) m[std::to_string(i) + LONG_TEXT] = i;
  EXPECT_EQ(m.size(), 100u);
  first_test_arena = here;
  std::printf("first test done\n");
}
// CHECK: first test done
// CHECK-NOT: tacit check
// CHECK: [       OK ] Fixture.RunsOnItsOwnArena

TEST(Leaks, OneString) {
  // A fresh arena: the first test's blocks are not in it.
  EXPECT_LT(dynamic_cast<tacit::arena&>(tacit::current()).stats().allocations, 4u);
  leaked = new std::string(LONG_TEXT);  // 32 bytes, plus its 57-byte buffer
}
// CHECK: tacit check: outlives scope: 2 blocks (89 bytes) made in the scope at {{.*}}gtest-arena-per-test.cpp:[[@LINE-5]] are still alive when it ends
// CHECK: [       OK ] Leaks.OneString

TEST(Leaks, StillValidLater) {
  EXPECT_EQ(*leaked, LONG_TEXT);  // the arena kept its memory
  delete leaked;
}
// CHECK-NOT: tacit check
// CHECK: [  PASSED  ] 3 tests.
// OFF-NOT: tacit check
// OFF: [  PASSED  ] 3 tests.

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  ::testing::InitGoogleTest(&argc, argv);
  tacit::gtest::install_arena_per_test();
  return RUN_ALL_TESTS();
}
