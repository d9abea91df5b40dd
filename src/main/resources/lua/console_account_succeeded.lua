-- Console account answered 200/201 (relay.md §7.2; legacy claudeConsoleRelayService success branch:
-- isAccountRateLimited -> removeAccountRateLimit, isAccountOverloaded -> removeAccountOverload).
-- Both legacy checks lift the mark whether it is still running or already over, so any set mark is lifted.
-- KEYS[1] = claude_console_account:{id}
-- ARGV: none
-- Returns a bit set: 1 = rate limit lifted, 2 = overload lifted (0 = nothing to do, also for a missing account).
local key = KEYS[1]
local f = redis.call('HMGET', key, 'rateLimitStatus', 'rateLimitedAt', 'rateLimitDuration', 'status',
  'quotaStoppedAt', 'rateLimitAutoStopped', 'schedulable', 'overloadStatus', 'overloadedAt')
local function present(v) return v and v ~= '' end
local lifted = 0

local durationDigits = f[3] and string.match(f[3], '^%s*([+-]?%d+)')
local rateLimitingDisabled = durationDigits and tonumber(durationDigits) == 0
if f[1] == 'limited' and present(f[2]) and not rateLimitingDisabled then
  redis.call('HDEL', key, 'rateLimitedAt', 'rateLimitStatus')
  local hadAutoStop = f[6] == 'true'
  if f[4] == 'rate_limited' then
    if present(f[5]) then
      redis.call('HSET', key, 'status', 'quota_exceeded')
    else
      if hadAutoStop then
        redis.call('HDEL', key, 'rateLimitAutoStopped')
      end
      if hadAutoStop and f[7] == 'false' then
        redis.call('HSET', key, 'isActive', 'true', 'status', 'active', 'errorMessage', '', 'schedulable', 'true')
      else
        redis.call('HSET', key, 'isActive', 'true', 'status', 'active', 'errorMessage', '')
      end
    end
  else
    redis.call('HDEL', key, 'rateLimitAutoStopped')
  end
  lifted = lifted + 1
end

if f[8] == 'overloaded' and present(f[9]) then
  redis.call('HDEL', key, 'overloadedAt', 'overloadStatus')
  lifted = lifted + 2
end
return lifted
