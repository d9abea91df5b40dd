-- One counted attempt in a fixed window (relay only): refused, and not counted, once the window holds the maximum.
-- KEYS[1] = the counter, e.g. relay:apistats_lookup:ip:{ip}
-- ARGV[1] = window seconds, ARGV[2] = max attempts per window
-- Returns {attempts in the window, seconds until it ends when refused (0 = allowed)}.
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current >= tonumber(ARGV[2]) then
  local ttl = redis.call('TTL', KEYS[1])
  if ttl < 1 then
    redis.call('EXPIRE', KEYS[1], ARGV[1])
    ttl = tonumber(ARGV[1])
  end
  return {current, ttl}
end
current = redis.call('INCR', KEYS[1])
if current == 1 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
end
return {current, 0}
