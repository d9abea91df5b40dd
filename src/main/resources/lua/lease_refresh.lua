-- Lease refresh (redis-keys.md §4.1 L2): an expired lease is never revived.
-- KEYS[1] = lease ZSET
-- ARGV[1] = member, ARGV[2] = new lease expiry ms epoch, ARGV[3] = now ms epoch, ARGV[4] = key TTL ms (0 = none)
-- Returns 1 when the member was still held (score moved, TTL re-armed), else 0.
local key = KEYS[1]
redis.call('ZREMRANGEBYSCORE', key, '-inf', ARGV[3])
if redis.call('ZSCORE', key, ARGV[1]) then
  redis.call('ZADD', key, ARGV[2], ARGV[1])
  if tonumber(ARGV[4]) > 0 then
    redis.call('PEXPIRE', key, ARGV[4])
  end
  return 1
end
return 0
