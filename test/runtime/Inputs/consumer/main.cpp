#include <tacit/alloc.hpp>
#include <cstdio>
#include <string>
int main() {
#if __has_cpp_attribute(tacit::uses)
  std::printf("plugin: loaded\n");
#else
  std::printf("plugin: missing\n");
#endif
  tacit::arena a;
  std::string* s;
  with_alloc(a) s = new std::string(100, 'x');
  std::printf("consumer: %s\n", tacit::owner_of(s) == &a ? "on the arena" : "NOT on the arena");
  delete s;
}
