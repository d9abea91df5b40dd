-- User-message queue lock (redis-keys.md §4.1 L11). KEYS[1] = user_msg_queue_lock:{account},
-- KEYS[2] = user_msg_queue_last:{account}; ARGV = request id, lock TTL ms, minimum gap ms.
-- Returns {1, 0} when taken, {0, ms} when the last request ended less than the gap ago (wait ms),
-- {0, -1} while another request holds the lock.
if redis.call('GET', KEYS[1]) then
  return {0, -1}
end
local last = redis.call('GET', KEYS[2])
if last then
  local time = redis.call('TIME')
  local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  local gap = tonumber(ARGV[3])
  local since = now - tonumber(last)
  if since < gap then
    return {0, gap - since}
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return {1, 0}
