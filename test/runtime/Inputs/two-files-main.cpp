#include <tacit/alloc.hpp>
#include <cstdio>
#include <string>
std::string make_text();  // in two-files-lib.cpp, which knows nothing of Tacit
int main() {
  tacit::arena a;
  std::string s;
  with_alloc(a) {
    s = make_text();
    std::printf("lib ran on the arena: %s\n", tacit::owner_of(s.data()) == &a ? "yes" : "no");
  }
}
