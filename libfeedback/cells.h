/*
 * Cells: the text of one field, as CSV and JSON Lines carry it.
 *
 * The field table (names and the order writers use), a record builder that
 * readers fill cell by cell, the parsers of scalar and list cells, and the
 * functions that write cells back. Both formats share them, so a value reads
 * the same from a CSV cell and from a JSON string.
 */
#ifndef FB_CELLS_H
#define FB_CELLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feedback/alloc.h"
#include "feedback/record.h"
#include "feedback/status.h"
#include "error_private.h"
#include "strbuf.h"

/* Fields, in the column order the writers use; then one column per built-in metric. */
enum fb__field {
    FB__F_ID,
    FB__F_KIND,
    FB__F_CREATED_AT,
    FB__F_INTERACTION_AT,
    FB__F_CUSTOMER_ID,
    FB__F_CUSTOMER_STATUS,
    FB__F_CUSTOMER_VERIFIED,
    FB__F_WIN_BACK,
    FB__F_CHANNEL,
    FB__F_SOURCE,
    FB__F_ANSWERS,
    FB__F_TEXT,
    FB__F_LANGUAGE,
    FB__F_TAGS,
    FB__F_AGENT_ID,
    FB__F_TICKET_ID,
    FB__F_PRODUCT,
    FB__F_COUNTRY,
    FB__F_TIP,
    FB__F_TIP_CURRENCY,
    FB__F_ATTRIBUTES,
    FB__F_REF_ID,
    FB__F_HANDLING,
    FB__F_ASSIGNEE,
    FB__F_ASSIGNEE_KIND,
    FB__F_COUNT,                  /* the record's fields: 25 */
    FB__F_METRIC0 = FB__F_COUNT,  /* FB__F_METRIC0 + m: the column of built-in metric m */
    FB__F_ALL = FB__F_METRIC0 + FB_METRIC_CUSTOM,
    FB__F_UNKNOWN = -1,           /* kept as an attribute */
    FB__F_IGNORED = -2            /* a CSV column without a name */
};

/* The name of field f (0 <= f < FB__F_ALL), static. */
const char *fb__field_name(int f);

/*
 * The field a column header or JSON key names, ignoring ASCII case and
 * surrounding spaces; FB__F_UNKNOWN when none.
 */
int fb__field_lookup(const char *s, size_t len);

/* True when a and b are equal ignoring ASCII case and surrounding spaces. */
bool fb__name_equal(const char *a, size_t alen, const char *b, size_t blen);

/* A position in the input. */
typedef struct fb__pos {
    uint64_t line;    /* 1-based */
    uint64_t offset;  /* bytes from the start of the input */
} fb__pos;

typedef struct fb__answer_item {
    fb_answer a;
    fb__pos pos;
    int field;  /* FB__F_ANSWERS, or the metric column it came from */
    int item;   /* its index among the answers field's items */
} fb__answer_item;

typedef struct fb__attr_item {
    fb_attr a;
    fb__pos pos;
    bool extra;  /* from an unknown column or key, not from the attributes field */
} fb__attr_item;

/*
 * A record being read. Strings point into the reader's row buffer, which
 * must stay unchanged until the record has been used.
 */
typedef struct fb__builder {
    const fb_allocator *alloc;
    fb_record rec;
    fb__pos row;                      /* where the row starts */
    fb__pos pos[FB__F_ALL];           /* where each field's cell starts */
    bool seen[FB__F_ALL];             /* whether the row had the field */
    int n_answer_field_items;         /* items read from the answers field so far */
    fb__answer_item *items;
    size_t n_items, cap_items;
    fb_answer *answers;               /* items in record order */
    size_t *answer_item;              /* record answer i came from items[answer_item[i]] */
    size_t cap_answers, cap_answer_item;
    fb_str *tags;
    size_t n_tags, cap_tags;
    fb__attr_item *aitems;
    size_t n_aitems, cap_aitems;
    fb_attr *attrs;
    size_t *attr_item;
    size_t cap_attrs, cap_attr_item;
} fb__builder;

void fb__builder_init(fb__builder *b, const fb_allocator *alloc);
void fb__builder_free(fb__builder *b);
/* Starts a new record (fb_record_init values) for a row at row. */
void fb__builder_reset(fb__builder *b, fb__pos row);

/*
 * Completes b->rec: answers from the answers field first, then those from
 * metric columns; attributes from the attributes field first, then those from
 * unknown columns. Errors: FB_ERR_NOMEM.
 */
fb_status fb__builder_finish(fb__builder *b, fb_error *err);

/*
 * Gives a validation error of b->rec the position of the cell it comes from
 * (the row's start when unknown), and names answers that came from a metric
 * column after that column ("nps: 11 is outside ...").
 */
void fb__builder_locate(const fb__builder *b, fb_error *err);

/*
 * Applies the text of a cell of field f (0 <= f < FB__F_ALL) in cell syntax.
 * s is modified in place (unescaping) and must outlive the record. Empty
 * cells leave the default. Errors carry the field name and pos.
 */
fb_status fb__cell_apply(fb__builder *b, int f, char *s, size_t len, fb__pos pos, fb_error *err);

/* Adds an answer that came from field f (FB__F_ANSWERS or a metric column). */
fb_status fb__builder_add_item(fb__builder *b, const fb_answer *a, int f, fb__pos pos,
                               fb_error *err);

/* List cells in cell syntax (cell_lists.c); s is unescaped in place. */
fb_status fb__cell_tags(fb__builder *b, char *s, size_t len, fb__pos pos, fb_error *err);
fb_status fb__cell_attrs(fb__builder *b, char *s, size_t len, fb__pos pos, fb_error *err);
fb_status fb__cell_answers(fb__builder *b, char *s, size_t len, fb__pos pos, fb_error *err);

/* Adds one tag (no unescaping). */
fb_status fb__builder_add_tag(fb__builder *b, const char *s, size_t len, fb__pos pos, fb_error *err);

/* Adds one attribute (no unescaping); extra: from an unknown column or key. */
fb_status fb__builder_add_attr(fb__builder *b, const char *key, size_t klen, const char *val,
                               size_t vlen, bool extra, fb__pos pos, fb_error *err);

/*
 * Adds an item of the answers field: key is a metric name or a custom
 * "name(min..max)", with backslash escapes when escaped; score is the score's
 * text, or NULL for a skipped answer.
 */
fb_status fb__builder_add_answer(fb__builder *b, char *key, size_t klen, bool escaped,
                                 const char *score, size_t slen, fb__pos pos, fb_error *err);

/*
 * Rewrites err (filled by a helper such as fb_enum_parse or fb_time_parse) so
 * that it names field and lies at pos: "field: <the helper's message>".
 */
void fb__error_rewrap(fb_error *err, const char *field, fb__pos pos);

/* Fills err with code at pos; the message gets the "field: " prefix. */
fb_status fb__error_pos(fb_error *err, fb_status code, const char *field, fb__pos pos,
                        const char *fmt, ...) FB__PRINTF(5, 6);

/*
 * Parses a decimal number (optional sign, digits with an optional fraction,
 * optional exponent), independent of the locale; rejects nan, inf, hex and
 * any other text. Returns 0, or -1 when s is not such a number or overflows.
 */
int fb__parse_double(const char *s, size_t len, double *out);

/* ------------------------------------------------------------------ */
/* Writing cells. Each returns 0, or -1 when out of memory.           */
/* ------------------------------------------------------------------ */

/* The shortest decimal text that reads back as v (finite). */
int fb__put_double(fb__strbuf *out, double v);
int fb__put_u64(fb__strbuf *out, uint64_t v);
int fb__put_i64(fb__strbuf *out, int64_t v);

/* The key of an answer: its metric's name, or "name(min..max)" (escaped for a cell when escape). */
int fb__put_answer_key(fb__strbuf *out, const fb_answer *a, bool escape);

/* List cells in cell syntax (before CSV quoting). */
int fb__put_tags_cell(fb__strbuf *out, const fb_record *r);
int fb__put_attrs_cell(fb__strbuf *out, const fb_record *r);
int fb__put_answers_cell(fb__strbuf *out, const fb_record *r);

#endif
