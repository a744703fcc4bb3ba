// examples/nesting.cpp — allocators nest as a tree.
//
// An arena takes its chunks from the resource in context when it is made.
// At top level that is the system heap; inside with_alloc(outer) it is
// `outer`. So the system heap hosts `session`, `session` hosts `request`
// (a nested arena, made inside with_alloc(session)), and `request` hosts a
// std::vector. Each level's statistics show what it holds, and when the inner
// arena ends its chunk goes back to the one that hosts it, not to the system.
//
// Build: build/bin/tacit++ -std=c++20 -O2 examples/nesting.cpp -o nesting
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <cstdio>
#include <string>
#include <tacit/alloc.hpp>
#include <vector>

// The name of a resource in this program's tree.
const char* name_of(const std::pmr::memory_resource* r,
                    const tacit::arena& session, const tacit::arena* request) {
  if (r == &tacit::global()) return "system heap";
  if (r == &session) return "session";
  if (request && r == request) return "request";
  return "?";
}

void print_arena(const char* indent, const char* name, const tacit::arena& a,
                 const tacit::arena& session, const tacit::arena* request) {
  auto s = a.stats();
  std::printf(
      "%s%s (upstream: %s): %zu chunk(s), %zu chunk bytes, %zu allocation(s)\n",
      indent, name, name_of(&a.upstream(), session, request), s.chunks,
      s.chunk_bytes, s.allocations);
}

// One request: a nested arena inside the session, a vector inside that.
void serve(tacit::arena& session) {
  with_alloc(session) {
    std::size_t before = session.stats().allocations;
    tacit::arena request;  // made inside with_alloc(session): hosted by it
    with_alloc(request) {
      std::vector<int> samples;
      for (int i = 0; i < 10000; ++i) samples.push_back(i * i);
      std::printf("inside the request:\n  system heap\n");
      print_arena("  +- ", "session", session, session, &request);
      print_arena("     +- ", "request", request, session, &request);
      std::printf("        +- std::vector<int> of %zu: buffer on %s\n",
                  samples.size(),
                  name_of(tacit::owner_of(samples.data()), session, &request));
      std::printf("  request's %zu chunk(s) = %zu allocation(s) from session\n",
                  request.stats().chunks, session.stats().allocations - before);
    }
  }  // `request` ends: its chunks are freed back to `session`, not the system
}

int main() {
  tacit::arena session;  // made at top level: upstream is the system heap
  std::string* user;
  with_alloc(session) user =
      new std::string("a session-long string, longer than the small buffer");
  std::printf("session's string is on %s\n",
              name_of(tacit::owner_of(user->data()), session, nullptr));

  serve(session);

  // The session keeps its chunks (a bump allocator's memory comes back when
  // it is reset or destroyed). reset() keeps the idle chunks it used, to start
  // again in, unless a live block pins one: the string is still live, so its
  // chunk stays alive until it is deleted, and the session's next cycle starts
  // in that chunk's free space instead of in idle chunks kept aside.
  std::printf("after the request:\n");
  print_arena("  ", "session", session, session, nullptr);
  session.reset();
  std::printf("after session.reset():\n");
  print_arena("  ", "session", session, session, nullptr);
  std::printf("  the string survives the reset: %s\n", user->c_str());
  delete user;
  return 0;
}
