// FILE: test/plugin/RealHeaders-boost-asio.cpp
// DESCRIPTION: No false positives on real code: Boost.Asio (Debian
//   libboost-dev, <boost/asio.hpp>) used for real — io_context, post /
//   dispatch / defer, strands, steady_timer with completion handlers,
//   thread_pool, buffers and streambuf, TCP endpoints, resolver and
//   acceptor types, asio::awaitable coroutines (co_spawn, use_awaitable) —
//   inside and outside with_alloc blocks and from [[tacit::uses(alloc)]]
//   functions called properly, and coroutines that suspend inside their
//   blocks (the coroutine lowering takes them, and Asio's own coroutines in
//   its headers: nothing it adds may be reported). Every check is on and
//   its warnings are errors: any diagnostic, or a crash, fails the test.
// REQUIRES: plugin, boost
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin -fplugin-arg-tacit-werror %include %s 2>&1 | count 0
#include <tacit/alloc.hpp>

// Boost 1.74 detects C++20 coroutines for GCC only: say they are there.
#define BOOST_ASIO_HAS_CO_AWAIT 1
#define BOOST_ASIO_HAS_STD_COROUTINE 1
#include <coroutine>

#include <boost/asio.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <istream>
#include <memory>
#include <string>
#include <vector>

namespace asio = boost::asio;
using asio::ip::tcp;

// Needs a context; called from inside with_alloc below.
[[tacit::uses(alloc)]] std::vector<std::string> split_lines(asio::streambuf &sb) {
  std::vector<std::string> lines;
  std::istream in(&sb);
  std::string line;
  while (std::getline(in, line))
    lines.push_back(line);
  return lines;
}

// A coroutine: it suspends only outside any with_alloc block.
asio::awaitable<int> tick(asio::steady_timer &t) {
  t.expires_after(std::chrono::milliseconds(1));
  co_await t.async_wait(asio::use_awaitable);
  co_return 1;
}

// A coroutine with a block that does not suspend inside it.
asio::awaitable<std::size_t> session(asio::steady_timer &t, tacit::arena &a) {
  std::size_t n = 0;
  with_alloc(a) {
    std::vector<std::string> words{"alpha", "beta"};
    asio::streambuf sb;
    std::ostream(&sb) << words.front() << '\n';
    n = split_lines(sb).size() + words.size();
  }
  co_await t.async_wait(asio::use_awaitable);
  co_return n;
}

// A coroutine that suspends inside its block: fine, the plugin lowers it.
asio::awaitable<std::size_t> suspends_inside(asio::steady_timer &t,
                                             tacit::arena &a) {
  std::size_t n = 0;
  with_alloc(a) {
    std::vector<std::string> words{"alpha", "beta"};
    co_await t.async_wait(asio::use_awaitable);
    n = words.size() + co_await tick(t);
  }
  co_return n;
}

int run(tacit::arena &a) {
  int handled = 0;
  asio::io_context io;
  with_alloc(a) {
    auto strand = asio::make_strand(io);
    auto counter = std::make_shared<int>(0);
    asio::post(io, [counter] { ++*counter; });
    asio::dispatch(strand, [counter] { ++*counter; });
    asio::defer(io, [counter] { ++*counter; });
    asio::steady_timer timer(io, std::chrono::milliseconds(1));
    timer.async_wait([counter](const boost::system::error_code &ec) {
      if (!ec)
        ++*counter;
    });
    asio::thread_pool pool(2);
    asio::post(pool, [counter] { (void)counter; });
    pool.join();

    asio::streambuf sb;
    std::ostream os(&sb);
    os << "one\ntwo\nthree\n";
    std::vector<std::string> lines = split_lines(sb);
    std::vector<char> raw(64);
    asio::mutable_buffer mb = asio::buffer(raw);
    asio::const_buffer cb = asio::buffer(lines.front());
    std::size_t copied = asio::buffer_copy(mb, cb);

    tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 8080);
    tcp::acceptor acceptor(io);
    tcp::socket socket(io);
    tcp::resolver resolver(io);
    boost::system::error_code ec;
    acceptor.open(ep.protocol(), ec);
    (void)resolver;
    (void)socket;

    asio::co_spawn(io, tick(timer), asio::detached);
    asio::co_spawn(io, session(timer, a), asio::detached);
    asio::co_spawn(io, suspends_inside(timer, a), asio::detached);
    io.run();
    handled = *counter + static_cast<int>(lines.size() + copied + ep.port());
  }
  return handled;
}

// Outside any block.
void plain() {
  asio::io_context io;
  asio::post(io, [] {});
  io.run();
}
