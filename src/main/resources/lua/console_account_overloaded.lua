-- Console account answered 529 (relay.md §7.2; legacy claudeConsoleAccountService markAccountOverloaded).
-- KEYS[1] = claude_console_account:{id}
-- ARGV[1] = overloadedAt ISO, ARGV[2] = errorMessage
-- Returns 1 = marked, -1 = no such account (the legacy never creates the hash here).
if redis.call('EXISTS', KEYS[1]) == 0 then
  return -1
end
redis.call('HSET', KEYS[1],
  'overloadedAt', ARGV[1],
  'overloadStatus', 'overloaded',
  'errorMessage', ARGV[2])
return 1
