/* The record builder: a record assembled from cells, and where each value came from. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_private.h"
#include "cells.h"
#include "error_private.h"

void fb__builder_init(fb__builder *b, const fb_allocator *alloc)
{
    memset(b, 0, sizeof *b);
    b->alloc = alloc;
    fb_record_init(&b->rec);
}

void fb__builder_free(fb__builder *b)
{
    fb__free(b->alloc, b->items);
    fb__free(b->alloc, b->answers);
    fb__free(b->alloc, b->answer_item);
    fb__free(b->alloc, b->tags);
    fb__free(b->alloc, b->aitems);
    fb__free(b->alloc, b->attrs);
    fb__free(b->alloc, b->attr_item);
    fb__builder_init(b, b->alloc);
}

void fb__builder_reset(fb__builder *b, fb__pos row)
{
    fb_record_init(&b->rec);
    b->row = row;
    memset(b->pos, 0, sizeof b->pos);
    memset(b->seen, 0, sizeof b->seen);
    b->n_answer_field_items = 0;
    b->n_items = 0;
    b->n_tags = 0;
    b->n_aitems = 0;
}

static fb_status nomem(fb_error *err, fb__pos pos)
{
    return fb__error_pos(err, FB_ERR_NOMEM, "", pos, "out of memory");
}

fb_status fb__builder_add_item(fb__builder *b, const fb_answer *a, int f, fb__pos pos,
                               fb_error *err)
{
    fb__answer_item *it;

    if (b->n_items >= FB_MAX_ANSWERS)
        return fb__error_pos(err, FB_ERR_TOO_LONG, fb__field_name(f), pos,
                             "more than %d answers", FB_MAX_ANSWERS);
    if (fb__grow(b->alloc, (void **)&b->items, &b->cap_items, b->n_items + 1, sizeof *b->items))
        return nomem(err, pos);
    it = &b->items[b->n_items++];
    it->a = *a;
    it->pos = pos;
    it->field = f;
    it->item = f == FB__F_ANSWERS ? b->n_answer_field_items++ : -1;
    return FB_OK;
}

fb_status fb__builder_add_tag(fb__builder *b, const char *s, size_t len, fb__pos pos, fb_error *err)
{
    if (b->n_tags >= FB_MAX_TAGS)
        return fb__error_pos(err, FB_ERR_TOO_LONG, "tags", pos, "more than %d tags", FB_MAX_TAGS);
    if (fb__grow(b->alloc, (void **)&b->tags, &b->cap_tags, b->n_tags + 1, sizeof *b->tags))
        return nomem(err, pos);
    b->tags[b->n_tags].ptr = s;
    b->tags[b->n_tags].len = len;
    b->n_tags++;
    return FB_OK;
}

fb_status fb__builder_add_attr(fb__builder *b, const char *key, size_t klen, const char *val,
                               size_t vlen, bool extra, fb__pos pos, fb_error *err)
{
    fb__attr_item *it;

    if (b->n_aitems >= FB_MAX_ATTRS)
        return fb__error_pos(err, FB_ERR_TOO_LONG, "attributes", pos, "more than %d attributes",
                             FB_MAX_ATTRS);
    if (fb__grow(b->alloc, (void **)&b->aitems, &b->cap_aitems, b->n_aitems + 1,
                 sizeof *b->aitems))
        return nomem(err, pos);
    it = &b->aitems[b->n_aitems++];
    it->a.key.ptr = key;
    it->a.key.len = klen;
    it->a.value.ptr = val;
    it->a.value.len = vlen;
    it->pos = pos;
    it->extra = extra;
    return FB_OK;
}

fb_status fb__builder_finish(fb__builder *b, fb_error *err)
{
    fb_record *r = &b->rec;
    size_t i, n = 0;
    int pass;

    if (!b->seen[FB__F_CREATED_AT])
        return fb__error_pos(err, FB_ERR_MISSING, "created_at", b->row,
                             "missing (every record needs its creation time)");
    if (b->n_items > 0) {
        if (fb__grow(b->alloc, (void **)&b->answers, &b->cap_answers, b->n_items,
                     sizeof *b->answers) ||
            fb__grow(b->alloc, (void **)&b->answer_item, &b->cap_answer_item, b->n_items,
                     sizeof *b->answer_item))
            return nomem(err, b->row);
        /* The answers field's items first, then the metric columns'. */
        for (pass = 0; pass < 2; pass++)
            for (i = 0; i < b->n_items; i++)
                if ((b->items[i].field == FB__F_ANSWERS) == (pass == 0)) {
                    b->answers[n] = b->items[i].a;
                    b->answer_item[n++] = i;
                }
    }
    r->answers = n ? b->answers : NULL;
    r->n_answers = n;
    r->tags = b->n_tags ? b->tags : NULL;
    r->n_tags = b->n_tags;
    n = 0;
    if (b->n_aitems > 0) {
        if (fb__grow(b->alloc, (void **)&b->attrs, &b->cap_attrs, b->n_aitems, sizeof *b->attrs) ||
            fb__grow(b->alloc, (void **)&b->attr_item, &b->cap_attr_item, b->n_aitems,
                     sizeof *b->attr_item))
            return nomem(err, b->row);
        for (pass = 0; pass < 2; pass++)
            for (i = 0; i < b->n_aitems; i++)
                if (b->aitems[i].extra == (pass == 1)) {
                    b->attrs[n] = b->aitems[i].a;
                    b->attr_item[n++] = i;
                }
    }
    r->attrs = n ? b->attrs : NULL;
    r->n_attrs = n;
    return FB_OK;
}

/* Splits "name[3].rest" into name (up to '[' or '.') and the index (-1 when none). */
static size_t split_field(const char *field, long *index)
{
    size_t n = strcspn(field, "[.");

    *index = -1;
    if (field[n] == '[') {
        char *end;
        long v = strtol(field + n + 1, &end, 10);
        if (end != field + n + 1 && *end == ']' && v >= 0)
            *index = v;
    }
    return n;
}

/* Renames the field of err: "<new>: <the message after the old field>". */
static void rename_field(fb_error *err, const char *name, size_t name_len)
{
    char field[FB_ERROR_FIELD_MAX];
    fb__pos pos;

    pos.line = err->line;
    pos.offset = err->offset;
    fb__quote(field, sizeof field, name, name_len, sizeof field - 1);
    fb__error_rewrap(err, field, pos);
}

void fb__builder_locate(const fb__builder *b, fb_error *err)
{
    long index;
    size_t n;
    int f;

    if (!err)
        return;
    fb__error_at(err, b->row.line, b->row.offset);
    n = split_field(err->field, &index);
    if (n == 7 && strncmp(err->field, "answers", 7) == 0 && index >= 0 &&
        (size_t)index < b->rec.n_answers && b->rec.answers == b->answers) {
        const fb__answer_item *it = &b->items[b->answer_item[index]];
        fb__error_at(err, it->pos.line, it->pos.offset);
        if (it->field != FB__F_ANSWERS) {
            const char *name = fb__field_name(it->field);
            rename_field(err, name, strlen(name));
        }
        return;
    }
    if (((n == 5 && strncmp(err->field, "attrs", 5) == 0) ||
         (n == 10 && strncmp(err->field, "attributes", 10) == 0)) &&
        index >= 0 && (size_t)index < b->rec.n_attrs && b->rec.attrs == b->attrs) {
        const fb__attr_item *it = &b->aitems[b->attr_item[index]];
        fb__error_at(err, it->pos.line, it->pos.offset);
        if (it->extra)
            rename_field(err, it->a.key.ptr, it->a.key.len);
        return;
    }
    for (f = 0; f < FB__F_COUNT; f++) {
        const char *name = fb__field_name(f);
        if (strlen(name) == n && strncmp(err->field, name, n) == 0) {
            if (b->seen[f])
                fb__error_at(err, b->pos[f].line, b->pos[f].offset);
            return;
        }
    }
}
