-- Queue enter (redis-keys.md §4.1 L6).
-- KEYS[1] = concurrency:queue:{keyId}
-- ARGV[1] = TTL seconds (ceil(timeoutMs / 1000) + 30), re-set on every enter
-- Returns the new number of waiting requests.
local count = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[1])
return count
