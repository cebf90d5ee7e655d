-- The Lua binding: records, reading and writing, metrics, summaries, filters,
-- errors and closing. Run by ctest: lua5.4 test_feedback.lua SAMPLE WORKDIR,
-- with LUA_CPATH set to the build tree. Each check fails the run on its own.
local fb = require "feedback"
local sample, work = arg[1], arg[2]
assert(sample and work, "usage: lua5.4 test_feedback.lua SAMPLE.csv WORKDIR")

local failures, checks = 0, 0
local function check(name, fn)
  checks = checks + 1
  local ok, err = pcall(fn)
  if not ok then
    failures = failures + 1
    io.stderr:write("FAIL ", name, ": ", tostring(err), "\n")
  end
end
local function eq(got, want, what)
  if got ~= want then
    error(string.format("%s: got %s, want %s", what or "value", tostring(got), tostring(want)), 2)
  end
end
local function raises(fn, pattern, what)
  local ok, err = pcall(fn)
  if ok then error((what or "call") .. ": no error", 2) end
  if not tostring(err):find(pattern, 1, true) then
    error(string.format("%s: error %q lacks %q", what or "call", tostring(err), pattern), 2)
  end
end

check("the module", function()
  eq(type(fb.version), "string", "version")
  eq(fb.fbb_reader_open, nil, "SWIG's functions are private")
  eq(fb.REASONS[0], "non_customer", "reason 0")
end)

check("reading the sample", function()
  local r = fb.open(sample)
  local n, first = 0, nil
  for rec in r:records() do
    n = n + 1
    first = first or rec
  end
  eq(n, 2000, "records")
  eq(first.id, 100001, "id")
  eq(math.type(first.created_at), "integer", "times are integer milliseconds")
  eq(fb.time(first.created_at), "2025-05-01T19:19:17Z", "created_at")
  eq(first.channel, "service_desk", "channel")
  eq(first.answers.csat, 1.0, "csat")
  eq(first.tags[1], "price", "tag")
  eq(first.attributes.order_value, "14999.00", "attribute")
  r:close()
  r:close()
  raises(function() r:next() end, "the reader is closed", "a closed reader")
end)

check("round trips", function()
  local rec = {id = 7, created_at = "2026-03-01T10:00:00Z", interaction_at = "2026-02-28",
               customer_id = "c1", customer_status = "active", customer_verified = true,
               channel = "sms", answers = {nps = 9, csat = false},
               custom_answers = {speed = {score = 4, min = 1, max = 5}},
               text = "Быстро и вежливо", tags = {"delivery", "курьер"},
               attributes = {plan = "gold"}, country = "RU", tip = 150, tip_currency = "EUR"}
  for _, format in ipairs({"csv", "jsonl", "log"}) do
    local path = work .. "/round." .. format
    os.remove(path)
    local w = fb.writer(path, {format = format})
    w:write(rec)
    w:close()
    local got = fb.read(path)
    eq(#got, 1, format .. ": records")
    local g = got[1]
    eq(g.id, 7, format .. ": id")
    eq(g.created_at, fb.parse_time("2026-03-01T10:00:00Z"), format .. ": created_at")
    eq(g.answers.nps, 9.0, format .. ": nps")
    eq(g.answers.csat, false, format .. ": a skipped answer")
    eq(g.custom_answers.speed.score, 4.0, format .. ": custom answer")
    eq(g.custom_answers.speed.max, 5.0, format .. ": its scale")
    eq(g.text, "Быстро и вежливо", format .. ": text")
    eq(g.tags[2], "курьер", format .. ": tags")
    eq(g.attributes.plan, "gold", format .. ": attributes")
    eq(g.customer_verified, true, format .. ": verified")
    eq(g.tip, 150, format .. ": tip")
  end
end)

check("errors carry the library's message", function()
  local w = fb.writer(work .. "/bad.csv")
  raises(function() w:write({created_at = "2026-01-01", channel = "emial", text = "x"}) end,
         "channel: unknown channel 'emial' (did you mean 'email'?)", "a misspelt channel")
  raises(function() w:write({channel = "sms", text = "x"}) end, "created_at is required",
         "no created_at")
  raises(function() w:write({created_at = "2026-01-01", answers = {nps = 11}}) end,
         "11 is outside the nps scale 0..10", "an NPS of 11")
  raises(function() w:write({created_at = "2026-01-01", tags = "x", text = "x"}) end,
         "record field tags: expected an array of strings", "tags not an array")
  w:close()
  raises(function() w:write({created_at = 0, text = "x"}) end, "the writer is closed",
         "a closed writer")
  raises(function() fb.open(work .. "/missing.csv") end, "missing.csv", "a missing file")
end)

check("metrics of arrays", function()
  local r = fb.nps({3, 7, 8, 9, 9, 10})
  eq(string.format("%.4f", r.nps.value), "33.3333", "NPS")
  eq(r.nps.n, 6, "n")
  assert(r.nps.lo < r.nps.value and r.nps.value < r.nps.hi, "the interval holds the value")
  eq(fb.nps({9, false, 10}).skipped, 1, "false is skipped")
  eq(string.format("%.2f", fb.csat({5, 4, 1, 2, 3}).satisfied.value), "0.40", "CSAT")
  eq(fb.rating({5, 5, 4, 1}).stars[5], 2, "five-star ratings")
  raises(function() fb.nps({9, 11}) end, "scores[1]: 11 is outside the nps scale", "range")
end)

check("summaries", function()
  local s = fb.summarize(sample, {by = {"channel"}, period = "year"})
  eq(s.total.metrics.nps.n, 629, "NPS answers")
  eq(string.format("%.1f", s.total.metrics.nps.value), "30.7", "NPS of the sample")
  local sum = 0
  for _, g in ipairs(s.groups) do
    sum = sum + g.records
    assert(g.key.channel and g.period_start, "groups have a channel and a period")
  end
  eq(sum, 2000, "records of the groups")
  local board = fb.summarize(sample, {by = {"channel"}}):leaderboard("nps", 20)
  for i = 2, #board do assert(board[i - 1].bound >= board[i].bound, "ranked by bound") end
  eq(#s:terms(3), 3, "terms")
  raises(function() fb.summarize(sample, {by = {"chanel"}}) end, "did you mean 'channel'",
         "a misspelt dimension")
end)

check("filters", function()
  local c = fb.chain({alerts = {"nps<=6"}, actions = {late = "keep"}})
  local v = c:evaluate({created_at = "2026-03-01", interaction_at = "2026-02-28",
                        customer_status = "non_customer", answers = {nps = 3},
                        text = "Мне сказали, что тут дорого"})
  eq(v.action, "drop", "action")
  eq(v.dropped[1], "non_customer", "dropped")
  eq(v.flagged[1], "hearsay", "flagged")
  eq(v.alerts[1], "nps<=6", "alert")
  eq(v.spans[1].text, "Мне сказали, что", "span")
  eq(v.spans[1].offset, 0, "span offset")
  assert(v.explanation:find("drop: non_customer", 1, true), "explanation")
  local counts = c:counts()
  eq(counts.records, 1, "records judged")
  eq(counts.dropped_by.non_customer, 1, "counted by reason")
  local s = fb.summarize(sample, {relevance = fb.chain()})
  assert(s.total.excluded > 0, "relevance excludes records")
  c:close()
  raises(function() c:evaluate({created_at = 0, text = "x"}) end, "closed", "a closed chain")
end)

if failures > 0 then
  io.stderr:write(string.format("%d of %d checks failed\n", failures, checks))
  os.exit(1)
end
print(string.format("%d checks passed", checks))
