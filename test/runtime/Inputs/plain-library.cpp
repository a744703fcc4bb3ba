// A shared library built with plain clang++, knowing nothing of Tacit.
#include <string>
extern "C" const void* lib_make() { return new std::string(200, 'x'); }
extern "C" const void* lib_cached() {
  static std::string cache(100, 'c');  // a function-local static
  return cache.data();
}
