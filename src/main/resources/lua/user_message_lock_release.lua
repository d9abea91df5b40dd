-- User-message queue lock release (redis-keys.md §4.1 L12): only by its holder, which records when it ended.
-- KEYS as the acquire script; ARGV[1] = request id. Returns 1 when released, 0 when not the holder.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  local time = redis.call('TIME')
  local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  redis.call('SET', KEYS[2], now, 'EX', 60)
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
