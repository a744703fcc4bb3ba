// FILE: test/plugin/Inputs/angle-blocks.h
// DESCRIPTION: A user header written in the angle form, for
//   test/plugin/AngleBlocks.cpp: the plugin rewrites a user header before it
//   is read, as it does the main file. Included twice (the second time
//   through its guard).
#ifndef TACIT_TEST_ANGLE_BLOCKS_H
#define TACIT_TEST_ANGLE_BLOCKS_H
#include <tacit/alloc.hpp>
#include <string>
#include <vector>

// Where a block was made: "r" (on the resource r) or "heap".
inline const char *header_where(const void *p, std::pmr::memory_resource &r) {
  return tacit::owner_of(p) == &r ? "r" : "heap";
}

// One string on `r`, then one on the global heap (a nested without_alloc).
inline void header_strings(std::pmr::memory_resource &r, std::string *&on_r,
                           std::string *&on_heap) {
  with_alloc(r) <
    on_r = new std::string("from a header, long enough to allocate");
    without_alloc <
      on_heap = new std::string("from a header, long enough to allocate");
    >
  >
}

// A template in the angle form, `>>` and all, instantiated by the main file.
template <class T> std::vector<std::vector<T>> *header_grid(std::pmr::memory_resource &r, int n) {
  std::vector<std::vector<T>> *g = nullptr;
  with_alloc(r) < g = new std::vector<std::vector<T>>(n, std::vector<T>(n)); >
  return g;
}
#endif
