-- An admin write of an API key: sets some fields, removes others and re-arms the key's TTL, only while the key
-- exists (redis-keys.md §2.1; pitfall P3: only the changed fields are written, never the whole hash).
-- KEYS[1] = apikey:{id}
-- ARGV[1] = TTL in seconds (365 days, as every legacy write of the hash re-arms it)
-- ARGV[2] = n, the number of field/value pairs that follow
-- ARGV[3 .. 2+2n] = field, value, ...; ARGV[3+2n ..] = fields to delete
-- Returns 0 and writes nothing when the hash is gone (a late write must not leave a partial apikey:* hash that the
-- legacy's listing would treat as a key), else 1.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
local pairs = tonumber(ARGV[2])
if pairs > 0 then
  redis.call('HSET', KEYS[1], unpack(ARGV, 3, 2 + 2 * pairs))
end
if #ARGV > 2 + 2 * pairs then
  redis.call('HDEL', KEYS[1], unpack(ARGV, 3 + 2 * pairs))
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1
