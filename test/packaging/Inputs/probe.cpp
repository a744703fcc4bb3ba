// A consumer of an installed Tacit: reports how it was compiled (standard,
// compiler, plugin) and whether a with_alloc block really lands on the arena.
#include <cstdio>
#include <string>
#include <tacit/alloc.hpp>
#include <vector>

// Checked with the plugin; the header's spelling vanishes without it.
TACIT_USES_ALLOC std::vector<std::string>* make_words() {
  return new std::vector<std::string>(3,
                                      "a string longer than the small buffer");
}

TACIT_WITHOUT_ALLOC std::string* make_on_heap() {
  return new std::string("a string longer than the small buffer, on the heap");
}

int main() {
  std::printf("standard: C++%ld\n", __cplusplus / 100 % 100);
#if defined(__clang__)
  std::printf("compiler: clang %d\n", __clang_major__);
#elif defined(__GNUC__)
  std::printf("compiler: g++ %d\n", __GNUC__);
#endif
#if __has_cpp_attribute(tacit::uses)
  std::printf("plugin: loaded\n");
#else
  std::printf("plugin: none\n");
#endif
  tacit::arena a;
  std::vector<std::string>* words;
  std::string* kept;
  with_alloc(a) {
    words = make_words();
    kept = make_on_heap();
  }
  bool on_arena =
      tacit::owner_of(words) == &a && tacit::owner_of((*words)[2].data()) == &a;
  std::printf("with_alloc: %s\n",
              on_arena ? "on the arena" : "NOT on the arena");
  // Lowered by the plugin only: without it, make_on_heap runs in the scope.
  std::printf("without(alloc): %s\n",
              tacit::owner_of(kept->data()) == &tacit::global()
                  ? "global heap"
                  : "caller's arena");
  delete kept;
  delete words;
}
