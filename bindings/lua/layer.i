/*
 * Lua: the layer users meet. SWIG's functions (fbb_*) and types move into a
 * private table; the module keeps what a Lua programmer expects: readers
 * whose records() is a for-loop iterator, writers, metric functions on
 * arrays, summaries and verdicts as plain tables, objects with close().
 */
%init %{
    /* The layer below finds the module in package.loaded, which require fills only after this. */
    lua_getglobal(L, "package");
    if (lua_istable(L, -1)) {
        lua_getfield(L, -1, "loaded");
        if (lua_istable(L, -1)) {
            lua_pushvalue(L, -3);
            lua_setfield(L, -2, "feedback");
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
%}

%luacode {
local M = package.loaded["feedback"]
local C = {}
for k, v in pairs(M) do
  if type(k) == "string" and (k:match("^fbb?_") or k:match("^FB_")) then C[k] = v end
end
for k in pairs(C) do M[k] = nil end
M._c = C

local UNKNOWN = math.mininteger

M.version = C.fb_version()

local function closed(what) error("the " .. what .. " is closed", 3) end

local function est(e) return {value = e.value, lo = e.lo, hi = e.hi, n = e.n} end

local function names(field)
  local t = {}
  for v = 0, C.fbb_enum_count(field) - 1 do t[v] = C.fbb_enum_name(field, v) end
  return t
end
local CHANNELS, SOURCES, STATUSES, METRICS = names("channel"), names("source"),
  names("customer_status"), names("metric")
local REASONS = {}
for r = 0, C.fbb_reason_count() - 1 do REASONS[r] = C.fbb_reason_name(r) end
M.REASONS = REASONS

local function ms(t, what)
  if t == nil then return UNKNOWN end
  if type(t) == "string" then return C.fbb_time_parse(t) end
  if math.type(t) == "integer" then return t end
  error((what or "time") .. ": expected milliseconds or an ISO 8601 string", 3)
end

--- Times: ISO 8601 of milliseconds, and back.
function M.time(t) return C.fbb_time_format(t) end
function M.parse_time(s) return C.fbb_time_parse(s) end

-- The log's projection: record field -> its group of columns (log.h, FB_LOG_FIELD_*).
local FIELD_BITS = {
  id = 1, kind = 2, created_at = 4, interaction_at = 8, customer_id = 16,
  customer_status = 16, customer_verified = 16, win_back = 16, channel = 32, source = 32,
  answers = 64, custom_answers = 64, text = 128, language = 128, tags = 256, agent_id = 512,
  ticket_id = 512, product = 512, country = 512, tip = 1024, tip_currency = 1024,
  attributes = 2048, ref_id = 4096, handling = 4096, assignee = 4096, assignee_kind = 4096,
}
local function field_bits(fields)
  if fields == nil then return 0 end
  local bits = 4
  for _, f in ipairs(fields) do
    local b = FIELD_BITS[f]
    if not b then error("fields: '" .. tostring(f) .. "' is not a record field", 3) end
    bits = bits | b
  end
  return bits
end

-- ---------------------------------------------------------------- reading, writing

local Reader = {}
Reader.__index = Reader

--- feedback.open(path, {fields =, from =, to =, skip_bad =, strict =, format =}) -> reader
-- Any file of records: a binary log, CSV or JSON Lines. for rec in reader:records() do ... end
function M.open(path, opt)
  opt = opt or {}
  local h = C.fbb_reader_open(path, opt.format, field_bits(opt.fields), ms(opt.from, "from"),
                              ms(opt.to, "to"), opt.skip_bad and true or false,
                              opt.strict and true or false)
  return setmetatable({_h = h, path = path}, Reader)
end

function Reader:next()
  if not self._h then closed("reader") end
  return C.fbb_reader_next(self._h)
end

function Reader:records()
  return function() return self:next() end
end

function Reader:bad_rows()
  if not self._h then closed("reader") end
  return C.fbb_reader_bad_rows(self._h)
end

function Reader:damage()
  if not self._h then closed("reader") end
  local out = {}
  for i = 0, C.fbb_reader_damage_count(self._h) - 1 do
    local d = C.fbb_reader_damage_at(self._h, i)
    out[#out + 1] = {offset = d.offset, bytes = d.bytes,
                     records = d.records >= 0 and d.records or nil, reason = d.message}
  end
  return out
end

function Reader:close()
  if self._h then C.fbb_reader_close(self._h); self._h = nil end
end
Reader.__close = Reader.close

--- feedback.read(path, opt) -> array of every record
function M.read(path, opt)
  local r, out = M.open(path, opt), {}
  for rec in r:records() do out[#out + 1] = rec end
  r:close()
  return out
end

local Writer = {}
Writer.__index = Writer

--- feedback.writer(path, {format = "log"|"csv"|"jsonl", level =, chunk_records =}) -> writer
function M.writer(path, opt)
  opt = opt or {}
  local h = C.fbb_writer_open(path, opt.format, opt.level or -1, opt.chunk_records or 0)
  return setmetatable({_h = h, path = path, written = 0}, Writer)
end

function Writer:write(rec)
  if not self._h then closed("writer") end
  C.fbb_writer_write(self._h, rec)
  self.written = self.written + 1
end

function Writer:flush(sync)
  if not self._h then closed("writer") end
  C.fbb_writer_flush(self._h, sync and true or false)
end

function Writer:close()
  if self._h then
    local h = self._h
    self._h = nil
    C.fbb_writer_close(h)
  end
end
Writer.__close = Writer.close

-- ---------------------------------------------------------------- metrics of arrays

--- Scores are arrays of numbers; false is a skipped answer.
function M.nps(scores, level)
  local r = C.fbb_nps(scores, level or 0)
  return {nps = est(r.nps), promoters = est(r.promoters), passives = est(r.passives),
          detractors = est(r.detractors), mean = est(r.mean), skipped = r.skipped}
end

function M.csat(scores, level)
  local r = C.fbb_csat(scores, level or 0)
  return {satisfied = est(r.satisfied), mean = est(r.mean), problems = est(r.problems),
          skipped = r.skipped}
end

function M.ces(scores, level, legacy)
  local r = C.fbb_ces(scores, level or 0, legacy and true or false)
  return {mean = est(r.mean), agree = est(r.agree), disagree = est(r.disagree),
          net = est(r.net), skipped = r.skipped}
end

function M.gcr(scores, level)
  local r = C.fbb_gcr(scores, level or 0)
  return {completed = est(r.completed), skipped = r.skipped}
end

function M.rating(scores, level, prior_weight, prior_mean)
  local r = C.fbb_rating(scores, level or 0, prior_weight or 10, prior_mean or 3.5)
  local stars = {}
  for k = 0, 4 do stars[k + 1] = r:stars_at(k) end
  return {mean = est(r.mean), stars = stars, bayesian_average = r.bayesian_average,
          lower_bound = r.lower_bound, skipped = r.skipped}
end

-- ---------------------------------------------------------------- relevance

local Chain = {}
Chain.__index = Chain

--- feedback.chain({max_age_days =, max_delay_days =, now =, require_verified =,
--                  abuse_threshold =, actions = {hearsay = "drop"}, alerts = {"nps<=6"}})
function M.chain(opt)
  opt = opt or {}
  local h = C.fbb_chain_new()
  C.fbb_chain_set_recency(h, opt.max_age_days or 90, opt.max_delay_days or 30,
                          ms(opt.now, "now"))
  C.fbb_chain_set_customers(h, opt.require_verified and true or false)
  if opt.abuse_threshold then C.fbb_chain_set_abuse_threshold(h, opt.abuse_threshold) end
  for reason, action in pairs(opt.actions or {}) do C.fbb_chain_set_action(h, reason, action) end
  local alerts = {}
  for i, rule in ipairs(opt.alerts or {}) do
    C.fbb_chain_add_alert(h, rule)
    alerts[i] = rule
  end
  C.fbb_chain_ready(h)
  return setmetatable({_h = h, alerts = alerts}, Chain)
end

local function reason_list(bits)
  local out = {}
  for r = 0, #REASONS do
    if bits >> r & 1 == 1 then out[#out + 1] = REASONS[r] end
  end
  return out
end

local CATEGORIES = {[1] = "obscenity", [2] = "insult", [4] = "threat", [8] = "shouting"}

--- chain:evaluate(rec) -> {action =, dropped =, flagged =, noted =, abuse_score =,
--                          duplicate_of =, spans =, alerts =, explanation =}
function Chain:evaluate(rec)
  local h = self._h
  if not h then closed("filter chain") end
  C.fbb_chain_evaluate(h, rec)
  local spans, text = {}, rec.text or ""
  for i = 0, C.fbb_chain_span_count(h) - 1 do
    local s = C.fbb_chain_span_at(h, i)
    spans[#spans + 1] = {offset = s.offset, length = s.length, reason = REASONS[s.reason],
                         category = CATEGORIES[s.category],
                         text = text:sub(s.offset + 1, s.offset + s.length)}
  end
  local hit = {}
  for i, rule in ipairs(self.alerts) do
    if C.fbb_chain_alert_hit(h, i - 1) then hit[#hit + 1] = rule end
  end
  local score = C.fbb_chain_abuse_score(h)
  local dup = C.fbb_chain_duplicate_of(h)
  return {action = C.fbb_chain_action(h), dropped = reason_list(C.fbb_chain_reasons(h, 2)),
          flagged = reason_list(C.fbb_chain_reasons(h, 1)),
          noted = reason_list(C.fbb_chain_reasons(h, 0)),
          abuse_score = score == score and score or nil,
          duplicate_of = dup ~= 0 and dup or nil, spans = spans, alerts = hit,
          explanation = C.fbb_chain_explain(h)}
end

function Chain:add_word(word, category, kind)
  if not self._h then closed("filter chain") end
  C.fbb_chain_add_word(self._h, kind or "word", category or "insult", word)
end

function Chain:counts()
  if not self._h then closed("filter chain") end
  local c = C.fbb_chain_counts(self._h)
  local out = {records = c.records, kept = c.kept, flagged = c.flagged, dropped = c.dropped,
               dropped_by = {}, flagged_by = {}, noted_by = {}}
  for r = 0, #REASONS do
    local d, f, k = c:dropped_by_at(r), c:flagged_by_at(r), c:noted_by_at(r)
    if d > 0 then out.dropped_by[REASONS[r]] = d end
    if f > 0 then out.flagged_by[REASONS[r]] = f end
    if k > 0 then out.noted_by[REASONS[r]] = k end
  end
  out.explanation = C.fbb_chain_counts_explain(self._h)
  return out
end

function Chain:close()
  if self._h then C.fbb_chain_close(self._h); self._h = nil end
end
Chain.__close = Chain.close

-- ---------------------------------------------------------------- summaries

local DIMS = {"channel", "source", "customer_status", "country", "agent", "product", "tag",
              "attribute"}

local Summary = {}
Summary.__index = Summary

local function group_of(s, i)
  local h = s._h
  local g = C.fbb_summary_group_get(h, i)
  local key, dims = {}, C.fbb_summary_dims(h)
  if i ~= -1 then
    local values = {channel = CHANNELS[g.channel], source = SOURCES[g.source],
                    customer_status = STATUSES[g.customer_status], country = g.country,
                    agent = g.agent, product = g.product, tag = g.tag, attribute = g.attr}
    for bit, d in ipairs(DIMS) do
      if dims >> (bit - 1) & 1 == 1 then key[d] = values[d] end
    end
  end
  local metrics = {}
  for m = 0, #METRICS - 1 do
    local e = C.fbb_summary_headline(h, i, m)
    if e.n > 0 then metrics[METRICS[m]] = est(e) end
  end
  return {index = i, key = key,
          period_start = g.period_start ~= UNKNOWN and g.period_start or nil,
          period_end = g.period_end ~= UNKNOWN and g.period_end or nil,
          records = g.records, excluded = g.excluded, responses = g.responses,
          invitations = g.invitations, updates = g.updates, metrics = metrics}
end

--- feedback.summarize(path_or_records, {by = {"channel"}, period = "month", attr =,
--                     level =, utc_offset_minutes =, relevance = chain}) -> summary
-- summary.total and summary.groups hold each group's key, counts and headline estimates.
function M.summarize(source, opt)
  opt = opt or {}
  local h = C.fbb_summary_new(table.concat(opt.by or {}, ","), opt.period, opt.attr,
                              opt.level or 0, opt.utc_offset_minutes or 0)
  local s = setmetatable({_h = h}, Summary)
  if type(source) == "string" then
    C.fbb_summary_add_path(h, source, opt.relevance and opt.relevance._h or nil)
  else
    for _, rec in ipairs(source) do
      local include = true
      if opt.relevance then include = opt.relevance:evaluate(rec).action ~= "drop" end
      C.fbb_summary_add(h, rec, include)
    end
  end
  s:refresh()
  return s
end

--- Reads the groups again (after add).
function Summary:refresh()
  if not self._h then closed("summary") end
  self.total = group_of(self, -1)
  self.groups = {}
  for i = 0, C.fbb_summary_count(self._h) - 1 do self.groups[i + 1] = group_of(self, i) end
end

function Summary:add(rec, include)
  if not self._h then closed("summary") end
  C.fbb_summary_add(self._h, rec, include ~= false)
end

--- summary:leaderboard(metric, min_n) -> {{rank =, group =, value =, bound =}, ...}
function Summary:leaderboard(metric, min_n)
  if not self._h then closed("summary") end
  local m = C.fbb_enum_value("metric", metric or "nps")
  local out = {}
  for k = 0, C.fbb_summary_leaderboard(self._h, m, min_n or 30) - 1 do
    local l = C.fbb_summary_leader_at(self._h, k)
    out[#out + 1] = {rank = k + 1, group = group_of(self, l.group), value = est(l.value),
                     bound = l.bound}
  end
  return out
end

--- summary:changes(metric, alpha) -> {{group =, kind =, direction =, size =, p_value =}, ...}
function Summary:changes(metric, alpha, min_n)
  if not self._h then closed("summary") end
  local m = C.fbb_enum_value("metric", metric or "nps")
  local out = {}
  for k = 0, C.fbb_summary_changes(self._h, m, alpha or 0.05, 0, min_n or 1) - 1 do
    local c = C.fbb_summary_change_at(self._h, k)
    out[#out + 1] = {group = group_of(self, c.group), kind = c.kind == 1 and "previous" or
                     "limits", direction = c.direction, value = c.value, baseline = c.baseline,
                     size = c.size, lo = c.lo, hi = c.hi, p_value = c.p_value}
  end
  return out
end

--- summary:terms(n, by_lift) -> {{term =, comments =, detractors =, promoters =, lift =}, ...}
function Summary:terms(n, by_lift)
  if not self._h then closed("summary") end
  local out = {}
  for k = 0, C.fbb_summary_terms(self._h, -1, n or 10, by_lift and true or false, 1) - 1 do
    local t = C.fbb_summary_term_at(self._h, k)
    out[#out + 1] = {term = t.term, comments = t.comments, detractors = t.detractors,
                     promoters = t.promoters, lift = t.lift}
  end
  return out
end

function Summary:close()
  if self._h then C.fbb_summary_close(self._h); self._h = nil end
end
Summary.__close = Summary.close
}
