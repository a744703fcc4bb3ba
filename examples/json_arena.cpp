// examples/json_arena.cpp — a third-party library on an arena, unchanged.
//
// nlohmann::json (Debian's nlohmann-json3-dev) knows nothing of Tacit: it
// allocates its objects, arrays and strings with std::allocator. Parsed
// inside with_alloc(arena), the whole document tree lands on the arena, and
// goes back in one step when the arena ends — the way a request's parsed body
// should. No custom allocator template argument, no fork of the library.
//
// Build: build/bin/tacit++ -std=c++20 -O2 examples/json_arena.cpp -o json_arena
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <tacit/alloc.hpp>

const char* request_body = R"({
  "user": { "name": "Grace Brewster Murray Hopper", "id": 1906 },
  "items": [
    { "sku": "compiler-a0-for-univac-i", "quantity": 1 },
    { "sku": "cobol-reference-manual-1960", "quantity": 12 },
    { "sku": "nanosecond-wire-11.8-inches", "quantity": 100 }
  ],
  "note": "deliver to the Harvard Computation Laboratory, Mark I room"
})";

int main() {
  tacit::arena request;
  with_alloc(request) {
    nlohmann::json body = nlohmann::json::parse(request_body);

    int total = 0;
    for (const auto& item : body["items"]) total += item["quantity"].get<int>();
    std::printf("user %s ordered %zu kinds, %d items\n",
                body["user"]["name"].get_ref<const std::string&>().c_str(),
                body["items"].size(), total);

    // Every node of the tree is on the arena: strings, arrays, objects.
    const std::string& note = body["note"].get_ref<const std::string&>();
    const std::string& sku =
        body["items"][2]["sku"].get_ref<const std::string&>();
    std::printf("note on the arena: %s\n",
                tacit::owner_of(note.data()) == &request ? "yes" : "no");
    std::printf("sku on the arena: %s\n",
                tacit::owner_of(sku.data()) == &request ? "yes" : "no");
    std::printf("items array on the arena: %s\n",
                tacit::owner_of(&body["items"][0]) == &request ? "yes" : "no");

    // Serialising allocates too, on the same arena.
    body["items"].erase(0);
    std::string reply = body["items"].dump();
    std::printf("reply (%zu bytes) on the arena: %s\n", reply.size(),
                tacit::owner_of(reply.data()) == &request ? "yes" : "no");
    std::printf("%s\n", reply.c_str());
  }
  auto s = request.stats();
  std::printf("arena: %zu allocations, %zu bytes requested, %zu chunk(s)\n",
              s.allocations, s.bytes, s.chunks);
  return 0;
}
