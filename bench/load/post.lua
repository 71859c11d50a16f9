-- wrk script: POSTs the JSON body in $BENCH_BODY_FILE, with $BENCH_AUTH as the bearer token when set and the
-- headers in $BENCH_HEADERS ("name: value|name: value") when set.
local file = assert(io.open(os.getenv("BENCH_BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
local key = os.getenv("BENCH_AUTH")
if key ~= nil and key ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. key
end
local extra = os.getenv("BENCH_HEADERS")
if extra ~= nil and extra ~= "" then
  for pair in string.gmatch(extra, "[^|]+") do
    local name, value = string.match(pair, "^%s*([^:]+):%s*(.-)%s*$")
    wrk.headers[name] = value
  end
end

-- Any non-2xx answer is counted so a misconfigured target cannot pass as fast.
done = function(summary, latency, requests)
  io.write(string.format("bench-errors: %d\n", summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
