#include <tacit/alloc.hpp>
#include <cstdio>
#include <string>
std::string make_text();  // in two-files-lib.cpp, which knows nothing of Tacit
int main() {
  tacit::arena a;
  with_alloc(a) {
    std::string s = make_text();  // declared in the block: no escape
    std::printf("lib ran on the arena: %s\n", tacit::owner_of(s.data()) == &a ? "yes" : "no");
  }
}
