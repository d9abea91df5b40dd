-- Queue leave (redis-keys.md §4.1 L7).
-- KEYS[1] = concurrency:queue:{keyId}
-- ARGV: none
-- Returns the remaining count; the key is deleted at zero or below.
local count = redis.call('DECR', KEYS[1])
if count <= 0 then
  redis.call('DEL', KEYS[1])
  return 0
end
return count
