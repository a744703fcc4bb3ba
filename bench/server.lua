-- bench/server.lua: wrk's script for bench/server (examples/http_server under
-- load). With TACIT_WRK_LOAD=mix in wrk's environment, each connection's
-- requests rotate through GET /hello, GET /sum?values=... (40 numbers) and
-- POST /echo with a JSON body of about 400 bytes; otherwise every request is
-- the URL's (GET /hello). At the end, one line "bench/server: {JSON}" with
-- what wrk measured: requests, duration, latency percentiles (µs), errors.
--
-- SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

local mix = os.getenv("TACIT_WRK_LOAD") == "mix"
local requests_ = {}
local turn = 0

if mix then
  -- Defined at load time: wrk decides then whether requests are dynamic.
  function request()
    turn = turn % #requests_ + 1
    return requests_[turn]
  end
end

function init(args)
  if not mix then return end
  local values = {}
  for i = 1, 40 do values[#values + 1] = tostring(i * 37 % 1000) end
  local words = {}
  for i = 1, 24 do words[#words + 1] = string.format('"word-%02d"', i) end
  local body = string.format(
    '{"client": "wrk", "request": 12345, "tags": ["alpha", "beta", "gamma", "delta"], ' ..
    '"words": [%s], "nested": {"a": 1, "b": [1, 2, 3], "c": "a short string"}, ' ..
    '"note": "a body of a few hundred bytes, parsed and echoed back with its keys"}',
    table.concat(words, ", "))
  requests_ = {
    wrk.format("GET", "/hello"),
    wrk.format("GET", "/sum?values=" .. table.concat(values, ",")),
    wrk.format("POST", "/echo", {["Content-Type"] = "application/json"}, body),
  }
end

function done(summary, latency, requests)
  local e = summary.errors
  local p = {}
  for _, q in ipairs({50, 75, 90, 99}) do
    p[#p + 1] = string.format('"p%d": %d', q, latency:percentile(q))
  end
  io.write(string.format(
    'bench/server: {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"latency_us": {"mean": %.1f, "stdev": %.1f, "max": %d, %s}, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    latency.mean, latency.stdev, latency.max, table.concat(p, ", "),
    e.connect, e.read, e.write, e.status, e.timeout))
end
