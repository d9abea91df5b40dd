-- Lease count (redis-keys.md §4.1 L4).
-- KEYS[1] = lease ZSET
-- ARGV[1] = now ms epoch
-- Returns the number of unexpired leases (expired ones are dropped first).
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
return redis.call('ZCARD', KEYS[1])
