-- Lease release (redis-keys.md §4.1 L3). Releasing an unknown or empty member is harmless.
-- KEYS[1] = lease ZSET
-- ARGV[1] = member (may be ""), ARGV[2] = now ms epoch
-- Returns the remaining count; the key is deleted when nothing is left.
local key = KEYS[1]
redis.call('ZREM', key, ARGV[1])
redis.call('ZREMRANGEBYSCORE', key, '-inf', ARGV[2])
local count = redis.call('ZCARD', key)
if count <= 0 then
  redis.call('DEL', key)
  return 0
end
return count
