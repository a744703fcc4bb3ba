// FILE: test/plugin/Inputs/no-angle-blocks.cpp
// DESCRIPTION: No angle block, only lookalikes: test/plugin/AngleBlocks-lower.cpp
//   checks that tacit-lower prints it byte for byte (the plugin leaves a
//   file without angle blocks as it is).
#include <tacit/alloc.hpp>
#include <map>
#include <vector>
#define SCOPED(r) with_alloc(r) < /* in a directive: not read */
int main() {
  tacit::arena a;
  int x = 1, y = 2;
  with_alloc(a) { std::vector<std::vector<int>> v(2); x = v.size() > 1; }
  without_alloc { std::map<int, std::vector<int>> m; y = m.empty() < x; }
  if (x < y && y > x) x = y >> 1;
  const char *s = "with_alloc(a) < not a block >"; // without_alloc < nor this >
  return s[0] > 'z' ? x : 0;
}
