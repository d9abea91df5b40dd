-- API-key fixed-window check (redis-keys.md §2.8, relay.md §3.5), made atomic: the legacy runs the same
-- steps as separate commands; doing them in one script keeps the limit exact under concurrency.
-- KEYS[1] = rate_limit:window_start:{keyId}, KEYS[2] = rate_limit:requests:{keyId},
-- KEYS[3] = rate_limit:tokens:{keyId},       KEYS[4] = rate_limit:cost:{keyId}
-- ARGV[1] = now ms epoch, ARGV[2] = window ms, ARGV[3] = request limit (0 = none),
-- ARGV[4] = token limit (0 = none), ARGV[5] = cost limit USD (0 = none), ARGV[6] = "1" if fuel is active
-- Returns {outcome, windowStart, requests, tokens, cost as string}; outcome 0 = admitted (requests is then the
-- count after INCR), 1 = request limit, 2 = token limit, 3 = cost limit (counters as read, nothing written).

-- JavaScript parseInt / parseFloat of a stored string (missing or garbage = 0).
local function js_int(value)
  if not value then return 0 end
  local digits = string.match(value, '^%s*([+-]?%d+)')
  return digits and tonumber(digits) or 0
end
local function js_float(value)
  if not value then return 0 end
  local n = tonumber(value)
  if n then return n end
  local prefix = string.match(value, '^%s*([+-]?%d*%.?%d+[eE][+-]?%d+)')
    or string.match(value, '^%s*([+-]?%d*%.?%d+)')
    or string.match(value, '^%s*([+-]?%d+)%.')
  return prefix and tonumber(prefix) or 0
end

local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local requestLimit = tonumber(ARGV[3])
local tokenLimit = tonumber(ARGV[4])
local costLimit = tonumber(ARGV[5])
local fuelActive = ARGV[6] == '1'

local rawStart = redis.call('GET', KEYS[1])
local start = rawStart and js_int(rawStart)
if not start or now - start >= window then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  redis.call('SET', KEYS[2], '0', 'PX', ARGV[2])
  redis.call('SET', KEYS[3], '0', 'PX', ARGV[2])
  redis.call('SET', KEYS[4], '0', 'PX', ARGV[2])
  start = now
end

local requests = js_int(redis.call('GET', KEYS[2]))
local tokens = js_int(redis.call('GET', KEYS[3]))
local rawCost = redis.call('GET', KEYS[4]) or '0'
local cost = js_float(rawCost)

if requestLimit > 0 and requests >= requestLimit then
  return {1, start, requests, tokens, rawCost}
end
if tokenLimit > 0 then
  if tokens >= tokenLimit then
    return {2, start, requests, tokens, rawCost}
  end
elseif costLimit > 0 and cost >= costLimit and not fuelActive then
  return {3, start, requests, tokens, rawCost}
end

local admitted = redis.call('INCR', KEYS[2])
return {0, start, admitted, tokens, rawCost}
