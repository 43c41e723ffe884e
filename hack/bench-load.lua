-- wrk script for `make bench` (hack/bench.py drives it):
--
--   wrk -t1 -c64 -d15s -s hack/bench-load.lua http://127.0.0.1:PORT -- BODIES_FILE [PATH] ["Name: value" ...]
--
-- Arguments after PATH of the form "Name: value" are added to every request's headers
-- (hack/bench-gateway.py passes Authorization and AI-Resource-Group this way).
-- BODIES_FILE holds one request per line: "<token count>\t<JSON body>". The requests are
-- formatted once in init(); request() only cycles through them (each thread from its own
-- offset), so the load generator costs little CPU next to the server on a small machine.
-- response() counts 200s, other statuses, and the server's usage.prompt_tokens (read from the
-- tail of the body, where quiver-embed writes it). done() prints one line, "BENCH_JSON {...}",
-- with the counts and wrk's latency percentiles (microseconds) for bench.py to parse.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_index", #threads)
end

requests_list = {}
count = 0
cursor = 0
ok = 0
not_ok = 0
prompt_tokens = 0
missing_usage = 0
first_bad_status = 0
first_bad_body = ""

function init(args)
  local path = args[1]
  local route = args[2] or "/v1/embeddings"
  local f = assert(io.open(path, "r"), "cannot open bodies file " .. tostring(path))
  local headers = { ["Content-Type"] = "application/json" }
  for i = 3, #args do
    local name, value = args[i]:match("^([^:%s]+):%s*(.-)%s*$")
    assert(name, "extra argument is not a \"Name: value\" header: " .. tostring(args[i]))
    headers[name] = value
  end
  for line in f:lines() do
    local n, body = line:match("^(%d+)\t(.*)$")
    if body then
      count = count + 1
      requests_list[count] = wrk.format("POST", route, headers, body)
    end
  end
  f:close()
  assert(count > 0, "no bodies in " .. path)
  -- spread threads over the list so that they do not send the same texts in lockstep
  cursor = (((thread_index or 1) - 1) * 7919) % count
end

function request()
  cursor = cursor + 1
  if cursor > count then cursor = 1 end
  return requests_list[cursor]
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
    local len = #body
    local from = len - 160
    if from < 1 then from = 1 end
    local n = body:match('"prompt_tokens":(%d+)', from) or body:match('"prompt_tokens":(%d+)')
    if n then
      prompt_tokens = prompt_tokens + tonumber(n)
    else
      missing_usage = missing_usage + 1
    end
  else
    not_ok = not_ok + 1
    if first_bad_status == 0 then
      first_bad_status = status
      first_bad_body = body:sub(1, 300)
    end
  end
end

local function quote(s)
  s = s:gsub('[%c"\\]', function(c)
    if c == '"' then return '\\"' elseif c == "\\" then return "\\\\" end
    return string.format("\\u%04x", c:byte())
  end)
  return '"' .. s .. '"'
end

function done(summary, latency, requests)
  local t_ok, t_bad, t_tokens, t_missing = 0, 0, 0, 0
  local bad_status, bad_body = 0, ""
  for _, thread in ipairs(threads) do
    t_ok = t_ok + thread:get("ok")
    t_bad = t_bad + thread:get("not_ok")
    t_tokens = t_tokens + thread:get("prompt_tokens")
    t_missing = t_missing + thread:get("missing_usage")
    if bad_status == 0 and thread:get("first_bad_status") ~= 0 then
      bad_status = thread:get("first_bad_status")
      bad_body = thread:get("first_bad_body")
    end
  end
  local e = summary.errors
  -- p1 … p99, so that consecutive runs can be merged into one latency distribution
  local pcts = {}
  for p = 1, 99 do pcts[p] = string.format("%d", latency:percentile(p)) end
  local parts = {
    string.format('"duration_us":%d', summary.duration),
    string.format('"requests":%d', summary.requests),
    string.format('"bytes":%d', summary.bytes),
    string.format('"ok":%d', t_ok),
    string.format('"not_ok":%d', t_bad),
    string.format('"prompt_tokens":%d', t_tokens),
    string.format('"missing_usage":%d', t_missing),
    string.format('"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}',
      e.connect, e.read, e.write, e.status, e.timeout),
    string.format('"latency_us":{"min":%d,"mean":%.1f,"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d}',
      latency.min, latency.mean, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency:percentile(99.9), latency.max),
    '"percentiles_us":[' .. table.concat(pcts, ",") .. ']',
    string.format('"first_bad_status":%d', bad_status),
    '"first_bad_body":' .. quote(bad_body),
  }
  io.write("BENCH_JSON {" .. table.concat(parts, ",") .. "}\n")
end
