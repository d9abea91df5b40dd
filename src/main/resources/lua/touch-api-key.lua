-- apikey:{id}.lastUsedAt + 365-day TTL, only while the key exists (redis-keys.md §5 ordering 2e): a plain HSET
-- would resurrect a deleted key as a hash holding only lastUsedAt.
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[1], 'lastUsedAt', ARGV[1])
  redis.call('EXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
