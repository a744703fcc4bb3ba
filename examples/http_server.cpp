// examples/http_server.cpp — an asynchronous HTTP/1.1 server, each request
// in its own arena.
//
// Boost.Asio with C++20 coroutines: a listener accepts connections on
// 127.0.0.1 and spawns a session coroutine for each; a session reads a
// request, parses it into stock std:: types (the method, the path, the query
// parameters, the headers, the body), routes it, builds a JSON reply with
// nlohmann::json, and writes it back — keep-alive, one request after another.
// Each request is handled inside with_alloc(request_arena): across its
// co_awaits (the reads, the write), whichever thread resumes the session,
// everything the request's code allocates lands on its arena, and nothing of
// it leaks into the other sessions the io_context runs meanwhile. With the
// Tacit plugin, the context follows the coroutine (docs/reference.md,
// Coroutines); compiled without it, this program stops with a message at the
// first request that ends out of order.
//
//   GET  /hello               {"hello": "world"}
//   GET  /sum?values=1,2,3    {"sum": 6, "count": 3}
//   POST /echo                the JSON body, parsed and sent back with its keys
//   GET  /stats               the server's counters
//
// Options:
//   --port N        listen on 127.0.0.1:N (0, the default: any free port; the
//                   port is printed as "listening on 127.0.0.1:PORT")
//   --threads N     threads running the io_context (default 1)
//   --heap          no arenas: every request on the global heap
//   --requests N    stop after N requests (default: never)
//   --seconds S     stop after S seconds (default: never)
//   --verify        check, for each request, that its data is on its arena
//                   (tacit::owner_of), and say so in an X-Tacit-Verified
//                   header; and count requests that were not
//
// Build: build/bin/tacit++ -std=c++20 -O2 -DBOOST_ASIO_HAS_CO_AWAIT=1
//          examples/http_server.cpp -o http_server
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <utility>  // (Boost 1.74's awaitable.hpp uses std::exchange)

#include <boost/asio.hpp>
#include <nlohmann/json.hpp>
#include <tacit/alloc.hpp>

#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;

namespace {

struct options {
  unsigned short port = 0;
  int threads = 1;
  bool heap = false;
  long requests = -1;
  long seconds = -1;
  bool verify = false;
};
options opts;

// The server's counters (made on the global heap, read by /stats).
std::atomic<long> g_requests{0}, g_verified{0}, g_unverified{0};
std::atomic<long> g_arena_allocations{0};

// ---------------------------------------------------------------------------
// Ordinary code: the request, parsed into stock std:: types. Nothing here
// knows about allocators.
struct request {
  std::string method, path, version;
  std::unordered_map<std::string, std::string> query;
  std::unordered_map<std::string, std::string> headers;  // names lower-case
  std::string body;
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// The request line and headers (up to the blank line); false when malformed.
bool parse_head(std::string_view head, request& r) {
  std::size_t eol = head.find("\r\n");
  std::string_view line = head.substr(0, eol);
  std::size_t sp1 = line.find(' '), sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) return false;
  r.method = std::string(line.substr(0, sp1));
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  r.version = std::string(line.substr(sp2 + 1));
  std::size_t q = target.find('?');
  r.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) {
    std::string_view rest = target.substr(q + 1);
    while (!rest.empty()) {
      std::size_t amp = rest.find('&');
      std::string_view kv = rest.substr(0, amp);
      std::size_t eq = kv.find('=');
      r.query[std::string(kv.substr(0, eq))] =
          eq == std::string_view::npos ? "" : std::string(kv.substr(eq + 1));
      if (amp == std::string_view::npos) break;
      rest.remove_prefix(amp + 1);
    }
  }
  while (eol != std::string_view::npos) {
    std::size_t start = eol + 2;
    eol = head.find("\r\n", start);
    std::string_view h = head.substr(start, eol - start);
    if (h.empty()) break;
    std::size_t colon = h.find(':');
    if (colon == std::string_view::npos) return false;
    r.headers[lower(trim(h.substr(0, colon)))] = std::string(trim(h.substr(colon + 1)));
  }
  return true;
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  while (!s.empty()) {
    std::size_t at = s.find(sep);
    out.emplace_back(s.substr(0, at));
    if (at == std::string_view::npos) break;
    s.remove_prefix(at + 1);
  }
  return out;
}

// Routing: the reply's status and JSON body.
std::pair<int, nlohmann::json> route(const request& r) {
  if (r.method == "GET" && r.path == "/hello")
    return {200, {{"hello", "world"}}};
  if (r.method == "GET" && r.path == "/sum") {
    auto it = r.query.find("values");
    long sum = 0;
    std::vector<std::string> values =
        it == r.query.end() ? std::vector<std::string>{} : split(it->second, ',');
    for (const auto& v : values) {
      long x = 0;
      std::from_chars(v.data(), v.data() + v.size(), x);
      sum += x;
    }
    return {200, {{"sum", sum}, {"count", values.size()}}};
  }
  if (r.method == "POST" && r.path == "/echo") {
    nlohmann::json body = nlohmann::json::parse(r.body, nullptr, false);
    if (body.is_discarded()) return {400, {{"error", "the body is not JSON"}}};
    nlohmann::json keys = nlohmann::json::array();
    if (body.is_object())
      for (auto& [k, v] : body.items()) keys.push_back(k);
    return {200, {{"echo", body}, {"keys", keys}}};
  }
  if (r.method == "GET" && r.path == "/stats")
    return {200,
            {{"requests", g_requests.load()},
             {"verified", g_verified.load()},
             {"unverified", g_unverified.load()}}};
  return {404, {{"error", "no route for " + r.method + " " + r.path}}};
}

std::string reply_text(int status, const std::string& body, bool keep_alive,
                       const std::string& extra_headers) {
  const char* reason = status == 200   ? "OK"
                       : status == 400 ? "Bad Request"
                       : status == 404 ? "Not Found"
                                       : "Error";
  return "HTTP/1.1 " + std::to_string(status) + " " + reason +
         "\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\nConnection: " +
         (keep_alive ? "keep-alive" : "close") + "\r\n" + extra_headers +
         "\r\n" + body;
}

// --verify: the request's data is on its arena.
bool on_arena(const request& r, const std::string& reply,
              const tacit::arena& a) {
  auto mine = [&](const void* p) { return tacit::owner_of(p) == &a; };
  // (Short strings live inside their objects: only heap buffers are asked.)
  auto check = [&](const std::string& s) {
    return s.size() < 16 || mine(s.data());
  };
  if (!check(r.method) || !check(r.path) || !check(r.body) || !check(reply))
    return false;
  for (const auto& [k, v] : r.headers)
    if (!check(k) || !check(v)) return false;
  for (const auto& [k, v] : r.query)
    if (!check(k) || !check(v)) return false;
  return true;
}

void stop_if_done(asio::io_context& io) {
  if (opts.requests > 0 && g_requests.load() >= opts.requests) io.stop();
}

// ---------------------------------------------------------------------------
// One connection: requests one after another, each on its own arena.
awaitable<void> session(tcp::socket socket, asio::io_context& io) {
  std::string pending;  // bytes read past the last request (global heap)
  for (;;) {
    tacit::arena request_memory;  // this request's memory
    bool keep_alive = false;
    bool closed = false;
    std::size_t used = 0;
    std::pmr::memory_resource& memory =
        opts.heap ? tacit::global() : static_cast<std::pmr::memory_resource&>(request_memory);
    with_alloc(memory) {
      std::string buffer = pending;
      // Read the head, then the body: co_await inside the request's scope.
      std::size_t head_end;
      for (;;) {
        head_end = buffer.find("\r\n\r\n");
        if (head_end != std::string::npos) break;
        char chunk[4096];
        boost::system::error_code ec;
        std::size_t n = co_await socket.async_read_some(
            asio::buffer(chunk), asio::redirect_error(use_awaitable, ec));
        if (ec) {
          closed = true;
          break;
        }
        buffer.append(chunk, n);
      }
      if (!closed) {
        request r;
        if (!parse_head(std::string_view(buffer).substr(0, head_end + 2), r)) {
          closed = true;
        } else {
          auto cl = r.headers.find("content-length");
          std::size_t length = cl == r.headers.end() ? 0 : std::strtoul(cl->second.c_str(), nullptr, 10);
          std::size_t body_start = head_end + 4;
          while (!closed && buffer.size() < body_start + length) {
            char chunk[4096];
            boost::system::error_code ec;
            std::size_t n = co_await socket.async_read_some(
                asio::buffer(chunk), asio::redirect_error(use_awaitable, ec));
            if (ec) closed = true;
            else buffer.append(chunk, n);
          }
          if (!closed) {
            r.body = buffer.substr(body_start, length);
            used = body_start + length;
            auto conn = r.headers.find("connection");
            keep_alive = r.version == "HTTP/1.1" ? !(conn != r.headers.end() && conn->second == "close")
                                                 : (conn != r.headers.end() && conn->second == "keep-alive");
            auto [status, json] = route(r);
            std::string body = json.dump();
            std::string extra;
            if (opts.verify) {
              bool ok = !opts.heap && on_arena(r, body, request_memory);
              (ok ? g_verified : g_unverified).fetch_add(1);
              extra = std::string("X-Tacit-Verified: ") + (ok ? "yes" : "no") + "\r\n";
            }
            std::string reply = reply_text(status, body, keep_alive, extra);
            boost::system::error_code ec;
            co_await asio::async_write(socket, asio::buffer(reply),
                                       asio::redirect_error(use_awaitable, ec));
            if (ec) closed = true;
          }
        }
      }
      without_alloc pending.assign(buffer, std::min(used, buffer.size()));
    }
    if (closed) co_return;
    g_arena_allocations.fetch_add(
        static_cast<long>(request_memory.stats().allocations));
    g_requests.fetch_add(1);
    stop_if_done(io);
    if (!keep_alive) co_return;
  }
}

awaitable<void> listener(tcp::acceptor acceptor, asio::io_context& io) {
  for (;;) {
    boost::system::error_code ec;
    tcp::socket socket = co_await acceptor.async_accept(
        asio::redirect_error(use_awaitable, ec));
    if (ec) co_return;
    asio::co_spawn(acceptor.get_executor(), session(std::move(socket), io),
                   asio::detached);
  }
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto next = [&] { return i + 1 < argc ? std::atol(argv[++i]) : 0L; };
    if (a == "--port") opts.port = static_cast<unsigned short>(next());
    else if (a == "--threads") opts.threads = static_cast<int>(next());
    else if (a == "--heap") opts.heap = true;
    else if (a == "--requests") opts.requests = next();
    else if (a == "--seconds") opts.seconds = next();
    else if (a == "--verify") opts.verify = true;
    else {
      std::fprintf(stderr, "http_server: unknown option %s\n", argv[i]);
      return 2;
    }
  }
  asio::io_context io(opts.threads);
  tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), opts.port});
  std::printf("listening on 127.0.0.1:%u (%s, %d thread%s)\n",
              acceptor.local_endpoint().port(),
              opts.heap ? "global heap" : "an arena per request", opts.threads,
              opts.threads == 1 ? "" : "s");
  std::fflush(stdout);
  asio::co_spawn(io, listener(std::move(acceptor), io), asio::detached);
  asio::steady_timer deadline(io);
  if (opts.seconds > 0) {
    deadline.expires_after(std::chrono::seconds(opts.seconds));
    deadline.async_wait([&](auto) { io.stop(); });
  }
  std::vector<std::thread> threads;
  for (int t = 1; t < opts.threads; ++t) threads.emplace_back([&] { io.run(); });
  io.run();
  for (auto& t : threads) t.join();
  std::printf("served %ld requests (%ld verified on their arena, %ld not); "
              "%ld arena allocations\n",
              g_requests.load(), g_verified.load(), g_unverified.load(),
              g_arena_allocations.load());
}
