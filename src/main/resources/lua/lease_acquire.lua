-- Lease acquire with the limit check inside (redis-keys.md §4.1 L1 + L3, relay.md §3.4 "occupy then check").
-- KEYS[1] = lease ZSET (concurrency:{keyId} | concurrency:claude_account:{id} | concurrency:console_account:{id})
-- ARGV[1] = member (request UUID), ARGV[2] = lease expiry ms epoch (score), ARGV[3] = now ms epoch,
-- ARGV[4] = key TTL ms for PEXPIRE (0 = none), ARGV[5] = limit (0 = unlimited)
-- Returns {1, count} when admitted (count includes this lease), {0, count - 1} when over the limit
-- (the member is removed again, and the key deleted if that left it empty, exactly as L3 would).
local key = KEYS[1]
local member = ARGV[1]
local now = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
local limit = tonumber(ARGV[5])

redis.call('ZREMRANGEBYSCORE', key, '-inf', ARGV[3])
redis.call('ZADD', key, ARGV[2], member)
if ttl > 0 then
  redis.call('PEXPIRE', key, ARGV[4])
end
local count = redis.call('ZCARD', key)

if limit > 0 and count > limit then
  redis.call('ZREM', key, member)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', ARGV[3])
  if redis.call('ZCARD', key) <= 0 then
    redis.call('DEL', key)
  end
  return {0, count - 1}
end
return {1, count}
