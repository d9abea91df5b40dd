-- Finds an API key by its stored hash in one round trip (redis-keys.md §2.1, redis.js findApiKeyByHash).
-- KEYS[1] = apikey:hash_map
-- ARGV[1] = the key hash (lowercase hex sha256 of raw key + ENCRYPTION_KEY)
-- ARGV[2] = the key prefix, "apikey:"
-- Returns {} when the hash is unknown; {id} when the map entry pointed at a missing key (the entry is removed,
-- as the legacy self-heals); {id, flat field/value array} otherwise.
local id = redis.call('HGET', KEYS[1], ARGV[1])
if not id then
  return {}
end
local fields = redis.call('HGETALL', ARGV[2] .. id)
if #fields == 0 then
  redis.call('HDEL', KEYS[1], ARGV[1])
  return {id}
end
return {id, fields}
