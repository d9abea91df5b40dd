-- An admin write of an account hash: sets some fields and removes others, only while the account exists (a late
-- write must not leave a fragment the legacy's listing would show as an account without id).
-- KEYS[1] = the account's key, e.g. claude_console_account:{id}
-- ARGV[1] = n, the number of field/value pairs that follow
-- ARGV[2 .. 1+2n] = field, value, ...; ARGV[2+2n ..] = fields to delete
-- Returns 0 and writes nothing when the hash is gone, else 1.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
local pairs = tonumber(ARGV[1])
if pairs > 0 then
  redis.call('HSET', KEYS[1], unpack(ARGV, 2, 1 + 2 * pairs))
end
if #ARGV > 1 + 2 * pairs then
  redis.call('HDEL', KEYS[1], unpack(ARGV, 2 + 2 * pairs))
end
return 1
