-- Queue statistic (redis-keys.md §4.1 L8).
-- KEYS[1] = concurrency:queue:stats:{keyId}
-- ARGV[1] = field (entered|success|timeout|cancelled|socket_changed|rejected_overload), ARGV[2] = TTL seconds (604800)
-- Returns the field's new value.
local count = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
redis.call('EXPIRE', KEYS[1], ARGV[2])
return count
