-- One admin login attempt, counted per client address and per username in fixed windows (relay only).
-- KEYS[1] = relay:admin_login:ip:{ip}, KEYS[2] = relay:admin_login:user:{sha256(username)}
-- ARGV[1] = window seconds, ARGV[2] = max attempts per address, ARGV[3] = max attempts per username
-- Returns {attempts by address, attempts by username, seconds until the window over its limit ends (0 = allowed)}.
-- An attempt that is refused is not counted, so a flood does not stretch the lockout.
local window = tonumber(ARGV[1])
local function current(key)
  return tonumber(redis.call('GET', key) or '0')
end
local function wait(key)
  local ttl = redis.call('TTL', key)
  if ttl < 1 then
    redis.call('EXPIRE', key, window)
    return window
  end
  return ttl
end
local byAddress = current(KEYS[1])
local byUser = current(KEYS[2])
local retry = 0
if byAddress >= tonumber(ARGV[2]) then
  retry = wait(KEYS[1])
end
if byUser >= tonumber(ARGV[3]) then
  retry = math.max(retry, wait(KEYS[2]))
end
if retry > 0 then
  return {byAddress, byUser, retry}
end
byAddress = redis.call('INCR', KEYS[1])
if byAddress == 1 then
  redis.call('EXPIRE', KEYS[1], window)
end
byUser = redis.call('INCR', KEYS[2])
if byUser == 1 then
  redis.call('EXPIRE', KEYS[2], window)
end
return {byAddress, byUser, 0}
