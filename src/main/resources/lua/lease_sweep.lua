-- Periodic lease sweep of one key (redis-keys.md §4.1 L5, pitfall P17).
-- KEYS[1] = a concurrency:* key that is not a concurrency:queue:* key
-- ARGV[1] = now ms epoch
-- Returns -1 = not a ZSET and deleted, 1 = no lease left and deleted, 0 = leases remain.
local key = KEYS[1]
if redis.call('TYPE', key)['ok'] ~= 'zset' then
  redis.call('DEL', key)
  return -1
end
redis.call('ZREMRANGEBYSCORE', key, '-inf', ARGV[1])
if redis.call('ZCARD', key) <= 0 then
  redis.call('DEL', key)
  return 1
end
return 0
