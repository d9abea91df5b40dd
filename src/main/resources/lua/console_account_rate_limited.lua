-- Console account answered 429 (relay.md §7.2; legacy claudeConsoleAccountService markAccountRateLimited).
-- Writes only the changed fields, never the whole hash.
-- KEYS[1] = claude_console_account:{id}
-- ARGV[1] = rateLimitedAt ISO, ARGV[2] = errorMessage ("Rate limited at <ISO>")
-- Returns 1 = marked, 0 = skipped (rateLimitDuration parses to 0: rate limiting disabled), -1 = no such account.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return -1
end
local duration = redis.call('HGET', KEYS[1], 'rateLimitDuration')
local digits = duration and string.match(duration, '^%s*([+-]?%d+)')
if digits and tonumber(digits) == 0 then
  return 0
end
redis.call('HSET', KEYS[1],
  'rateLimitedAt', ARGV[1],
  'rateLimitStatus', 'limited',
  'isActive', 'false',
  'schedulable', 'false',
  'errorMessage', ARGV[2],
  'rateLimitAutoStopped', 'true')
-- quota_exceeded is the stronger state and is kept.
if redis.call('HGET', KEYS[1], 'status') ~= 'quota_exceeded' then
  redis.call('HSET', KEYS[1], 'status', 'rate_limited')
end
return 1
