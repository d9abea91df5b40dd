-- Compare-and-delete lock release (redis-keys.md §4.1 L10).
-- KEYS[1] = lock key
-- ARGV[1] = owner value written when the lock was taken
-- Returns 1 when the lock was ours and is now deleted, else 0.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
