/* fb_record_validate: every rule a record must meet, each failure naming its field. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error_private.h"
#include "feedback/record.h"
#include "record_private.h"
#include "utf8.h"
#include "varint.h" /* fb__load_u64 */

/* How a string field is checked. */
typedef struct str_rule {
    size_t max;           /* longest allowed, in bytes */
    bool no_control;      /* no C0/C1 control characters (identifiers, names) */
    bool required;        /* must not be empty */
} str_rule;

static const str_rule TEXT_RULE = {FB_MAX_TEXT, false, false};
static const str_rule ID_RULE = {FB_MAX_ID, true, false};
static const str_rule NAME_RULE = {FB_MAX_NAME, true, true};
static const str_rule VALUE_RULE = {FB_MAX_ATTR_VALUE, false, false};

static bool has_control(const char *s, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            return true;
        /* C1 controls U+0080..U+009F are encoded C2 80..C2 9F. */
        if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] < 0xA0)
            return true;
    }
    return false;
}

/*
 * Bit 7 set in each byte of w that is not printable ASCII (0x20..0x7E): w
 * sets it in bytes from 0x80, w + 1 in 0x7F, and w - 0x20 in those below
 * 0x20. A carry or borrow can set it in a byte above only when a byte below
 * is not printable already, so the result is 0 exactly when all are.
 */
static inline uint64_t unprintable_bytes(uint64_t w)
{
    const uint64_t ones = UINT64_C(0x0101010101010101);
    return (w | (w + ones) | (w - ones * 0x20)) & ones << 7;
}

/*
 * Whether every byte of s is printable ASCII, eight at a time: identifiers
 * nearly always are, and then they are valid UTF-8 without controls at once.
 */
static inline bool printable_ascii(const char *s, size_t len)
{
    const uint8_t *p = (const uint8_t *)s;
    uint64_t bad = 0;
    size_t i;

    if (len < 8) {
        for (i = 0; i < len; i++)
            bad |= p[i] < 0x20 || p[i] > 0x7e;
        return bad == 0;
    }
    for (i = 0; i + 8 < len; i += 8)
        bad |= unprintable_bytes(fb__load_u64(p + i));
    /* The last eight bytes, which may overlap the word before: a byte is judged alone. */
    return (bad | unprintable_bytes(fb__load_u64(p + len - 8))) == 0;
}

/*
 * A field's name, kept in parts and put together only for an error message,
 * so that checking a valid record formats nothing: answers[2].score is
 * {"answers", 2, "score"}; a plain field has index NO_INDEX.
 */
typedef struct field_ref {
    const char *list;
    size_t index;
    const char *member;
} field_ref;

#define NO_INDEX ((size_t)-1)

static field_ref plain(const char *name)
{
    field_ref f;
    f.list = name;
    f.index = NO_INDEX;
    f.member = NULL;
    return f;
}

static field_ref item(const char *list, size_t index, const char *member)
{
    field_ref f;
    f.list = list;
    f.index = index;
    f.member = member;
    return f;
}

/* fb__error with the field named by f. */
static fb_status fail(fb_error *err, fb_status code, field_ref f, const char *fmt, ...)
    FB__PRINTF(4, 5);

static fb_status fail(fb_error *err, fb_status code, field_ref f, const char *fmt, ...)
{
    char name[FB_ERROR_FIELD_MAX];
    va_list ap;

    if (f.index == NO_INDEX)
        snprintf(name, sizeof name, "%s", f.list);
    else
        snprintf(name, sizeof name, "%s[%lu]%s%s", f.list, (unsigned long)f.index,
                 f.member ? "." : "", f.member ? f.member : "");
    va_start(ap, fmt);
    fb__verror(err, code, name, fmt, ap);
    va_end(ap);
    return code;
}

static fb_status check_str_full(fb_str s, field_ref field, const str_rule *rule, fb_error *err)
{
    size_t bad;

    if (!s.ptr && s.len > 0)
        return fail(err, FB_ERR_INVALID_ARG, field, "NULL pointer with length %lu",
                    (unsigned long)s.len);
    if (rule->required && s.len == 0)
        return fail(err, FB_ERR_MISSING, field, "must not be empty");
    if (s.len > rule->max)
        return fail(err, FB_ERR_TOO_LONG, field, "%lu bytes, longer than the limit of %lu",
                    (unsigned long)s.len, (unsigned long)rule->max);
    bad = fb__utf8_check(s.ptr, s.len);
    if (bad != s.len)
        return fail(err, FB_ERR_UTF8, field, "invalid UTF-8 at byte %lu", (unsigned long)bad);
    if (rule->no_control && has_control(s.ptr, s.len))
        return fail(err, FB_ERR_PARSE, field, "contains a control character");
    return FB_OK;
}

/*
 * Most string fields of a record are empty, and most identifiers printable
 * ASCII: settle those without a call.
 */
static inline fb_status check_str(fb_str s, field_ref field, const str_rule *rule, fb_error *err)
{
    if (s.len == 0 && !rule->required)
        return FB_OK;
    if (rule->no_control && s.ptr && s.len > 0 && s.len <= rule->max &&
        printable_ascii(s.ptr, s.len))
        return FB_OK;
    return check_str_full(s, field, rule, err);
}

bool fb__is_name(const char *s, size_t len)
{
    fb_str v;

    v.ptr = s;
    v.len = len;
    return s && check_str(v, plain("name"), &NAME_RULE, NULL) == FB_OK;
}

static fb_status check_enum(fb_enum e, int value, fb_error *err)
{
    if (!fb_enum_name(e, value))
        return fb__error(err, FB_ERR_UNKNOWN_NAME, fb_enum_field(e), "%d is not a known %s value",
                         value, fb_enum_field(e));
    return FB_OK;
}

static fb_status check_time(fb_time t, const char *field, bool may_be_unknown, fb_error *err)
{
    if (t == FB_TIME_UNKNOWN)
        return may_be_unknown ? FB_OK
                              : fb__error(err, FB_ERR_MISSING, field, "%s is required", field);
    if (t < FB_TIME_MIN || t > FB_TIME_MAX)
        return fb__error(err, FB_ERR_RANGE, field,
                         "%lld ms lies outside 1970-01-01 .. 9999-12-31", (long long)t);
    return FB_OK;
}

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_alnum(char c) { return is_alpha(c) || (c >= '0' && c <= '9'); }

/*
 * BCP 47 shape: subtags of 1 to 8 letters or digits separated by '-'; the
 * first is 2 to 8 letters, or the singleton 'x' or 'i' (private-use and
 * grandfathered tags).
 */
static fb_status check_language(fb_str s, fb_error *err)
{
    static const str_rule rule = {FB_MAX_LANGUAGE, true, false};
    size_t i = 0, subtag = 0;
    char q[48];

    FB__TRY(check_str(s, plain("language"), &rule, err));
    while (i < s.len) {
        size_t start = i, n;
        bool letters = true;
        for (; i < s.len && s.ptr[i] != '-'; i++) {
            if (!is_alnum(s.ptr[i]))
                goto bad;
            letters = letters && is_alpha(s.ptr[i]);
        }
        n = i - start;
        if (n < 1 || n > 8)
            goto bad;
        if (subtag == 0 && (!letters || (n == 1 && s.ptr[start] != 'x' && s.ptr[start] != 'X' &&
                                         s.ptr[start] != 'i' && s.ptr[start] != 'I')))
            goto bad;
        subtag++;
        if (i < s.len && ++i == s.len)
            goto bad; /* a trailing '-' */
    }
    return FB_OK;
bad:
    fb__quote(q, sizeof q, s.ptr, s.len, 40);
    return fb__error(err, FB_ERR_PARSE, "language",
                     "'%s' is not a BCP 47 language tag (such as \"ru\" or \"en-GB\")", q);
}

/* A fixed-size code field: "" or exactly n letters A-Z. */
static fb_status check_code(const char *code, size_t size, size_t n, const char *field,
                            const char *standard, fb_error *err)
{
    size_t len = 0, i;
    char q[16];

    while (len < size && code[len] != '\0')
        len++;
    if (len == size)
        return fb__error(err, FB_ERR_INVALID_ARG, field, "not NUL-terminated");
    if (len == 0)
        return FB_OK;
    for (i = 0; i < len; i++)
        if (code[i] < 'A' || code[i] > 'Z')
            break;
    if (len != n || i != len) {
        fb__quote(q, sizeof q, code, len, 8);
        return fb__error(err, FB_ERR_PARSE, field, "'%s' is not an %s code (%lu letters A-Z)", q,
                         standard, (unsigned long)n);
    }
    return FB_OK;
}

static bool is_builtin_metric_name(fb_str name)
{
    int m;
    for (m = 0; m < FB_METRIC_CUSTOM; m++) {
        const char *n = fb_metric_name((fb_metric)m);
        if (strlen(n) == name.len && memcmp(n, name.ptr, name.len) == 0)
            return true;
    }
    return false;
}

static fb_status check_answer(const fb_answer *a, size_t index, fb_error *err)
{
    double lo, hi;

    if (!fb_metric_name(a->metric))
        return fail(err, FB_ERR_UNKNOWN_NAME, item("answers", index, NULL),
                    "%d is not a known metric value", (int)a->metric);
    if (a->metric == FB_METRIC_CUSTOM) {
        FB__TRY(check_str(a->name, item("answers", index, "name"), &NAME_RULE, err));
        if (is_builtin_metric_name(a->name))
            return fail(err, FB_ERR_INCONSISTENT, item("answers", index, "name"),
                        "a custom answer cannot be named after the built-in metric '%.*s'",
                        (int)a->name.len, a->name.ptr);
        if (!isfinite(a->scale_min) || !isfinite(a->scale_max) || !(a->scale_min < a->scale_max))
            return fail(err, FB_ERR_RANGE, item("answers", index, "scale"),
                        "a custom scale needs finite bounds with min < max, not %g..%g",
                        a->scale_min, a->scale_max);
        lo = a->scale_min;
        hi = a->scale_max;
    } else {
        fb_metric_scale(a->metric, &lo, &hi);
    }
    if (a->skipped)
        return FB_OK;
    if (!isfinite(a->score) || a->score < lo || a->score > hi)
        return fail(err, FB_ERR_RANGE, item("answers", index, "score"),
                    "%g is outside the %s scale %g..%g", a->score,
                    a->metric == FB_METRIC_CUSTOM ? "custom" : fb_metric_name(a->metric), lo, hi);
    if (a->metric == FB_METRIC_GCR && a->score != 0 && a->score != 1)
        return fail(err, FB_ERR_RANGE, item("answers", index, "score"),
                    "gcr is 0 (no) or 1 (yes), not %g", a->score);
    return FB_OK;
}

static fb_status check_answers(const fb_record *r, fb_error *err)
{
    size_t i, j;

    if (r->n_answers > 0 && !r->answers)
        return fb__error(err, FB_ERR_INVALID_ARG, "answers", "NULL with n_answers %lu",
                         (unsigned long)r->n_answers);
    if (r->n_answers > FB_MAX_ANSWERS)
        return fb__error(err, FB_ERR_TOO_LONG, "answers", "%lu answers, more than the limit of %d",
                         (unsigned long)r->n_answers, FB_MAX_ANSWERS);
    for (i = 0; i < r->n_answers; i++) {
        const fb_answer *a = &r->answers[i];
        FB__TRY(check_answer(a, i, err));
        for (j = 0; j < i; j++) {
            const fb_answer *b = &r->answers[j];
            if (a->metric != b->metric)
                continue;
            if (a->metric == FB_METRIC_CUSTOM &&
                (a->name.len != b->name.len || memcmp(a->name.ptr, b->name.ptr, a->name.len) != 0))
                continue;
            if (a->metric == FB_METRIC_CUSTOM)
                return fail(err, FB_ERR_DUPLICATE, item("answers", i, NULL),
                            "a second answer named '%.*s'", (int)a->name.len, a->name.ptr);
            return fail(err, FB_ERR_DUPLICATE, item("answers", i, NULL), "a second %s answer",
                        fb_metric_name(a->metric));
        }
    }
    return FB_OK;
}

static fb_status check_tags(const fb_record *r, fb_error *err)
{
    size_t i;

    if (r->n_tags > 0 && !r->tags)
        return fb__error(err, FB_ERR_INVALID_ARG, "tags", "NULL with n_tags %lu",
                         (unsigned long)r->n_tags);
    if (r->n_tags > FB_MAX_TAGS)
        return fb__error(err, FB_ERR_TOO_LONG, "tags", "%lu tags, more than the limit of %d",
                         (unsigned long)r->n_tags, FB_MAX_TAGS);
    for (i = 0; i < r->n_tags; i++)
        FB__TRY(check_str(r->tags[i], item("tags", i, NULL), &NAME_RULE, err));
    return FB_OK;
}

static fb_status check_attrs(const fb_record *r, fb_error *err)
{
    size_t i, j;

    if (r->n_attrs > 0 && !r->attrs)
        return fb__error(err, FB_ERR_INVALID_ARG, "attributes", "NULL with n_attrs %lu",
                         (unsigned long)r->n_attrs);
    if (r->n_attrs > FB_MAX_ATTRS)
        return fb__error(err, FB_ERR_TOO_LONG, "attributes",
                         "%lu attributes, more than the limit of %d", (unsigned long)r->n_attrs,
                         FB_MAX_ATTRS);
    for (i = 0; i < r->n_attrs; i++) {
        fb_str key = r->attrs[i].key;
        FB__TRY(check_str(key, item("attributes", i, "key"), &NAME_RULE, err));
        FB__TRY(check_str(r->attrs[i].value, item("attributes", i, "value"), &VALUE_RULE, err));
        for (j = 0; j < i; j++) {
            if (r->attrs[j].key.len == key.len && memcmp(r->attrs[j].key.ptr, key.ptr, key.len) == 0) {
                char q[48];
                fb__quote(q, sizeof q, key.ptr, key.len, 40);
                return fail(err, FB_ERR_DUPLICATE, item("attributes", i, "key"),
                            "a second attribute '%s'", q);
            }
        }
    }
    return FB_OK;
}

/* What each kind of record must and must not carry. */
static fb_status check_kind_rules(const fb_record *r, fb_error *err)
{
    size_t i;

    switch (r->kind) {
    case FB_KIND_RESPONSE:
        if (r->n_answers == 0 && r->text.len == 0)
            return fb__error(err, FB_ERR_MISSING, "answers",
                             "a response needs at least one answer or a text");
        break;
    case FB_KIND_INVITATION:
        if (r->text.len > 0)
            return fb__error(err, FB_ERR_INCONSISTENT, "text", "an invitation carries no text");
        for (i = 0; i < r->n_answers; i++)
            if (!r->answers[i].skipped)
                return fb__error(err, FB_ERR_INCONSISTENT, "answers",
                                 "an invitation carries no scored answers");
        break;
    case FB_KIND_UPDATE:
        if (r->ref_id == 0)
            return fb__error(err, FB_ERR_MISSING, "ref_id",
                             "an update must name the record it acts on");
        if (r->n_answers > 0)
            return fb__error(err, FB_ERR_INCONSISTENT, "answers", "an update carries no answers");
        FB__TRY(check_enum(FB_ENUM_HANDLING, (int)r->handling, err));
        FB__TRY(check_enum(FB_ENUM_ASSIGNEE_KIND, (int)r->assignee_kind, err));
        FB__TRY(check_str(r->assignee, plain("assignee"), &ID_RULE, err));
        break;
    }
    return FB_OK;
}

fb_status fb_record_validate(const fb_record *r, fb_error *err)
{
    if (!r)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "fb_record_validate: record is NULL");

    FB__TRY(check_enum(FB_ENUM_KIND, (int)r->kind, err));
    FB__TRY(check_time(r->created_at, "created_at", false, err));
    FB__TRY(check_time(r->interaction_at, "interaction_at", true, err));
    FB__TRY(check_str(r->customer_id, plain("customer_id"), &ID_RULE, err));
    FB__TRY(check_enum(FB_ENUM_CUSTOMER_STATUS, (int)r->customer_status, err));
    FB__TRY(check_enum(FB_ENUM_CHANNEL, (int)r->channel, err));
    FB__TRY(check_enum(FB_ENUM_SOURCE, (int)r->source, err));
    FB__TRY(check_answers(r, err));
    FB__TRY(check_str(r->text, plain("text"), &TEXT_RULE, err));
    FB__TRY(check_language(r->language, err));
    FB__TRY(check_tags(r, err));
    FB__TRY(check_str(r->agent_id, plain("agent_id"), &ID_RULE, err));
    FB__TRY(check_str(r->ticket_id, plain("ticket_id"), &ID_RULE, err));
    FB__TRY(check_str(r->product, plain("product"), &ID_RULE, err));
    FB__TRY(check_code(r->country, sizeof r->country, 2, "country", "ISO 3166-1 alpha-2", err));
    if (r->tip < 0)
        return fb__error(err, FB_ERR_RANGE, "tip", "%lld is negative", (long long)r->tip);
    FB__TRY(check_code(r->tip_currency, sizeof r->tip_currency, 3, "tip_currency", "ISO 4217",
                       err));
    FB__TRY(check_attrs(r, err));
    return check_kind_rules(r, err);
}
