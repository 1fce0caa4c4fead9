-- wrk script: POST a scan with a fresh event_id each time, to one of the prepared tracking numbers.
-- NUMBERS (comma-separated) and API_KEY come from the environment; with BARE=1 it posts to /bare instead.
local numbers = {}
for n in string.gmatch(os.getenv("NUMBERS") or "", "[^,]+") do numbers[#numbers + 1] = n end
local bare = os.getenv("BARE") == "1"
local counter = 0
thread_tag = "main"  -- globals: setup() replaces them in each thread
offset = 0
local threads = 0

-- Runs in the main state once per thread: give each thread its own tag so event ids never collide, and its
-- own stretch of the items: the threads' counters advance in step, and without an offset both would scan the
-- same item at the same moment, queueing on its row lock (couriers scan different items).
setup = function(thread)
  threads = threads + 1
  thread:set("thread_tag", tostring(threads) .. "-" .. tostring(os.time()))
  thread:set("offset", (threads - 1) * 7919)
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("API_KEY") or "")

request = function()
  counter = counter + 1
  local event_id = string.format("bench-%s-%d", thread_tag, counter)
  local number = numbers[((counter + offset) % #numbers) + 1]
  local body = string.format(
    '{"event_id": "%s", "tracking_number": "%s", "event": "arrived_hub", "occurred_at": "2026-11-28T09:15:00+07:00"}',
    event_id, number)
  return wrk.format(nil, bare and "/bare" or "/api/v1/scans", nil, body)
end
