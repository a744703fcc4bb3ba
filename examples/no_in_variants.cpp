// examples/no_in_variants.cpp — a plain struct, built on an arena, with no
// allocator plumbing.
//
// `Order` below is what anyone would write: a few std::string and std::vector
// members. Built inside with_alloc(arena), every one of its buffers comes from
// the arena — the struct does not know, and neither does the code that fills
// it.
//
// To get the same with std::pmr, every member becomes a std::pmr:: twin, the
// struct grows an allocator_type, an allocator-taking constructor and the
// allocator-extended copy and move constructors (the "_in" variants), and
// every function that builds one takes the allocator and passes it on. Both
// versions are below, and the program prints what each costs in bytes.
//
// Build: build/bin/tacit++ -std=c++20 -O2 examples/no_in_variants.cpp -o no_in_variants
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <cstddef>
#include <cstdio>
#include <memory_resource>
#include <sstream>
#include <string>
#include <tacit/alloc.hpp>
#include <vector>

// ---- With Tacit: ordinary types, ordinary functions. -----------------------
struct Order {
  std::string customer;
  std::vector<std::string> items;
  std::vector<int> quantities;
  std::string note;
};

Order parse_order(const std::string& line) {
  Order o;
  std::istringstream in(line);
  std::getline(in, o.customer, ':');
  std::string item;
  int quantity;
  while (in >> item >> quantity) {
    o.items.push_back(item);
    o.quantities.push_back(quantity);
  }
  o.note =
      "parsed from a line of " + std::to_string(line.size()) + " characters";
  return o;
}

// ---- The same with std::pmr: twins, an allocator, _in constructors. -------
struct PmrOrder {
  using allocator_type = std::pmr::polymorphic_allocator<std::byte>;
  std::pmr::string customer;
  std::pmr::vector<std::pmr::string> items;
  std::pmr::vector<int> quantities;
  std::pmr::string note;

  explicit PmrOrder(allocator_type a = {})
      : customer(a), items(a), quantities(a), note(a) {}
  PmrOrder(const PmrOrder& o, allocator_type a)
      : customer(o.customer, a),
        items(o.items, a),
        quantities(o.quantities, a),
        note(o.note, a) {}
  PmrOrder(PmrOrder&& o, allocator_type a)
      : customer(std::move(o.customer), a),
        items(std::move(o.items), a),
        quantities(std::move(o.quantities), a),
        note(std::move(o.note), a) {}
  PmrOrder(const PmrOrder&) = default;
  PmrOrder(PmrOrder&&) = default;
};

PmrOrder parse_order_in(const std::string& line, std::pmr::memory_resource* r) {
  PmrOrder o(r);
  std::istringstream in(line);
  std::string customer, item;  // (std::istringstream itself: global heap)
  std::getline(in, customer, ':');
  o.customer = customer;
  int quantity;
  while (in >> item >> quantity) {
    o.items.emplace_back(item);  // uses-allocator construction: on r
    o.quantities.push_back(quantity);
  }
  std::pmr::string note("parsed from a line of ", r);  // to_string has no
  note += std::to_string(line.size()).c_str();         // allocator version
  note += " characters";
  o.note = note;
  return o;
}

// ---- Checking where the bytes went. ---------------------------------------
bool on(const void* p, const std::pmr::memory_resource* r) {
  return tacit::owner_of(p) == r;
}

bool all_on(const Order& o, const tacit::arena& a) {
  bool ok = on(o.customer.data(), &a) && on(o.items.data(), &a) &&
            on(o.quantities.data(), &a) && on(o.note.data(), &a);
  for (const auto& item : o.items) ok = ok && on(item.data(), &a);
  return ok;
}

int main() {
  const char* lines[] = {
      "Ada Lovelace, Analytical Engine Company: difference-engine-gears 12 "
      "punched-card-readers 3 brass-columns-for-the-mill 40",
      "Charles Babbage, Cambridge Mathematical Society: "
      "replacement-cogwheels-assorted 150 copper-printing-plates 8",
  };

  tacit::arena batch;
  std::size_t orders = 0;
  bool every_buffer_on_arena = true;
  with_alloc(batch) {
    std::vector<Order> book;
    for (const char* line : lines) book.push_back(parse_order(line));
    for (const Order& o : book)
      every_buffer_on_arena = every_buffer_on_arena && all_on(o, batch);
    every_buffer_on_arena = every_buffer_on_arena && on(book.data(), &batch);
    orders = book.size();
    std::printf("tacit: %zu orders, first for \"%s\" with %zu items\n", orders,
                book[0].customer.c_str(), book[0].items.size());
  }
  auto s = batch.stats();
  std::printf("tacit: every buffer on the arena: %s (%zu allocations)\n",
              every_buffer_on_arena ? "yes" : "no", s.allocations);

  std::pmr::monotonic_buffer_resource pmr_batch;
  {
    std::pmr::vector<PmrOrder> book(&pmr_batch);
    for (const char* line : lines)
      book.push_back(parse_order_in(line, &pmr_batch));
    std::printf("pmr:   %zu orders, first for \"%s\" with %zu items\n",
                book.size(), book[0].customer.c_str(), book[0].items.size());
  }

  std::printf("sizeof: std::string %zu, std::pmr::string %zu\n",
              sizeof(std::string), sizeof(std::pmr::string));
  std::printf("sizeof: std::vector<int> %zu, std::pmr::vector<int> %zu\n",
              sizeof(std::vector<int>), sizeof(std::pmr::vector<int>));
  std::printf("sizeof: Order %zu, PmrOrder %zu (+%zu bytes per order)\n",
              sizeof(Order), sizeof(PmrOrder),
              sizeof(PmrOrder) - sizeof(Order));
  return every_buffer_on_arena ? 0 : 1;
}
