-- NPS by channel, with intervals, and the detractors to call back.
--   LUA_CPATH="build/lua/?.so" lua5.4 examples/lua/nps_by_channel.lua FILE
local feedback = require "feedback"
local path = arg[1] or "examples/data/feedback-sample.csv"

local s = feedback.summarize(path, {by = {"channel"}})
print(string.format("NPS by channel, 95%% intervals (%s):", path))
for _, g in ipairs(s.groups) do
  local nps = g.metrics.nps
  if nps then
    print(string.format("  %-16s %+6.1f [%+6.1f, %+6.1f]  n=%d", g.key.channel, nps.value,
                        nps.lo, nps.hi, nps.n))
  end
end

-- Detractors from relevant feedback only, as a service desk follows them up.
local chain = feedback.chain({alerts = {"nps<=6"}})
local reader = feedback.open(path)
local follow_up = 0
for rec in reader:records() do
  local v = chain:evaluate(rec)
  if v.action ~= "drop" and #v.alerts > 0 then follow_up = follow_up + 1 end
end
reader:close()
print(string.format("%d detractors to call back; %s", follow_up, chain:counts().explanation))
