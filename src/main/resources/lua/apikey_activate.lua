-- First-use activation of an API key: writes only the changed fields and re-arms the key's TTL (redis-keys.md §2.1
-- lifecycle, pitfall P3).
-- KEYS[1] = apikey:{id}
-- ARGV[1] = TTL in seconds (365 days, as every legacy write of the hash re-arms it)
-- ARGV[2..] = field, value, field, value, ... (isActivated, activatedAt, expiresAt, lastUsedAt)
-- Returns 0 and writes nothing when the hash is gone (a late write must not leave a partial apikey:* hash that the
-- legacy's listing would treat as a key), else 1.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1
