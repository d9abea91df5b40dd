-- One usage batch in one call (UsageWrites.scriptArgs, redis-keys.md §2.2/§2.3/§2.15, §5 ordering 2): the same
-- commands the legacy sends one by one, atomically. ARGV is a list of operations, each a letter and its operands:
--   H key n f1 v1 .. fn vn         HINCRBY key fi vi
--   F key n f1 v1 .. fn vn         HINCRBYFLOAT key fi vi
--   I key v                        INCRBYFLOAT key v
--   T key iso ttl                  while the API key exists: HSET key lastUsedAt iso, EXPIRE key ttl
--   S key n f1 v1 .. fn vn         HSET key fi vi
--   L key kept ttl n j1 .. jn      LPUSH key j1 .. jn, LTRIM key 0 kept-1, EXPIRE key ttl
--   X stream maxlen json           XADD stream MAXLEN ~ maxlen * data json
--   N key v                        INCRBY key v
--   E key seconds                  EXPIRE key seconds
--   M key seq ttl                  SET key seq EX ttl (the batch's commit marker, last)
-- Like EXEC, a command refused for its data (e.g. WRONGTYPE on a legacy key of another type) does not stop the
-- rest; it is returned as "COMMAND key: error". A refusal of the server itself (out of memory, read-only replica,
-- ...) comes with the first write, before anything was applied: the whole call fails and is retried.
local refused = {}
-- set by the first server refusal: from then on nothing runs and the call answers that refusal
-- (a plain error() would not do: Redis 6 cannot raise an error table from a script)
local aborted = nil
local passing = {OOM = true, READONLY = true, LOADING = true, MISCONF = true, BUSY = true, NOAUTH = true,
  NOPERM = true, MASTERDOWN = true, TRYAGAIN = true, CLUSTERDOWN = true, NOREPLICAS = true}

local function run(...)
  if aborted then
    return nil
  end
  local reply = redis.pcall(...)
  if type(reply) == 'table' and reply.err then
    -- Redis 6 prefixes errors raised inside a script with "@user_script: <line>: -"
    local message = string.gsub(reply.err, '^@user_script: %d+: %-', '')
    local code = string.match(message, '^(%u+)')
    if code and passing[code] then
      aborted = message
      return nil
    end
    refused[#refused + 1] = select(1, ...) .. ' ' .. select(2, ...) .. ': ' .. message
  end
  return reply
end

local n = #ARGV

-- the operation after the one at i, or nil when ARGV does not hold a whole operation there
local function after(i)
  local op = ARGV[i]
  if op == 'H' or op == 'F' or op == 'S' then
    local count = tonumber(ARGV[i + 2])
    return count and i + 3 + 2 * count or nil
  elseif op == 'I' or op == 'N' or op == 'E' then
    return i + 3
  elseif op == 'T' or op == 'X' or op == 'M' then
    return i + 4
  elseif op == 'L' then
    local count = tonumber(ARGV[i + 4])
    return count and i + 5 + count or nil
  end
  return nil
end

-- checked whole before the first write: a malformed batch changes nothing
local check = 1
while check <= n do
  local next_op = after(check)
  if not next_op or next_op > n + 1 then
    return redis.error_reply('ERR usage_batch: malformed operation ' .. tostring(ARGV[check]) .. ' at ' .. check)
  end
  check = next_op
end

local i = 1
while i <= n do
  local op = ARGV[i]
  local key = ARGV[i + 1]
  if op == 'H' or op == 'F' or op == 'S' then
    local command = op == 'H' and 'HINCRBY' or op == 'F' and 'HINCRBYFLOAT' or 'HSET'
    local count = tonumber(ARGV[i + 2])
    local at = i + 3
    for _ = 1, count do
      run(command, key, ARGV[at], ARGV[at + 1])
      at = at + 2
    end
    i = at
  elseif op == 'I' then
    run('INCRBYFLOAT', key, ARGV[i + 2])
    i = i + 3
  elseif op == 'T' then
    if not aborted and redis.call('EXISTS', key) == 1 then
      run('HSET', key, 'lastUsedAt', ARGV[i + 2])
      run('EXPIRE', key, ARGV[i + 3])
    end
    i = i + 4
  elseif op == 'L' then
    local kept = tonumber(ARGV[i + 2])
    local ttl = ARGV[i + 3]
    local count = tonumber(ARGV[i + 4])
    local first = i + 5
    run('LPUSH', key, unpack(ARGV, first, first + count - 1))
    run('LTRIM', key, 0, kept - 1)
    run('EXPIRE', key, ttl)
    i = first + count
  elseif op == 'X' then
    run('XADD', key, 'MAXLEN', '~', ARGV[i + 2], '*', 'data', ARGV[i + 3])
    i = i + 4
  elseif op == 'N' then
    run('INCRBY', key, ARGV[i + 2])
    i = i + 3
  elseif op == 'E' then
    run('EXPIRE', key, ARGV[i + 2])
    i = i + 3
  elseif op == 'M' then
    run('SET', key, ARGV[i + 2], 'EX', ARGV[i + 3])
    i = i + 4
  end
end
if aborted then
  return redis.error_reply(aborted)
end
return refused
