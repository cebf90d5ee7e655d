/*
 * CSV reading (RFC 4180): the header, then one record per row.
 *
 * Rows are scanned from the source window; decoded fields go to a buffer of
 * their own, so a bad row can be abandoned and the reader resume at the line
 * after the one where the row began.
 */
#include <string.h>

#include "alloc_private.h"
#include "error_private.h"
#include "io_private.h"
#include "utf8.h"

void fb__csv_free(fb__csv *c)
{
    const fb_allocator *a = c->names.alloc;

    fb__strbuf_free(&c->names);
    fb__strbuf_free(&c->cells);
    fb__free(a, c->cols);
    fb__free(a, c->order);
    fb__free(a, c->fields);
    memset(c, 0, sizeof *c);
}

/* The name of column i for messages, or "" when there is none. */
static const char *col_name(const fb__csv *c, size_t i, char *buf, size_t size)
{
    buf[0] = '\0';
    if (c->header_done && i < c->n_cols) {
        const fb__csv_col *col = &c->cols[i];
        if (col->field >= 0)
            return fb__field_name(col->field);
        fb__quote(buf, size, c->names.data + col->name_off, col->name_len, size - 1);
    }
    return buf;
}

typedef struct scan {
    size_t p;          /* the position in the source window */
    uint64_t line;     /* the line of byte p */
    bool have_nl;      /* a line feed was met inside the row */
    size_t first_nl;   /* the first one's position */
    size_t total;      /* fields met, stored or not */
    bool first_quoted; /* the first field was quoted */
} scan;

static void count_lines(scan *sc, const char *d, size_t from, size_t to)
{
    const char *p = d + from, *e = d + to;

    while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
        if (!sc->have_nl) {
            sc->have_nl = true;
            sc->first_nl = (size_t)(p - d);
        }
        sc->line++;
        p++;
    }
}

/* Abandons a bad row: resume at the line after the one where it began. */
static fb_status resync(fb_io_reader *r, const scan *sc, fb_error *err)
{
    fb_error e2;
    fb_status st;

    if (sc->have_nl) {
        fb__source_consume(&r->src, sc->first_nl + 1);
        return FB_OK;
    }
    st = fb__source_skip_line(&r->src, sc->p, &e2);
    if (st != FB_OK) {
        fb__reader_fail(r, st, &e2);
        if (err)
            *err = e2;
    }
    return st;
}

static fb_status row_error(fb_io_reader *r, const scan *sc, fb_status code, const char *field,
                           fb__pos pos, const char *msg, fb_error *err)
{
    fb_status st;

    fb__error_pos(err, code, field, pos, "%s", msg);
    st = resync(r, sc, err);
    return st != FB_OK ? st : code;
}

static fb_status too_long(fb_io_reader *r, const scan *sc, fb__pos row, uint64_t qline,
                          fb_error *err)
{
    char msg[160];

    if (sc->have_nl) /* a quoted field ran on over many lines: likely a quote that does not close */
        snprintf(msg, sizeof msg,
                 "row is longer than %u bytes (does the quoted field on line %llu close?)",
                 (unsigned)FB__ROW_MAX, (unsigned long long)qline);
    else
        snprintf(msg, sizeof msg, "row is longer than %u bytes", (unsigned)FB__ROW_MAX);
    return row_error(r, sc, FB_ERR_TOO_LONG, "", row, msg, err);
}

static fb_status nomem(fb_io_reader *r, fb_error *err)
{
    fb__error(err, FB_ERR_NOMEM, "", "out of memory");
    return fb__reader_fail(r, FB_ERR_NOMEM, err);
}

/*
 * Scans one row, storing at most max_fields fields. Returns FB_OK (the row
 * consumed), FB_DONE, a row error (the row abandoned) or a final error.
 * Blank lines are skipped.
 */
static fb_status scan_row(fb_io_reader *r, size_t max_fields, fb__pos *row, scan *sc,
                          fb_error *err)
{
    fb__source *s = &r->src;
    fb__csv *c = &r->csv;
    fb_status st = FB_OK;
    char name[FB_ERROR_FIELD_MAX];
    int ch;

again:
    memset(sc, 0, sizeof *sc);
    sc->line = s->line;
    row->line = s->line;
    row->offset = s->offset;
    c->n_fields = 0;
    fb__strbuf_reset(&c->cells);
    if (fb__strbuf_reserve(&c->cells, 64) != 0)
        return nomem(r, err);
    ch = fb__source_at(s, 0, &st, err);
    if (ch == -2)
        return fb__reader_fail(r, st, err);
    if (ch == -1)
        return FB_DONE;

    for (;;) { /* one field */
        fb__pos fpos;
        size_t off = c->cells.len;
        bool keep = sc->total < max_fields, row_end = false;
        uint64_t qline = sc->line;

        fpos.line = sc->line;
        fpos.offset = s->offset + sc->p;
        sc->total++;
        ch = fb__source_at(s, sc->p, &st, err);
        if (ch == -2)
            return fb__reader_fail(r, st, err);
        if (ch == '"') {
            if (sc->total == 1)
                sc->first_quoted = true;
            sc->p++;
            for (;;) {
                const char *d = fb__source_ptr(s);
                size_t avail = fb__source_avail(s), q = sc->p;
                while (q < avail && q < FB__ROW_MAX && d[q] != '"')
                    q++;
                if (q > sc->p) {
                    count_lines(sc, d, sc->p, q);
                    if (keep && fb__strbuf_append(&c->cells, d + sc->p, q - sc->p) != 0)
                        return nomem(r, err);
                    sc->p = q;
                }
                if (sc->p >= FB__ROW_MAX)
                    return too_long(r, sc, *row, qline, err);
                ch = fb__source_at(s, sc->p, &st, err);
                if (ch == -2)
                    return fb__reader_fail(r, st, err);
                if (ch == -1)
                    return row_error(r, sc, FB_ERR_PARSE, col_name(c, sc->total - 1, name, sizeof name),
                                     fpos, "quoted field is not closed at the end of the input",
                                     err);
                if (ch != '"')
                    continue;
                ch = fb__source_at(s, sc->p + 1, &st, err);
                if (ch == -2)
                    return fb__reader_fail(r, st, err);
                if (ch == '"') {
                    if (keep && fb__strbuf_putc(&c->cells, '"') != 0)
                        return nomem(r, err);
                    sc->p += 2;
                    continue;
                }
                sc->p++;
                break;
            }
            ch = fb__source_at(s, sc->p, &st, err);
            if (ch == -2)
                return fb__reader_fail(r, st, err);
            if (ch == '\r' && fb__source_at(s, sc->p + 1, &st, err) == '\n') {
                sc->p += 2;
                row_end = true;
            } else if (ch == '\n') {
                sc->p++;
                row_end = true;
            } else if (ch == -1) {
                row_end = true;
            } else if (ch == ',') {
                sc->p++;
            } else {
                fb__pos at;
                if (st != FB_OK)
                    return fb__reader_fail(r, st, err);
                at.line = sc->line;
                at.offset = s->offset + sc->p;
                return row_error(r, sc, FB_ERR_PARSE, col_name(c, sc->total - 1, name, sizeof name),
                                 at, "text after the closing quote of a quoted field", err);
            }
        } else {
            for (;;) {
                const char *d = fb__source_ptr(s);
                size_t avail = fb__source_avail(s), q = sc->p;
                while (q < avail && q < FB__ROW_MAX && d[q] != ',' && d[q] != '\n' &&
                       d[q] != '\r' && d[q] != '"')
                    q++;
                if (q > sc->p) {
                    if (keep && fb__strbuf_append(&c->cells, d + sc->p, q - sc->p) != 0)
                        return nomem(r, err);
                    sc->p = q;
                }
                if (sc->p >= FB__ROW_MAX)
                    return too_long(r, sc, *row, qline, err);
                ch = fb__source_at(s, sc->p, &st, err);
                if (ch == -2)
                    return fb__reader_fail(r, st, err);
                if (ch == -1) {
                    row_end = true;
                    break;
                }
                if (ch == ',') {
                    sc->p++;
                    break;
                }
                if (ch == '\n') {
                    sc->p++;
                    row_end = true;
                    break;
                }
                if (ch == '\r') {
                    int next = fb__source_at(s, sc->p + 1, &st, err);
                    if (next == -2)
                        return fb__reader_fail(r, st, err);
                    if (next == '\n') {
                        sc->p += 2;
                        row_end = true;
                        break;
                    }
                    if (keep && fb__strbuf_putc(&c->cells, '\r') != 0)
                        return nomem(r, err);
                    sc->p++;
                    continue;
                }
                if (ch == '"') {
                    fb__pos at;
                    at.line = sc->line;
                    at.offset = s->offset + sc->p;
                    return row_error(r, sc, FB_ERR_PARSE,
                                     col_name(c, sc->total - 1, name, sizeof name), at,
                                     "quote inside an unquoted field (quote the whole field and "
                                     "double the quotes inside)",
                                     err);
                }
                if (keep && fb__strbuf_putc(&c->cells, (char)ch) != 0)
                    return nomem(r, err);
                sc->p++;
            }
        }
        if (keep) {
            fb__csv_field *fd;
            if (fb__grow(r->alloc, (void **)&c->fields, &c->cap_fields, c->n_fields + 1,
                         sizeof *c->fields))
                return nomem(r, err);
            fd = &c->fields[c->n_fields++];
            fd->off = off;
            fd->len = c->cells.len - off;
            fd->pos = fpos;
        }
        if (row_end)
            break;
    }
    fb__source_consume(s, sc->p);
    if (sc->total == 1 && !sc->first_quoted && c->n_fields == 1 && c->fields[0].len == 0)
        goto again; /* a blank line */
    return FB_OK;
}

static fb_status header_fail(fb_io_reader *r, fb_error *err)
{
    return fb__reader_fail(r, err->code, err);
}

static fb_status read_header(fb_io_reader *r, fb_error *err)
{
    fb__csv *c = &r->csv;
    fb__pos row;
    scan sc;
    size_t i, j, n = 0, created = 0;
    fb_status st = scan_row(r, FB__MAX_COLUMNS + 1, &row, &sc, err);
    int pass;

    if (st == FB_DONE || r->final != FB_OK)
        return st;
    if (st != FB_OK)
        return header_fail(r, err);
    if (sc.total > FB__MAX_COLUMNS) {
        fb__error_pos(err, FB_ERR_PARSE, "", row, "the header has more than %d columns",
                      FB__MAX_COLUMNS);
        return header_fail(r, err);
    }
    if (fb__grow(r->alloc, (void **)&c->cols, &c->cap_cols, c->n_fields, sizeof *c->cols) ||
        fb__grow(r->alloc, (void **)&c->order, &c->cap_order, c->n_fields, sizeof *c->order) ||
        fb__strbuf_reserve(&c->names, c->cells.len) != 0)
        return nomem(r, err);
    for (i = 0; i < c->n_fields; i++) {
        const fb__csv_field *fd = &c->fields[i];
        const char *name = c->cells.data + fd->off;
        fb__csv_col *col = &c->cols[i];
        size_t bad = fb__utf8_check(name, fd->len), t = 0;

        if (bad < fd->len) {
            fb__error_pos(err, FB_ERR_UTF8, "", fd->pos,
                          "the name of column %u is not valid UTF-8 (byte %u)", (unsigned)(i + 1),
                          (unsigned)bad);
            return header_fail(r, err);
        }
        col->name_off = c->names.len;
        col->name_len = fd->len;
        fb__strbuf_append(&c->names, name, fd->len); /* reserved above */
        while (t < fd->len && (name[t] == ' ' || name[t] == '\t'))
            t++;
        col->field = t == fd->len ? FB__F_IGNORED : fb__field_lookup(name, fd->len);
        if (col->field == FB__F_CREATED_AT)
            created++;
        for (j = 0; j < i && col->field != FB__F_IGNORED; j++) {
            const fb__csv_col *prev = &c->cols[j];
            char q[FB_ERROR_FIELD_MAX];
            if (prev->field == FB__F_IGNORED ||
                !fb__name_equal(c->names.data + prev->name_off, prev->name_len, name, fd->len))
                continue;
            fb__quote(q, sizeof q, name, fd->len, sizeof q - 1);
            fb__error_pos(err, FB_ERR_DUPLICATE, q, fd->pos,
                          "column %u repeats the name of column %u", (unsigned)(i + 1),
                          (unsigned)(j + 1));
            return header_fail(r, err);
        }
    }
    c->n_cols = c->n_fields;
    c->header_done = true;
    if (!created) {
        fb__error_pos(err, FB_ERR_MISSING, "created_at", row,
                      "the header has no created_at column (it is required)");
        return header_fail(r, err);
    }
    /*
     * The order cells are applied in: plain fields, then the answers field
     * before metric columns, the attributes field before unknown columns.
     */
    for (pass = 0; pass < 5; pass++)
        for (i = 0; i < c->n_cols; i++) {
            int f = c->cols[i].field, kind;
            if (f == FB__F_IGNORED)
                continue;
            kind = f == FB__F_ANSWERS ? 1
                   : f >= FB__F_METRIC0 ? 2
                   : f == FB__F_ATTRIBUTES ? 3
                   : f == FB__F_UNKNOWN ? 4
                   : 0;
            if (kind == pass)
                c->order[n++] = i;
        }
    c->n_order = n;
    return FB_OK;
}

static fb_status apply_row(fb_io_reader *r, fb_error *err)
{
    fb__csv *c = &r->csv;
    fb__builder *b = &r->b;
    char name[FB_ERROR_FIELD_MAX];
    size_t i;

    for (i = 0; i < c->n_cols; i++) {
        const fb__csv_field *fd = &c->fields[i];
        size_t bad = fb__utf8_check(c->cells.data + fd->off, fd->len);
        if (bad < fd->len)
            return fb__error_pos(err, FB_ERR_UTF8, col_name(c, i, name, sizeof name), fd->pos,
                                 "invalid UTF-8 at byte %u of the cell", (unsigned)bad);
    }
    for (i = 0; i < c->n_order; i++) {
        size_t k = c->order[i];
        const fb__csv_col *col = &c->cols[k];
        const fb__csv_field *fd = &c->fields[k];
        char *cell = c->cells.data + fd->off;

        if (col->field >= 0) {
            FB__TRY(fb__cell_apply(b, col->field, cell, fd->len, fd->pos, err));
        } else if (fd->len > 0) {
            FB__TRY(fb__builder_add_attr(b, c->names.data + col->name_off, col->name_len, cell,
                                         fd->len, true, fd->pos, err));
        }
    }
    return fb__builder_finish(b, err);
}

fb_status fb__csv_next(fb_io_reader *r, fb_error *err)
{
    fb__csv *c = &r->csv;
    fb__pos row;
    scan sc;
    fb_status st;

    if (!c->header_done) {
        st = read_header(r, err);
        if (st != FB_OK)
            return st;
    }
    st = scan_row(r, c->n_cols + 1, &row, &sc, err);
    if (st != FB_OK)
        return st;
    fb__builder_reset(&r->b, row);
    if (sc.total != c->n_cols) {
        char name[FB_ERROR_FIELD_MAX];
        if (sc.total > c->n_cols)
            return fb__error_pos(err, FB_ERR_PARSE, "", c->fields[c->n_cols].pos,
                                 "the row has %u fields, the header %u", (unsigned)sc.total,
                                 (unsigned)c->n_cols);
        return fb__error_pos(err, FB_ERR_PARSE, col_name(c, sc.total, name, sizeof name), row,
                             "the row has %u fields, the header %u", (unsigned)sc.total,
                             (unsigned)c->n_cols);
    }
    return apply_row(r, err);
}
