/*
 * Lua: records cross as tables with the fields of docs/RECORD.md:
 * enumerations as names ("sms"), times as integer milliseconds (or, going
 * in, ISO 8601 strings), answers as {nps = 9, ces = false} (false: skipped),
 * custom_answers as {name = {score = 4, min = 1, max = 5}}, tags as an
 * array of strings, attributes as a table of strings. Fields left out take
 * their defaults. Scores come as arrays of numbers (false: skipped).
 */
%{
/* ---------------------------------------------------------------- C to Lua */

static void fbb_lua_setstr(lua_State *L, const char *key, fb_str s)
{
    lua_pushlstring(L, s.ptr ? s.ptr : "", s.len);
    lua_setfield(L, -2, key);
}

static void fbb_lua_setname(lua_State *L, const char *key, fb_enum e, int v)
{
    lua_pushstring(L, fb_enum_name(e, v));
    lua_setfield(L, -2, key);
}

static void fbb_lua_setint(lua_State *L, const char *key, lua_Integer v)
{
    lua_pushinteger(L, v);
    lua_setfield(L, -2, key);
}

static void fbb_lua_setcode(lua_State *L, const char *key, const char *code, size_t max)
{
    fb_str s;
    s.ptr = code;
    for (s.len = 0; s.len < max && code[s.len]; s.len++)
        ;
    fbb_lua_setstr(L, key, s);
}

/* Pushes the table of r. */
static void fbb_lua_push_record(lua_State *L, const fb_record *r)
{
    size_t i;

    lua_createtable(L, 0, 26);
    fbb_lua_setint(L, "id", (lua_Integer)r->id);
    fbb_lua_setname(L, "kind", FB_ENUM_KIND, r->kind);
    fbb_lua_setint(L, "created_at", r->created_at);
    if (r->interaction_at != FB_TIME_UNKNOWN)
        fbb_lua_setint(L, "interaction_at", r->interaction_at);
    fbb_lua_setstr(L, "customer_id", r->customer_id);
    fbb_lua_setname(L, "customer_status", FB_ENUM_CUSTOMER_STATUS, r->customer_status);
    lua_pushboolean(L, r->customer_verified);
    lua_setfield(L, -2, "customer_verified");
    lua_pushboolean(L, r->win_back);
    lua_setfield(L, -2, "win_back");
    fbb_lua_setname(L, "channel", FB_ENUM_CHANNEL, r->channel);
    fbb_lua_setname(L, "source", FB_ENUM_SOURCE, r->source);
    lua_newtable(L); /* answers */
    lua_newtable(L); /* custom_answers */
    for (i = 0; i < r->n_answers; i++) {
        const fb_answer *a = &r->answers[i];
        if (a->metric == FB_METRIC_CUSTOM) {
            lua_createtable(L, 0, 3);
            if (a->skipped)
                lua_pushboolean(L, 0);
            else
                lua_pushnumber(L, a->score);
            lua_setfield(L, -2, "score");
            lua_pushnumber(L, a->scale_min);
            lua_setfield(L, -2, "min");
            lua_pushnumber(L, a->scale_max);
            lua_setfield(L, -2, "max");
            lua_pushlstring(L, a->name.ptr ? a->name.ptr : "", a->name.len);
            lua_insert(L, -2);
            lua_settable(L, -3);
        } else {
            if (a->skipped)
                lua_pushboolean(L, 0);
            else
                lua_pushnumber(L, a->score);
            lua_setfield(L, -3, fb_metric_name(a->metric));
        }
    }
    lua_setfield(L, -3, "custom_answers");
    lua_setfield(L, -2, "answers");
    fbb_lua_setstr(L, "text", r->text);
    fbb_lua_setstr(L, "language", r->language);
    lua_createtable(L, (int)r->n_tags, 0);
    for (i = 0; i < r->n_tags; i++) {
        lua_pushlstring(L, r->tags[i].ptr ? r->tags[i].ptr : "", r->tags[i].len);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "tags");
    fbb_lua_setstr(L, "agent_id", r->agent_id);
    fbb_lua_setstr(L, "ticket_id", r->ticket_id);
    fbb_lua_setstr(L, "product", r->product);
    fbb_lua_setcode(L, "country", r->country, sizeof r->country);
    fbb_lua_setint(L, "tip", r->tip);
    fbb_lua_setcode(L, "tip_currency", r->tip_currency, sizeof r->tip_currency);
    lua_createtable(L, 0, (int)r->n_attrs);
    for (i = 0; i < r->n_attrs; i++) {
        lua_pushlstring(L, r->attrs[i].key.ptr ? r->attrs[i].key.ptr : "", r->attrs[i].key.len);
        lua_pushlstring(L, r->attrs[i].value.ptr ? r->attrs[i].value.ptr : "",
                        r->attrs[i].value.len);
        lua_settable(L, -3);
    }
    lua_setfield(L, -2, "attributes");
    fbb_lua_setint(L, "ref_id", (lua_Integer)r->ref_id);
    fbb_lua_setname(L, "handling", FB_ENUM_HANDLING, r->handling);
    fbb_lua_setstr(L, "assignee", r->assignee);
    fbb_lua_setname(L, "assignee_kind", FB_ENUM_ASSIGNEE_KIND, r->assignee_kind);
}

/* ---------------------------------------------------------------- Lua to C */

/*
 * The readers below take field key of the table at index t. On error they
 * write the message to msg and return -1, leaving the stack as it may be:
 * fbb_lua_to_record restores it and pushes the message. Strings stay valid
 * while the table holds them.
 */
typedef char fbb_lua_msg[FB_ERROR_MESSAGE_MAX + 64];

static int fbb_lua_bad(fbb_lua_msg msg, const char *key, const char *want)
{
    snprintf(msg, sizeof(fbb_lua_msg), "record field %s: expected %s", key, want);
    return -1;
}

static int fbb_lua_str(lua_State *L, int t, const char *key, fb_str *out, fbb_lua_msg msg)
{
    int type = lua_getfield(L, t, key);
    size_t n;

    if (type != LUA_TNIL && type != LUA_TSTRING)
        return fbb_lua_bad(msg, key, "a string");
    if (type == LUA_TSTRING) {
        out->ptr = lua_tolstring(L, -1, &n);
        out->len = n;
    }
    lua_pop(L, 1);
    return 0;
}

static int fbb_lua_code(lua_State *L, int t, const char *key, char *out, size_t size,
                        fbb_lua_msg msg)
{
    fb_str s = {"", 0};

    if (fbb_lua_str(L, t, key, &s, msg) != 0)
        return -1;
    if (s.len >= size) {
        snprintf(msg, sizeof(fbb_lua_msg), "record field %s: '%.40s' is longer than %d letters",
                 key, s.ptr, (int)size - 1);
        return -1;
    }
    memcpy(out, s.ptr, s.len);
    out[s.len] = '\0';
    return 0;
}

static int fbb_lua_int(lua_State *L, int t, const char *key, long long *out, fbb_lua_msg msg)
{
    int ok = 1;

    if (lua_getfield(L, t, key) != LUA_TNIL)
        *out = (long long)lua_tointegerx(L, -1, &ok);
    lua_pop(L, 1);
    return ok ? 0 : fbb_lua_bad(msg, key, "an integer");
}

static void fbb_lua_bool(lua_State *L, int t, const char *key, bool *out)
{
    lua_getfield(L, t, key);
    *out = lua_toboolean(L, -1) != 0;
    lua_pop(L, 1);
}

static int fbb_lua_fail(const fb_error *err, fbb_lua_msg msg)
{
    snprintf(msg, sizeof(fbb_lua_msg), "%s", err->message);
    return -1;
}

/* An enumeration by name (or value): the library's message for an unknown one. */
static int fbb_lua_enum(lua_State *L, int t, const char *key, fb_enum e, int *out,
                        fbb_lua_msg msg)
{
    int type = lua_getfield(L, t, key);
    fb_error err;
    size_t n;
    const char *s;

    fb_error_clear(&err);
    if (type == LUA_TNUMBER) {
        *out = (int)lua_tointeger(L, -1);
    } else if (type == LUA_TSTRING) {
        s = lua_tolstring(L, -1, &n);
        if (fb_enum_parse(e, s, n, out, &err) != FB_OK)
            return fbb_lua_fail(&err, msg);
    } else if (type != LUA_TNIL) {
        return fbb_lua_bad(msg, key, "a name");
    }
    lua_pop(L, 1);
    return 0;
}

/* A time: integer milliseconds or an ISO 8601 string; nil leaves *out alone. */
static int fbb_lua_time(lua_State *L, int t, const char *key, fb_time *out, fbb_lua_msg msg)
{
    int type = lua_getfield(L, t, key), ok = 1;
    fb_error err;
    size_t n;
    const char *s;

    fb_error_clear(&err);
    if (type == LUA_TSTRING) {
        s = lua_tolstring(L, -1, &n);
        if (fb_time_parse(s, n, out, &err) != FB_OK) {
            snprintf(msg, sizeof(fbb_lua_msg), "record field %s: %s", key, err.message);
            return -1;
        }
    } else if (type != LUA_TNIL) {
        *out = lua_tointegerx(L, -1, &ok);
        if (!ok)
            return fbb_lua_bad(msg, key, "milliseconds or an ISO 8601 string");
    }
    lua_pop(L, 1);
    return 0;
}

/* The score at the top of the stack into a: a number, or false for skipped. */
static int fbb_lua_score(lua_State *L, fb_answer *a, const char *what, fbb_lua_msg msg)
{
    int ok;

    if (lua_isboolean(L, -1) && !lua_toboolean(L, -1)) {
        a->skipped = true;
        return 0;
    }
    a->score = lua_tonumberx(L, -1, &ok);
    if (!ok) {
        snprintf(msg, sizeof(fbb_lua_msg),
                 "record field answers: %.60s needs a number, or false when skipped", what);
        return -1;
    }
    return 0;
}

/* One entry of answers (custom false) or custom_answers: the key at -2, the value at -1. */
static int fbb_lua_answer(lua_State *L, bool custom, fb_answer *a, fbb_lua_msg msg)
{
    fb_error err;
    size_t len;
    const char *name;
    int m, ok1, ok2;

    if (lua_type(L, -2) != LUA_TSTRING)
        return fbb_lua_bad(msg, "answers", "names as keys");
    name = lua_tolstring(L, -2, &len);
    memset(a, 0, sizeof *a);
    if (!custom) {
        fb_error_clear(&err);
        if (fb_enum_parse(FB_ENUM_METRIC, name, len, &m, &err) != FB_OK)
            return fbb_lua_fail(&err, msg);
        a->metric = (fb_metric)m;
        return fbb_lua_score(L, a, name, msg);
    }
    if (!lua_istable(L, -1))
        return fbb_lua_bad(msg, "custom_answers", "{score =, min =, max =} tables");
    a->metric = FB_METRIC_CUSTOM;
    a->name.ptr = name;
    a->name.len = len;
    lua_getfield(L, -1, "min");
    a->scale_min = lua_tonumberx(L, -1, &ok1);
    lua_getfield(L, -2, "max");
    a->scale_max = lua_tonumberx(L, -1, &ok2);
    lua_pop(L, 2);
    if (!ok1 || !ok2)
        return fbb_lua_bad(msg, "custom_answers", "numbers min and max");
    lua_getfield(L, -1, "score");
    if (fbb_lua_score(L, a, name, msg) != 0)
        return -1;
    lua_pop(L, 1);
    return 0;
}

static int fbb_lua_answers(lua_State *L, int t, fbb_record_buf *b, fbb_lua_msg msg)
{
    static const char *const keys[2] = {"answers", "custom_answers"};
    size_t n = 0;
    int pass, type;

    for (pass = 0; pass < 2; pass++) {
        type = lua_getfield(L, t, keys[pass]);
        if (type != LUA_TNIL && type != LUA_TTABLE)
            return fbb_lua_bad(msg, keys[pass], "a table");
        if (type == LUA_TTABLE) {
            lua_pushnil(L);
            while (lua_next(L, -2)) {
                if (n == FB_MAX_ANSWERS) {
                    snprintf(msg, sizeof(fbb_lua_msg),
                             "record field answers: more than %d answers", FB_MAX_ANSWERS);
                    return -1;
                }
                if (fbb_lua_answer(L, pass == 1, &b->answers[n], msg) != 0)
                    return -1;
                n++;
                lua_pop(L, 1);
            }
        }
        lua_pop(L, 1);
    }
    b->r.answers = b->answers;
    b->r.n_answers = n;
    return 0;
}

static int fbb_lua_tags(lua_State *L, int t, fbb_record_buf *b, fbb_lua_msg msg)
{
    int type = lua_getfield(L, t, "tags");
    lua_Integer i, n;
    size_t len;

    if (type != LUA_TNIL && type != LUA_TTABLE)
        return fbb_lua_bad(msg, "tags", "an array of strings");
    n = type == LUA_TTABLE ? (lua_Integer)lua_rawlen(L, -1) : 0;
    if (n > FB_MAX_TAGS) {
        snprintf(msg, sizeof(fbb_lua_msg), "record field tags: %d tags, at most %d", (int)n,
                 FB_MAX_TAGS);
        return -1;
    }
    for (i = 1; i <= n; i++) {
        if (lua_rawgeti(L, -1, i) != LUA_TSTRING)
            return fbb_lua_bad(msg, "tags", "an array of strings");
        b->tags[i - 1].ptr = lua_tolstring(L, -1, &len);
        b->tags[i - 1].len = len;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    b->r.tags = b->tags;
    b->r.n_tags = (size_t)n;
    return 0;
}

static int fbb_lua_attrs(lua_State *L, int t, fbb_record_buf *b, fbb_lua_msg msg)
{
    int type = lua_getfield(L, t, "attributes");
    size_t n = 0, kl, vl;

    if (type != LUA_TNIL && type != LUA_TTABLE)
        return fbb_lua_bad(msg, "attributes", "a table of strings");
    if (type == LUA_TTABLE) {
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING)
                return fbb_lua_bad(msg, "attributes", "string keys and values");
            if (n == FB_MAX_ATTRS) {
                snprintf(msg, sizeof(fbb_lua_msg), "record field attributes: more than %d",
                         FB_MAX_ATTRS);
                return -1;
            }
            b->attrs[n].key.ptr = lua_tolstring(L, -2, &kl);
            b->attrs[n].key.len = kl;
            b->attrs[n].value.ptr = lua_tolstring(L, -1, &vl);
            b->attrs[n].value.len = vl;
            n++;
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    b->r.attrs = b->attrs;
    b->r.n_attrs = n;
    return 0;
}

/* The fields of the table at t into b and its ints; 0 or -1 with msg. */
static int fbb_lua_fields(lua_State *L, int t, fbb_record_buf *b, long long *ints, int *enums,
                          fbb_lua_msg msg)
{
    fb_record *r = &b->r;

    fbb_lua_bool(L, t, "customer_verified", &r->customer_verified);
    fbb_lua_bool(L, t, "win_back", &r->win_back);
    return fbb_lua_int(L, t, "id", &ints[0], msg) || fbb_lua_int(L, t, "tip", &ints[1], msg) ||
                   fbb_lua_int(L, t, "ref_id", &ints[2], msg) ||
                   fbb_lua_enum(L, t, "kind", FB_ENUM_KIND, &enums[0], msg) ||
                   fbb_lua_enum(L, t, "customer_status", FB_ENUM_CUSTOMER_STATUS, &enums[1],
                                msg) ||
                   fbb_lua_enum(L, t, "channel", FB_ENUM_CHANNEL, &enums[2], msg) ||
                   fbb_lua_enum(L, t, "source", FB_ENUM_SOURCE, &enums[3], msg) ||
                   fbb_lua_enum(L, t, "handling", FB_ENUM_HANDLING, &enums[4], msg) ||
                   fbb_lua_enum(L, t, "assignee_kind", FB_ENUM_ASSIGNEE_KIND, &enums[5], msg) ||
                   fbb_lua_time(L, t, "created_at", &r->created_at, msg) ||
                   fbb_lua_time(L, t, "interaction_at", &r->interaction_at, msg) ||
                   fbb_lua_str(L, t, "customer_id", &r->customer_id, msg) ||
                   fbb_lua_str(L, t, "text", &r->text, msg) ||
                   fbb_lua_str(L, t, "language", &r->language, msg) ||
                   fbb_lua_str(L, t, "agent_id", &r->agent_id, msg) ||
                   fbb_lua_str(L, t, "ticket_id", &r->ticket_id, msg) ||
                   fbb_lua_str(L, t, "product", &r->product, msg) ||
                   fbb_lua_str(L, t, "assignee", &r->assignee, msg) ||
                   fbb_lua_code(L, t, "country", r->country, sizeof r->country, msg) ||
                   fbb_lua_code(L, t, "tip_currency", r->tip_currency, sizeof r->tip_currency,
                                msg) ||
                   fbb_lua_answers(L, t, b, msg) || fbb_lua_tags(L, t, b, msg) ||
                   fbb_lua_attrs(L, t, b, msg)
               ? -1
               : 0;
}

/* Fills b from the record table at index t. 0, or -1 with the message pushed. */
static int fbb_lua_to_record(lua_State *L, int t, fbb_record_buf *b)
{
    fb_record *r = &b->r;
    long long ints[3] = {0, 0, 0};
    int enums[6] = {0, 0, 0, 0, 0, 0}, top = lua_gettop(L);
    fbb_lua_msg msg;

    if (!lua_istable(L, t)) {
        lua_pushstring(L, "expected a record table");
        return -1;
    }
    t = lua_absindex(L, t);
    fb_record_init(r);
    r->created_at = FB_TIME_UNKNOWN; /* required: a table without it is refused */
    if (fbb_lua_fields(L, t, b, ints, enums, msg) != 0) {
        lua_settop(L, top);
        lua_pushstring(L, msg);
        return -1;
    }
    r->id = (uint64_t)ints[0];
    r->tip = ints[1];
    r->ref_id = (uint64_t)ints[2];
    r->kind = (fb_record_kind)enums[0];
    r->customer_status = (fb_customer_status)enums[1];
    r->channel = (fb_channel)enums[2];
    r->source = (fb_source)enums[3];
    r->handling = (fb_handling)enums[4];
    r->assignee_kind = (fb_assignee_kind)enums[5];
    return 0;
}

/* The numbers of the array at index t (false: skipped), into a new array. */
static double *fbb_lua_scores(lua_State *L, int t, size_t *n)
{
    lua_Integer i, len;
    double *out;

    if (!lua_istable(L, t)) {
        lua_pushstring(L, "scores: expected an array of numbers");
        return NULL;
    }
    t = lua_absindex(L, t);
    len = (lua_Integer)lua_rawlen(L, t);
    out = malloc((size_t)(len ? len : 1) * sizeof *out);
    if (!out) {
        lua_pushstring(L, "out of memory");
        return NULL;
    }
    for (i = 1; i <= len; i++) {
        int ok;
        lua_rawgeti(L, t, i);
        if (lua_isboolean(L, -1) && !lua_toboolean(L, -1)) {
            out[i - 1] = NAN;
        } else {
            out[i - 1] = lua_tonumberx(L, -1, &ok);
            if (!ok) {
                lua_pop(L, 1);
                free(out);
                lua_pushfstring(L, "scores[%d]: expected a number, or false when skipped",
                                (int)i);
                return NULL;
            }
        }
        lua_pop(L, 1);
    }
    *n = (size_t)len;
    return out;
}
%}

%typemap(in, numinputs=0) const fb_record **rec (const fb_record *temp = NULL) {
    $1 = ($1_ltype)&temp;
}
%typemap(argout) const fb_record **rec {
    if (*$1)
        fbb_lua_push_record(L, *$1);
    else
        lua_pushnil(L);
    SWIG_arg++;
}

%typemap(in) const fb_record *r (fbb_record_buf temp) {
    if (fbb_lua_to_record(L, $input, &temp) != 0)
        SWIG_fail;
    $1 = &temp.r;
}

%typemap(in) (const double *scores, size_t n) (double *owned = NULL) {
    owned = fbb_lua_scores(L, $input, &$2);
    if (!owned)
        SWIG_fail;
    $1 = owned;
}
%typemap(freearg) (const double *scores, size_t n) {
    free(owned$argnum);
}


/* The strings of result structs. */
%typemap(out) fb_str {
    lua_pushlstring(L, $1.ptr ? $1.ptr : "", $1.len);
    SWIG_arg++;
}
