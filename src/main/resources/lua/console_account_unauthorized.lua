-- Console account answered 401 (relay.md §7.2; legacy claudeConsoleAccountService markAccountUnauthorized).
-- KEYS[1] = claude_console_account:{id}
-- ARGV[1] = unauthorizedAt ISO, ARGV[2] = errorMessage
-- Returns the new unauthorizedCount (JS parseInt of the old value + 1), or -1 when there is no such account.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return -1
end
local old = redis.call('HGET', KEYS[1], 'unauthorizedCount')
local digits = old and string.match(old, '^%s*([+-]?%d+)')
local count = (digits and tonumber(digits) or 0) + 1
redis.call('HSET', KEYS[1],
  'schedulable', 'false',
  'status', 'unauthorized',
  'errorMessage', ARGV[2],
  'unauthorizedAt', ARGV[1],
  'unauthorizedCount', tostring(count))
return count
