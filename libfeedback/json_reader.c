/*
 * JSON Lines reading: one object per line, with the CSV column names as
 * keys. Values are read with the shape a record has: scalars, a tags array,
 * attributes and answers objects. Nothing nests deeper.
 */
#include <string.h>

#include "error_private.h"
#include "io_private.h"
#include "json.h"

/* Keys seen in one object, for duplicate detection. */
#define MAX_KEYS 128

typedef struct keyset {
    const char *ptr[MAX_KEYS];
    size_t len[MAX_KEYS];
    size_t n;
} keyset;

static fb_status key_add(keyset *k, const fb__jval *key, const char *field, fb_error *err)
{
    char q[64];
    size_t i;

    for (i = 0; i < k->n; i++)
        if (k->len[i] == key->len && memcmp(k->ptr[i], key->ptr, key->len) == 0) {
            fb__quote(q, sizeof q, key->ptr, key->len, 40);
            return fb__error_pos(err, FB_ERR_DUPLICATE, field, key->pos, "duplicate key '%s'",
                                 q);
        }
    if (k->n >= MAX_KEYS)
        return fb__error_pos(err, FB_ERR_TOO_LONG, field, key->pos,
                             "an object has more than %d keys", MAX_KEYS);
    k->ptr[k->n] = key->ptr;
    k->len[k->n] = key->len;
    k->n++;
    return FB_OK;
}

static const char *type_name(fb__jtype t)
{
    switch (t) {
    case FB__J_STRING: return "a string";
    case FB__J_NUMBER: return "a number";
    case FB__J_TRUE:
    case FB__J_FALSE: return "a boolean";
    case FB__J_NULL: return "null";
    case FB__J_ARRAY: return "an array";
    default: return "an object";
    }
}

static fb_status wrong_type(fb_error *err, const char *field, const fb__jval *v, const char *wanted)
{
    if (v->type == FB__J_ARRAY || v->type == FB__J_OBJECT)
        return fb__error_pos(err, FB_ERR_PARSE, field, v->pos,
                             "expected %s, found %s (records nest no deeper than a list or "
                             "object of plain values)",
                             wanted, type_name(v->type));
    return fb__error_pos(err, FB_ERR_PARSE, field, v->pos, "expected %s, found %s", wanted,
                         type_name(v->type));
}

static fb_status read_tags(fb__json *j, fb__builder *b, fb_error *err)
{
    bool first = true, more;
    char label[32];
    int i = 0;

    for (;;) {
        fb__jval v;
        FB__TRY(fb__json_element(j, &first, &more, err));
        if (!more)
            return FB_OK;
        snprintf(label, sizeof label, "tags[%d]", i++);
        FB__TRY(fb__json_value(j, &v, err));
        if (v.type != FB__J_STRING)
            return wrong_type(err, label, &v, "a string");
        FB__TRY(fb__builder_add_tag(b, v.ptr, v.len, v.pos, err));
    }
}

static fb_status read_attrs(fb__json *j, fb__builder *b, fb_error *err)
{
    bool first = true, more;
    keyset keys;
    int i = 0;

    keys.n = 0;
    for (;;) {
        fb__jval k, v;
        char label[32];
        FB__TRY(fb__json_member(j, &first, &more, &k, err));
        if (!more)
            return FB_OK;
        snprintf(label, sizeof label, "attributes[%d]", i++);
        FB__TRY(key_add(&keys, &k, label, err));
        FB__TRY(fb__json_value(j, &v, err));
        if (v.type == FB__J_NULL)
            continue;
        if (v.type == FB__J_ARRAY || v.type == FB__J_OBJECT)
            return wrong_type(err, label, &v, "a string, number or boolean");
        FB__TRY(fb__builder_add_attr(b, k.ptr, k.len, v.ptr, v.len, false, k.pos, err));
    }
}

static fb_status read_answers(fb__json *j, fb__builder *b, fb_error *err)
{
    bool first = true, more;
    keyset keys;

    keys.n = 0;
    for (;;) {
        fb__jval k, v;
        char label[32];
        FB__TRY(fb__json_member(j, &first, &more, &k, err));
        if (!more)
            return FB_OK;
        snprintf(label, sizeof label, "answers[%d]", b->n_answer_field_items);
        FB__TRY(key_add(&keys, &k, label, err));
        FB__TRY(fb__json_value(j, &v, err));
        if (v.type == FB__J_NULL)
            FB__TRY(fb__builder_add_answer(b, k.ptr, k.len, false, NULL, 0, k.pos, err));
        else if (v.type == FB__J_NUMBER)
            FB__TRY(fb__builder_add_answer(b, k.ptr, k.len, false, v.ptr, v.len, k.pos, err));
        else
            return wrong_type(err, label, &v, "a number, or null for a skipped answer");
    }
}

/* Reads the value of a known field f. */
static fb_status read_field(fb__json *j, fb__builder *b, int f, fb_error *err)
{
    const char *field = fb__field_name(f);
    fb__jval v;

    FB__TRY(fb__json_value(j, &v, err));
    if (v.type == FB__J_NULL)
        return FB_OK; /* null: absent */
    if (v.type == FB__J_ARRAY && f == FB__F_TAGS) {
        b->seen[f] = true;
        b->pos[f] = v.pos;
        return read_tags(j, b, err);
    }
    if (v.type == FB__J_OBJECT && (f == FB__F_ATTRIBUTES || f == FB__F_ANSWERS)) {
        b->seen[f] = true;
        b->pos[f] = v.pos;
        return f == FB__F_ATTRIBUTES ? read_attrs(j, b, err) : read_answers(j, b, err);
    }
    switch (v.type) {
    case FB__J_STRING:
        break;
    case FB__J_NUMBER:
        if (f == FB__F_TAGS || f == FB__F_ATTRIBUTES || f == FB__F_ANSWERS)
            return wrong_type(err, field, &v,
                              f == FB__F_TAGS ? "an array of strings" : "an object");
        break;
    case FB__J_TRUE:
    case FB__J_FALSE:
        if (f != FB__F_CUSTOMER_VERIFIED && f != FB__F_WIN_BACK)
            return wrong_type(err, field, &v, "a string");
        break;
    default:
        return wrong_type(err, field, &v,
                          f == FB__F_TAGS         ? "an array of strings"
                          : f == FB__F_ATTRIBUTES ? "an object of strings"
                          : f == FB__F_ANSWERS    ? "an object of scores"
                          : f >= FB__F_METRIC0    ? "a number"
                                                  : "a string");
    }
    return fb__cell_apply(b, f, v.ptr, v.len, v.pos, err);
}

static fb_status parse_line(fb__json *j, fb__builder *b, fb_error *err)
{
    bool first = true, more, dup[FB__F_ALL];
    keyset keys;
    fb__jval top;

    keys.n = 0;
    memset(dup, 0, sizeof dup);
    FB__TRY(fb__json_value(j, &top, err));
    if (top.type != FB__J_OBJECT)
        return fb__error_pos(err, FB_ERR_PARSE, "", top.pos,
                             "expected a JSON object, found %s", type_name(top.type));
    for (;;) {
        fb__jval k;
        char name[FB_ERROR_FIELD_MAX];
        int f;

        j->field = "";
        FB__TRY(fb__json_member(j, &first, &more, &k, err));
        if (!more)
            break;
        fb__quote(name, sizeof name, k.ptr, k.len, sizeof name - 1);
        FB__TRY(key_add(&keys, &k, name, err));
        f = fb__field_lookup(k.ptr, k.len);
        if (f >= 0) {
            if (dup[f])
                return fb__error_pos(err, FB_ERR_DUPLICATE, name, k.pos,
                                     "key '%s' repeats the field %s", name, fb__field_name(f));
            dup[f] = true;
            j->field = fb__field_name(f);
            FB__TRY(read_field(j, b, f, err));
        } else {
            fb__jval v;
            j->field = name;
            FB__TRY(fb__json_value(j, &v, err));
            if (v.type == FB__J_ARRAY || v.type == FB__J_OBJECT)
                return fb__error_pos(err, FB_ERR_PARSE, name, v.pos,
                                     "an unknown key is kept as an attribute: its value must be "
                                     "a string, number or boolean, not %s",
                                     type_name(v.type));
            if (v.type != FB__J_NULL && v.len > 0)
                FB__TRY(fb__builder_add_attr(b, k.ptr, k.len, v.ptr, v.len, true, v.pos, err));
        }
    }
    j->field = "";
    if (!fb__json_at_end(j))
        return fb__json_error(j, err, FB_ERR_PARSE, j->pos,
                              "text after the end of the object (one object per line)");
    return fb__builder_finish(b, err);
}

static bool blank(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    return true;
}

fb_status fb__jsonl_next(fb_io_reader *r, fb_error *err)
{
    fb__source *s = &r->src;

    for (;;) {
        size_t scanned = 0, n;
        bool nl = false;
        fb__pos row;
        fb__json j;
        fb_status st;

        row.line = s->line;
        row.offset = s->offset;
        /* Find the end of the line, reading at most FB__ROW_MAX bytes. */
        for (;;) {
            size_t avail = fb__source_avail(s), lim = avail < FB__ROW_MAX ? avail : FB__ROW_MAX;
            const char *p = fb__source_ptr(s);
            const char *e = lim > scanned ? memchr(p + scanned, '\n', lim - scanned) : NULL;
            if (e) {
                n = (size_t)(e - p);
                nl = true;
                break;
            }
            scanned = lim;
            if (avail >= FB__ROW_MAX) {
                fb__error_pos(err, FB_ERR_TOO_LONG, "", row, "line is longer than %u bytes",
                              (unsigned)FB__ROW_MAX);
                st = fb__source_skip_line(s, FB__ROW_MAX, err);
                return st != FB_OK ? fb__reader_fail(r, st, err) : FB_ERR_TOO_LONG;
            }
            if (s->eof) {
                if (avail == 0)
                    return FB_DONE;
                n = avail;
                break;
            }
            st = fb__source_fill(s, avail + 1, err);
            if (st != FB_OK)
                return fb__reader_fail(r, st, err);
        }
        fb__strbuf_reset(&r->jline);
        if (fb__strbuf_append(&r->jline, fb__source_ptr(s), n) != 0) {
            fb__error(err, FB_ERR_NOMEM, "", "out of memory");
            return fb__reader_fail(r, FB_ERR_NOMEM, err);
        }
        fb__source_consume(s, n + (nl ? 1 : 0));
        if (n > 0 && r->jline.data[n - 1] == '\r')
            n--;
        if (blank(r->jline.data, n))
            continue;
        fb__builder_reset(&r->b, row);
        j.s = r->jline.data;
        j.len = n;
        j.pos = 0;
        j.line = row.line;
        j.base = row.offset;
        j.field = "";
        return parse_line(&j, &r->b, err);
    }
}
