// A mixed workload for the preloaded-allocator tests: arenas, a foreign
// resource, nesting, frees after scopes and on other threads, the global heap
// in between. Prints which malloc the process is really using.
#include <tacit/alloc.hpp>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "ledger.hpp"

ledger led;

const char* which_malloc() {
  std::ifstream maps("/proc/self/maps");
  for (std::string line; std::getline(maps, line);) {
    for (const char* name : {"jemalloc", "mimalloc", "tcmalloc"})
      if (line.find(name) != std::string::npos) return name;
  }
  return "glibc";
}

int main() {
  std::printf("malloc: %s\n", which_malloc());
  std::vector<std::string*> survivors;
  survivors.reserve(3000);
  long chars = 0;
  for (int round = 0; round < 3; ++round) {
    tacit::arena request;
    with_alloc(request) {
      std::map<std::string, std::vector<int>> m;
      for (int i = 0; i < 1000; ++i) m[std::to_string(i) + LONG_TEXT].assign(i % 50, i);
      tacit::arena nested;
      with_alloc(nested) for (int i = 0; i < 500; ++i) survivors.push_back(new std::string(LONG_TEXT));
      without_alloc { auto* g = new std::string(LONG_TEXT); chars += g->size(); delete g; }
      with_alloc(led) for (int i = 0; i < 500; ++i) survivors.push_back(new std::string(LONG_TEXT));
      chars += m.size();
    }
  }
  std::thread t([&] { for (std::size_t i = 0; i < survivors.size(); i += 2) { chars += survivors[i]->size(); delete survivors[i]; } });
  t.join();
  for (std::size_t i = 1; i < survivors.size(); i += 2) delete survivors[i];
  std::printf("chars %ld, ledger live %zu\n", chars, led.live());
}
