/*
 * A list of deep-copied records. Each record's strings and arrays live in one
 * block of their own, so growing the array of records moves only the structs,
 * never the data they point to.
 */
#include <stdint.h>
#include <string.h>

#include "alloc_private.h"
#include "feedback/record_list.h"

struct fb_record_list {
    const fb_allocator *alloc;
    fb_record *records;
    void **blocks;      /* blocks[i] holds what records[i] points to; may be NULL */
    size_t count;
    size_t cap;         /* of records */
    size_t blocks_cap;  /* of blocks */
};

fb_status fb_record_list_new(const fb_allocator *alloc, fb_record_list **out)
{
    fb_record_list *list;

    if (!out)
        return FB_ERR_INVALID_ARG;
    *out = NULL;
    list = fb__calloc(alloc, sizeof *list);
    if (!list)
        return FB_ERR_NOMEM;
    list->alloc = alloc;
    *out = list;
    return FB_OK;
}

void fb_record_list_clear(fb_record_list *list)
{
    size_t i;

    if (!list)
        return;
    for (i = 0; i < list->count; i++)
        fb__free(list->alloc, list->blocks[i]);
    list->count = 0;
}

void fb_record_list_free(fb_record_list *list)
{
    if (!list)
        return;
    fb_record_list_clear(list);
    fb__free(list->alloc, list->records);
    fb__free(list->alloc, list->blocks);
    fb__free(list->alloc, list);
}

/* Bytes of string data r points to, or (size_t)-1 when a length does not add up. */
static size_t string_bytes(const fb_record *r)
{
    size_t total = 0, i;
    const fb_str *strs[] = {&r->customer_id, &r->text, &r->language, &r->agent_id,
                            &r->ticket_id,   &r->product, &r->assignee};

#define ADD(s)                                                 \
    do {                                                       \
        if ((!(s).ptr && (s).len > 0) || (s).len > SIZE_MAX - total) \
            return (size_t)-1;                                 \
        total += (s).len;                                      \
    } while (0)
    for (i = 0; i < sizeof strs / sizeof strs[0]; i++)
        ADD(*strs[i]);
    for (i = 0; i < r->n_answers; i++)
        if (r->answers[i].metric == FB_METRIC_CUSTOM)
            ADD(r->answers[i].name);
    for (i = 0; i < r->n_tags; i++)
        ADD(r->tags[i]);
    for (i = 0; i < r->n_attrs; i++) {
        ADD(r->attrs[i].key);
        ADD(r->attrs[i].value);
    }
#undef ADD
    return total;
}

/* Copies s into *cursor and points *dst at the copy. */
static void copy_str(fb_str *dst, fb_str s, char **cursor)
{
    dst->len = s.len;
    if (s.len == 0) {
        dst->ptr = NULL;
        return;
    }
    memcpy(*cursor, s.ptr, s.len);
    dst->ptr = *cursor;
    *cursor += s.len;
}

static bool lists_consistent(const fb_record *r)
{
    return (r->answers || r->n_answers == 0) && (r->tags || r->n_tags == 0) &&
           (r->attrs || r->n_attrs == 0) && r->n_answers <= SIZE_MAX / sizeof(fb_answer) &&
           r->n_tags <= SIZE_MAX / sizeof(fb_str) && r->n_attrs <= SIZE_MAX / sizeof(fb_attr);
}

fb_status fb_record_list_push(fb_record_list *list, const fb_record *r)
{
    size_t answers_size, tags_size, attrs_size, strings, size, i;
    fb_answer *answers;
    fb_str *tags;
    fb_attr *attrs;
    fb_record *copy;
    char *block = NULL, *cursor;

    if (!list || !r || !lists_consistent(r))
        return FB_ERR_INVALID_ARG;
    answers_size = r->n_answers * sizeof(fb_answer);
    tags_size = r->n_tags * sizeof(fb_str);
    attrs_size = r->n_attrs * sizeof(fb_attr);
    strings = string_bytes(r);
    if (strings == (size_t)-1)
        return FB_ERR_INVALID_ARG;
    /* Arrays first: their element sizes are multiples of their alignment, so each stays aligned. */
    size = answers_size + tags_size + attrs_size + strings;
    if (size < strings)
        return FB_ERR_INVALID_ARG;

    if (fb__grow(list->alloc, (void **)&list->records, &list->cap, list->count + 1,
                 sizeof(fb_record)) != 0 ||
        fb__grow(list->alloc, (void **)&list->blocks, &list->blocks_cap, list->count + 1,
                 sizeof(void *)) != 0)
        return FB_ERR_NOMEM;
    if (size > 0) {
        block = fb__malloc(list->alloc, size);
        if (!block)
            return FB_ERR_NOMEM;
    }

    copy = &list->records[list->count];
    *copy = *r;
    /* A record with no strings or lists has no block (and no pointer arithmetic on NULL). */
    answers = block ? (fb_answer *)(void *)block : NULL;
    tags = block ? (fb_str *)(void *)(block + answers_size) : NULL;
    attrs = block ? (fb_attr *)(void *)(block + answers_size + tags_size) : NULL;
    cursor = block ? block + answers_size + tags_size + attrs_size : NULL;

    copy->answers = r->n_answers ? answers : NULL;
    for (i = 0; i < r->n_answers; i++) {
        answers[i] = r->answers[i];
        /* Only custom answers have a name; others may carry garbage there. */
        if (r->answers[i].metric == FB_METRIC_CUSTOM)
            copy_str(&answers[i].name, r->answers[i].name, &cursor);
        else
            memset(&answers[i].name, 0, sizeof answers[i].name);
    }
    copy->tags = r->n_tags ? tags : NULL;
    for (i = 0; i < r->n_tags; i++)
        copy_str(&tags[i], r->tags[i], &cursor);
    copy->attrs = r->n_attrs ? attrs : NULL;
    for (i = 0; i < r->n_attrs; i++) {
        copy_str(&attrs[i].key, r->attrs[i].key, &cursor);
        copy_str(&attrs[i].value, r->attrs[i].value, &cursor);
    }
    copy_str(&copy->customer_id, r->customer_id, &cursor);
    copy_str(&copy->text, r->text, &cursor);
    copy_str(&copy->language, r->language, &cursor);
    copy_str(&copy->agent_id, r->agent_id, &cursor);
    copy_str(&copy->ticket_id, r->ticket_id, &cursor);
    copy_str(&copy->product, r->product, &cursor);
    copy_str(&copy->assignee, r->assignee, &cursor);

    list->blocks[list->count] = block;
    list->count++;
    return FB_OK;
}

size_t fb_record_list_count(const fb_record_list *list) { return list ? list->count : 0; }

const fb_record *fb_record_list_get(const fb_record_list *list, size_t i)
{
    if (!list || i >= list->count)
        return NULL;
    return &list->records[i];
}

const fb_record *fb_record_list_data(const fb_record_list *list)
{
    return list && list->count ? list->records : NULL;
}
