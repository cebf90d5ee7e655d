/*
 * List cells: tags, attributes and answers in one cell.
 *
 * Items are separated by ';'. A backslash escapes the next character.
 * Unescaped spaces around items, and around the '=' of key=value, are
 * trimmed; empty items are ignored. Writers escape whatever would otherwise
 * be lost or misread, so every value reads back exactly.
 */
#include <stdio.h>
#include <string.h>

#include "cells.h"
#include "error_private.h"

/* ------------------------------------------------------------------ */
/* Reading                                                             */
/* ------------------------------------------------------------------ */

/*
 * Finds the end of the item that starts at a: the first unescaped sep at or
 * after a (or len). Returns -1 when the cell ends with a lone backslash.
 */
static int item_end(const char *s, size_t len, size_t a, char sep, size_t *end)
{
    size_t j = a;

    while (j < len && s[j] != sep) {
        if (s[j] == '\\') {
            if (j + 1 >= len)
                return -1;
            j += 2;
        } else {
            j++;
        }
    }
    *end = j;
    return 0;
}

/* Trims unescaped spaces from both ends of s[*a..*b). */
static void item_trim(const char *s, size_t *a, size_t *b)
{
    size_t j, keep;

    while (*a < *b && s[*a] == ' ')
        (*a)++;
    keep = *a; /* the end of the last escape pair: trailing trimming stops there */
    for (j = *a; j < *b; j++)
        if (s[j] == '\\') {
            j++;
            keep = j + 1;
        }
    while (*b > keep && s[*b - 1] == ' ')
        (*b)--;
}

/* Removes the escapes of s[a..b) in place, moving it to s + a; returns the new length. */
static size_t unescape(char *s, size_t a, size_t b)
{
    size_t r = a, w = a;

    while (r < b) {
        if (s[r] == '\\' && r + 1 < b)
            r++;
        s[w++] = s[r++];
    }
    return w - a;
}

/* The first unescaped c in s[a..b), or b. */
static size_t find_unescaped(const char *s, size_t a, size_t b, char c)
{
    size_t j;

    for (j = a; j < b; j++) {
        if (s[j] == '\\')
            j++;
        else if (s[j] == c)
            return j;
    }
    return b;
}

static fb_status lone_backslash(fb_error *err, const char *field, fb__pos pos)
{
    return fb__error_pos(err, FB_ERR_PARSE, field, pos,
                         "ends with a lone backslash (write \\\\ for a backslash)");
}

fb_status fb__cell_tags(fb__builder *b, char *s, size_t len, fb__pos pos, fb_error *err)
{
    size_t i = 0;

    while (i < len) {
        size_t a = i, e, z;
        if (item_end(s, len, a, ';', &e) != 0)
            return lone_backslash(err, "tags", pos);
        i = e + 1;
        z = e;
        item_trim(s, &a, &z);
        if (a == z)
            continue;
        FB__TRY(fb__builder_add_tag(b, s + a, unescape(s, a, z), pos, err));
    }
    return FB_OK;
}

fb_status fb__cell_attrs(fb__builder *b, char *s, size_t len, fb__pos pos, fb_error *err)
{
    size_t i = 0;
    int index = 0;

    while (i < len) {
        size_t a = i, e, z, eq, ka, kz, va, vz;
        char label[32];
        if (item_end(s, len, a, ';', &e) != 0)
            return lone_backslash(err, "attributes", pos);
        i = e + 1;
        z = e;
        item_trim(s, &a, &z);
        if (a == z)
            continue;
        snprintf(label, sizeof label, "attributes[%d]", index++);
        eq = find_unescaped(s, a, z, '=');
        if (eq == z) {
            char q[64];
            fb__quote(q, sizeof q, s + a, z - a, 40);
            return fb__error_pos(err, FB_ERR_PARSE, label, pos, "'%s' is not key=value", q);
        }
        ka = a;
        kz = eq;
        va = eq + 1;
        vz = z;
        item_trim(s, &ka, &kz);
        item_trim(s, &va, &vz);
        FB__TRY(fb__builder_add_attr(b, s + ka, unescape(s, ka, kz), s + va, unescape(s, va, vz),
                                     false, pos, err));
    }
    return FB_OK;
}

/* Parses "min..max" (spaces around each number allowed). */
static int parse_scale(const char *s, size_t len, double *min, double *max)
{
    size_t j;

    for (j = 0; j + 1 < len; j++)
        if (s[j] == '.' && s[j + 1] == '.') {
            const char *a = s, *c = s + j + 2;
            size_t alen = j, clen = len - j - 2;
            while (alen && *a == ' ') { a++; alen--; }
            while (alen && a[alen - 1] == ' ') alen--;
            while (clen && *c == ' ') { c++; clen--; }
            while (clen && c[clen - 1] == ' ') clen--;
            return (fb__parse_double(a, alen, min) == 0 && fb__parse_double(c, clen, max) == 0)
                       ? 0
                       : -1;
        }
    return -1;
}

fb_status fb__builder_add_answer(fb__builder *b, char *key, size_t klen, bool escaped,
                                 const char *score, size_t slen, fb__pos pos, fb_error *err)
{
    char label[32], q[64];
    size_t j, open = klen;
    bool last_plain = false; /* the key's last character is an unescaped ')' */
    fb_answer a;

    snprintf(label, sizeof label, "answers[%d]", b->n_answer_field_items);
    memset(&a, 0, sizeof a);
    for (j = 0; j < klen; j++) {
        last_plain = false;
        if (escaped && key[j] == '\\') {
            j++;
            continue;
        }
        if (key[j] == '(')
            open = j;
        else if (key[j] == ')')
            last_plain = true;
    }
    if (last_plain && open < klen - 1) {
        size_t na = 0, nz = open;
        a.metric = FB_METRIC_CUSTOM;
        if (parse_scale(key + open + 1, klen - open - 2, &a.scale_min, &a.scale_max) != 0) {
            fb__quote(q, sizeof q, key + open, klen - open, 40);
            return fb__error_pos(err, FB_ERR_PARSE, label, pos,
                                 "bad scale '%s' (expected name(min..max), e.g. speed(1..5))", q);
        }
        if (escaped) {
            item_trim(key, &na, &nz);
            nz = na + unescape(key, na, nz);
        }
        a.name.ptr = key + na;
        a.name.len = nz - na;
    } else {
        int m = 0;
        fb_status st;
        if (escaped)
            klen = unescape(key, 0, klen);
        st = fb_enum_parse(FB_ENUM_METRIC, key, klen, &m, err);
        if (st != FB_OK) {
            fb__error_rewrap(err, label, pos);
            return st;
        }
        if (m == FB_METRIC_CUSTOM)
            return fb__error_pos(err, FB_ERR_PARSE, label, pos,
                                 "a custom answer needs its scale: name(min..max)=score");
        a.metric = (fb_metric)m;
    }
    if (!score) {
        a.skipped = true;
    } else if (fb__parse_double(score, slen, &a.score) != 0) {
        fb__quote(q, sizeof q, score, slen, 40);
        return fb__error_pos(err, FB_ERR_PARSE, label, pos, "score '%s' is not a number", q);
    }
    return fb__builder_add_item(b, &a, FB__F_ANSWERS, pos, err);
}

fb_status fb__cell_answers(fb__builder *b, char *s, size_t len, fb__pos pos, fb_error *err)
{
    size_t i = 0;

    while (i < len) {
        size_t a = i, e, z, eq, ka, kz, va, vz;
        if (item_end(s, len, a, ';', &e) != 0)
            return lone_backslash(err, "answers", pos);
        i = e + 1;
        z = e;
        item_trim(s, &a, &z);
        if (a == z)
            continue;
        eq = find_unescaped(s, a, z, '=');
        ka = a;
        kz = eq;
        item_trim(s, &ka, &kz);
        if (eq == z) {
            char label[32], q[64];
            int m;
            fb_status st = FB_OK;
            /* A bare name: say what is wrong with the name first, when something is. */
            snprintf(label, sizeof label, "answers[%d]", b->n_answer_field_items);
            if (find_unescaped(s, ka, kz, '(') == kz)
                st = fb_enum_parse(FB_ENUM_METRIC, s + ka, kz - ka, &m, err);
            if (st != FB_OK) {
                fb__error_rewrap(err, label, pos);
                return st;
            }
            fb__quote(q, sizeof q, s + a, z - a, 40);
            return fb__error_pos(err, FB_ERR_PARSE, label, pos,
                                 "'%s' has no score (write name=score, or name= when skipped)", q);
        }
        va = eq + 1;
        vz = z;
        item_trim(s, &va, &vz);
        FB__TRY(fb__builder_add_answer(b, s + ka, kz - ka, true, va == vz ? NULL : s + va,
                                       vz - va, pos, err));
    }
    return FB_OK;
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */
/* ------------------------------------------------------------------ */

/* Appends s with '\\', ';', the characters in special and edge spaces escaped. */
static int put_escaped(fb__strbuf *out, const char *s, size_t len, const char *special)
{
    size_t lead = 0, trail = len, i, run = 0;

    if (len == 0)
        return 0;
    while (lead < len && s[lead] == ' ')
        lead++;
    while (trail > lead && s[trail - 1] == ' ')
        trail--;
    for (i = 0; i < len; i++) {
        char c = s[i];
        bool esc = c == '\\' || c == ';' || (c == ' ' && (i < lead || i >= trail)) ||
                   (c != '\0' && strchr(special, c) != NULL);
        if (!esc)
            continue;
        if (fb__strbuf_append(out, s + run, i - run) != 0 || fb__strbuf_putc(out, '\\') != 0)
            return -1;
        run = i;
    }
    return fb__strbuf_append(out, s + run, len - run);
}

int fb__put_tags_cell(fb__strbuf *out, const fb_record *r)
{
    size_t i;

    for (i = 0; i < r->n_tags; i++)
        if ((i > 0 && fb__strbuf_putc(out, ';') != 0) ||
            put_escaped(out, r->tags[i].ptr, r->tags[i].len, "") != 0)
            return -1;
    return 0;
}

int fb__put_attrs_cell(fb__strbuf *out, const fb_record *r)
{
    size_t i;

    for (i = 0; i < r->n_attrs; i++) {
        const fb_attr *a = &r->attrs[i];
        if ((i > 0 && fb__strbuf_putc(out, ';') != 0) ||
            put_escaped(out, a->key.ptr, a->key.len, "=") != 0 || fb__strbuf_putc(out, '=') != 0 ||
            put_escaped(out, a->value.ptr, a->value.len, "=") != 0)
            return -1;
    }
    return 0;
}

int fb__put_answer_key(fb__strbuf *out, const fb_answer *a, bool escape)
{
    if (a->metric != FB_METRIC_CUSTOM) {
        const char *name = fb_metric_name(a->metric);
        return fb__strbuf_puts(out, name ? name : "");
    }
    if ((escape ? put_escaped(out, a->name.ptr, a->name.len, "=()")
                : fb__strbuf_append(out, a->name.ptr, a->name.len)) != 0 ||
        fb__strbuf_putc(out, '(') != 0 || fb__put_double(out, a->scale_min) != 0 ||
        fb__strbuf_puts(out, "..") != 0 || fb__put_double(out, a->scale_max) != 0 ||
        fb__strbuf_putc(out, ')') != 0)
        return -1;
    return 0;
}

int fb__put_answers_cell(fb__strbuf *out, const fb_record *r)
{
    size_t i;

    for (i = 0; i < r->n_answers; i++) {
        const fb_answer *a = &r->answers[i];
        if ((i > 0 && fb__strbuf_putc(out, ';') != 0) || fb__put_answer_key(out, a, true) != 0 ||
            fb__strbuf_putc(out, '=') != 0)
            return -1;
        if (!a->skipped && fb__put_double(out, a->score) != 0)
            return -1;
    }
    return 0;
}
