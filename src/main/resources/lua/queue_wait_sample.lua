-- Queue wait-time sample (redis-keys.md §4.1 L9), newest first.
-- KEYS[1] = concurrency:queue:wait_times:{keyId} | concurrency:queue:wait_times:global
-- ARGV[1] = wait ms, ARGV[2] = last index kept (499 per key, 1999 global), ARGV[3] = TTL seconds (86400)
-- Returns 1.
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], 0, ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
