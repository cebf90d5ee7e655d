/*
 * The Avro peer of fb-log-bench: fb_records as an Avro object container
 * file, through Debian's avro-c 1.11 (libavro). See avro_peer.h.
 *
 * What libavro 1.11.1 does that shapes this file (from its source,
 * datafile.c, codec.c, value-read.c, value-write.c, resolved-writer.c, and
 * its binary):
 *  - the container writer encodes records into one fixed buffer of
 *    block_size bytes and closes the block when the next record does not
 *    fit; a record larger than the buffer cannot be written at all;
 *  - the deflate codec is zlib raw deflate at level 9, not configurable;
 *  - avro_file_writer_close ignores fflush/fclose errors, so we hand it our
 *    own FILE and check that ourselves;
 *  - generate_sync() seeds the sync marker with srand(time(NULL)) and
 *    rand(): it reseeds the process's rand(), and two files made in the
 *    same second share a marker;
 *  - logical types are unknown to 1.11.1: "logicalType" parses but is
 *    dropped when the writer serialises the schema into the file header, so
 *    the file says only "long" for the timestamps;
 *  - reading allocates twice per string per record (the string, and a
 *    wrapper that owns it), and there is no cap on what one block inflates
 *    to (the cap, AVRO_MAX_DECOMPRESS_LENGTH, came in a later release).
 */
#include "avro_peer.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <avro.h>

#define PEER "avro_peer"

/*
 * The schema, in JSON, written once here. J() turns its argument into a
 * string literal (the preprocessor escapes the quotes), so the JSON reads
 * as JSON. Field order follows fb_record; enum symbols are fb_enum_name()'s
 * names in value order (checked at run time by check_enums, since an
 * Avro enum is stored as the symbol's position).
 */
#define J(...) #__VA_ARGS__

static const char SCHEMA_JSON[] = J({
    "type": "record", "name": "Record", "namespace": "libfeedback",
    "fields": [
        {"name": "id", "type": "long"},
        {"name": "kind", "type": {"type": "enum", "name": "Kind",
            "symbols": ["response", "invitation", "update"]}},
        {"name": "created_at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "interaction_at",
            "type": ["null", {"type": "long", "logicalType": "timestamp-millis"}]},
        {"name": "customer_id", "type": "string"},
        {"name": "customer_status", "type": {"type": "enum", "name": "CustomerStatus",
            "symbols": ["unknown", "active", "churned", "prospect", "competitor_customer",
                        "non_customer"]}},
        {"name": "customer_verified", "type": "boolean"},
        {"name": "win_back", "type": "boolean"},
        {"name": "channel", "type": {"type": "enum", "name": "Channel",
            "symbols": ["other", "web_form", "mobile_app", "email", "sms", "messenger",
                        "phone_operator", "phone_robot", "qr_code", "kiosk", "review_site",
                        "maps", "social_network", "forum", "chat", "survey", "focus_group",
                        "service_desk"]}},
        {"name": "source", "type": {"type": "enum", "name": "Source",
            "symbols": ["direct", "indirect", "inferred"]}},
        {"name": "answers", "type": {"type": "array", "items": {
            "type": "record", "name": "Answer",
            "fields": [
                {"name": "metric", "type": {"type": "enum", "name": "Metric",
                    "symbols": ["nps", "csat", "ces", "cli_recommend", "cli_repurchase",
                                "cli_cross_buy", "gcr", "rating", "custom"]}},
                {"name": "name", "type": "string"},
                {"name": "score", "type": ["null", "double"]},
                {"name": "scale_min", "type": "double"},
                {"name": "scale_max", "type": "double"}]}}},
        {"name": "text", "type": "string"},
        {"name": "language", "type": "string"},
        {"name": "tags", "type": {"type": "array", "items": "string"}},
        {"name": "agent_id", "type": "string"},
        {"name": "ticket_id", "type": "string"},
        {"name": "product", "type": "string"},
        {"name": "country", "type": "string"},
        {"name": "tip", "type": "long"},
        {"name": "tip_currency", "type": "string"},
        {"name": "attributes", "type": {"type": "array", "items": {
            "type": "record", "name": "Attribute",
            "fields": [
                {"name": "key", "type": "string"},
                {"name": "value", "type": "string"}]}}},
        {"name": "ref_id", "type": "long"},
        {"name": "handling", "type": {"type": "enum", "name": "Handling",
            "symbols": ["new", "assigned", "in_progress", "resolved", "closed"]}},
        {"name": "assignee", "type": "string"},
        {"name": "assignee_kind", "type": {"type": "enum", "name": "AssigneeKind",
            "symbols": ["person", "department"]}}]
});

/*
 * The reader schema of a metrics scan: the same record name (the resolver
 * matches records by name) with only these fields of the schema above,
 * sharing their types, so the projection cannot drift from the schema.
 */
static const char *const METRICS_FIELDS[] = {"created_at", "channel", "answers"};

/* Field slots, in SCHEMA_JSON's order; positions are looked up by name, not assumed. */
enum {
    F_ID, F_KIND, F_CREATED_AT, F_INTERACTION_AT, F_CUSTOMER_ID, F_CUSTOMER_STATUS,
    F_CUSTOMER_VERIFIED, F_WIN_BACK, F_CHANNEL, F_SOURCE, F_ANSWERS, F_TEXT, F_LANGUAGE,
    F_TAGS, F_AGENT_ID, F_TICKET_ID, F_PRODUCT, F_COUNTRY, F_TIP, F_TIP_CURRENCY,
    F_ATTRIBUTES, F_REF_ID, F_HANDLING, F_ASSIGNEE, F_ASSIGNEE_KIND, F_COUNT
};
static const char *const FIELD_NAMES[F_COUNT] = {
    "id", "kind", "created_at", "interaction_at", "customer_id", "customer_status",
    "customer_verified", "win_back", "channel", "source", "answers", "text", "language",
    "tags", "agent_id", "ticket_id", "product", "country", "tip", "tip_currency",
    "attributes", "ref_id", "handling", "assignee", "assignee_kind"};

enum { A_METRIC, A_NAME, A_SCORE, A_SCALE_MIN, A_SCALE_MAX, A_COUNT };
static const char *const ANSWER_NAMES[A_COUNT] = {"metric", "name", "score", "scale_min",
                                                  "scale_max"};

enum { T_KEY, T_VALUE, T_COUNT };
static const char *const ATTR_NAMES[T_COUNT] = {"key", "value"};

/* The enum-typed fields of Record, and the fb_enum whose names they must carry. */
static const struct {
    int field;
    fb_enum e;
} RECORD_ENUMS[] = {
    {F_KIND, FB_ENUM_KIND},         {F_CUSTOMER_STATUS, FB_ENUM_CUSTOMER_STATUS},
    {F_CHANNEL, FB_ENUM_CHANNEL},   {F_SOURCE, FB_ENUM_SOURCE},
    {F_HANDLING, FB_ENUM_HANDLING}, {F_ASSIGNEE_KIND, FB_ENUM_ASSIGNEE_KIND}};

/* Where each slot sits in one record schema: -1 when the schema lacks it. */
typedef struct layout {
    int rec[F_COUNT];
    int ans[A_COUNT];
    int attr[T_COUNT];
} layout;

/* Written once per read, so the decoding cannot be optimised away. */
static volatile uint64_t avro_peer_sink;

/* ------------------------------------------------------------ errors */

/* libavro keeps its last message per thread; it is the only detail most failures have. */
static int fail(const char *path, const char *what)
{
    const char *detail = avro_strerror();
    fprintf(stderr, "%s: %s: %s%s%s\n", PEER, path, what, detail && detail[0] ? ": " : "",
            detail ? detail : "");
    return -1;
}

/* For failures libavro reports only through errno (avro_file_reader's fopen, our own stdio). */
static int fail_errno(const char *path, const char *what, int err)
{
    fprintf(stderr, "%s: %s: %s: %s\n", PEER, path, what, strerror(err));
    return -1;
}

/* ------------------------------------------------------------ schema */

static int field_index(avro_schema_t record, const char *name)
{
    return record && is_avro_record(record) ? avro_schema_record_field_get_index(record, name)
                                            : -1;
}

/*
 * The type of a record's field, or NULL when it has none. Not
 * avro_schema_record_field_get(): in 1.11.1 it dereferences an
 * uninitialised pointer when the field is missing (valgrind shows it).
 */
static avro_schema_t field_type(avro_schema_t record, const char *name)
{
    int i = field_index(record, name);
    return i < 0 ? NULL : avro_schema_record_field_get_by_index(record, i);
}

/* The array's item record, or NULL: libavro's accessors assert on the wrong type. */
static avro_schema_t items_record(avro_schema_t record, const char *array_field)
{
    avro_schema_t a = field_type(record, array_field);
    avro_schema_t items;
    if (!a || !is_avro_array(a))
        return NULL;
    items = avro_schema_array_items(a);
    return items && is_avro_record(items) ? items : NULL;
}

/*
 * Fills *l from a record schema: the position of every slot present. With
 * need_all, every slot must be there (the full schema); otherwise only the
 * ones present are used (the projection).
 */
static int find_layout(avro_schema_t record, layout *l, bool need_all, const char *path)
{
    avro_schema_t ans = items_record(record, "answers");
    avro_schema_t attr = items_record(record, "attributes");
    int i;

    for (i = 0; i < F_COUNT; i++)
        l->rec[i] = field_index(record, FIELD_NAMES[i]);
    for (i = 0; i < A_COUNT; i++)
        l->ans[i] = field_index(ans, ANSWER_NAMES[i]);
    for (i = 0; i < T_COUNT; i++)
        l->attr[i] = field_index(attr, ATTR_NAMES[i]);
    if (!need_all)
        return 0;
    for (i = 0; i < F_COUNT; i++)
        if (l->rec[i] < 0) {
            fprintf(stderr, "%s: %s: the schema has no field '%s'\n", PEER, path,
                    FIELD_NAMES[i]);
            return -1;
        }
    for (i = 0; i < A_COUNT; i++)
        if (l->ans[i] < 0) {
            fprintf(stderr, "%s: %s: the answers have no field '%s'\n", PEER, path,
                    ANSWER_NAMES[i]);
            return -1;
        }
    for (i = 0; i < T_COUNT; i++)
        if (l->attr[i] < 0) {
            fprintf(stderr, "%s: %s: the attributes have no field '%s'\n", PEER, path,
                    ATTR_NAMES[i]);
            return -1;
        }
    return 0;
}

/* An Avro enum stores a symbol's position: the symbols must be fb_enum_name's, in value order. */
static int check_enum(avro_schema_t s, fb_enum e)
{
    int i, n = fb_enum_count(e);
    if (!s || !is_avro_enum(s) || avro_schema_enum_number_of_symbols(s) != n)
        return -1;
    for (i = 0; i < n; i++) {
        const char *sym = avro_schema_enum_get(s, i);
        if (!sym || strcmp(sym, fb_enum_name(e, i)) != 0)
            return -1;
    }
    return 0;
}

static int check_enums(avro_schema_t record)
{
    size_t i;
    for (i = 0; i < sizeof RECORD_ENUMS / sizeof RECORD_ENUMS[0]; i++)
        if (check_enum(field_type(record, FIELD_NAMES[RECORD_ENUMS[i].field]),
                       RECORD_ENUMS[i].e) != 0) {
            fprintf(stderr, "%s: the schema's enum '%s' differs from fb_enum_name()\n", PEER,
                    FIELD_NAMES[RECORD_ENUMS[i].field]);
            return -1;
        }
    if (check_enum(field_type(items_record(record, "answers"), "metric"), FB_ENUM_METRIC) != 0) {
        fprintf(stderr, "%s: the schema's enum 'metric' differs from fb_enum_name()\n", PEER);
        return -1;
    }
    return 0;
}

/* Parses SCHEMA_JSON and checks its enums; the caller decrefs *out. */
static int full_schema(avro_schema_t *out)
{
    if (avro_schema_from_json_length(SCHEMA_JSON, sizeof SCHEMA_JSON - 1, out) != 0)
        return fail("(schema)", "cannot parse the schema");
    if (check_enums(*out) != 0) {
        avro_schema_decref(*out);
        return -1;
    }
    return 0;
}

/* The metrics reader schema, made of full's own field types; the caller decrefs *out. */
static int metrics_schema(avro_schema_t full, avro_schema_t *out)
{
    avro_schema_t p = avro_schema_record("Record", "libfeedback");
    size_t i;
    if (!p)
        return fail("(schema)", "cannot make the metrics schema");
    for (i = 0; i < sizeof METRICS_FIELDS / sizeof METRICS_FIELDS[0]; i++) {
        avro_schema_t t = field_type(full, METRICS_FIELDS[i]);
        if (!t || avro_schema_record_field_append(p, METRICS_FIELDS[i], t) != 0) {
            avro_schema_decref(p);
            return fail("(schema)", "cannot make the metrics schema");
        }
    }
    *out = p;
    return 0;
}

/* ------------------------------------------------------------ write */

/*
 * Gives libavro the record's own bytes instead of a copy. Avro C counts a
 * string's size with a NUL terminator that fb_str need not have; its
 * set_string_len would copy size bytes, one past the end, while its binary
 * writer (value-write.c) reads only size - 1. So the buffer is lent, with
 * no free function, and released by the reset before the next record.
 */
static int put_str(avro_value_t *rec, int index, const char *p, size_t len)
{
    avro_value_t f;
    avro_wrapped_buffer_t b;
    int rc = avro_value_get_by_index(rec, (size_t)index, &f, NULL);
    if (len == 0)
        p = "";
    rc |= avro_wrapped_buffer_new(&b, p, len + 1);
    return rc | avro_value_give_string_len(&f, &b);
}

static int put_long(avro_value_t *rec, int index, int64_t v)
{
    avro_value_t f;
    int rc = avro_value_get_by_index(rec, (size_t)index, &f, NULL);
    return rc | avro_value_set_long(&f, v);
}

static int put_double(avro_value_t *rec, int index, double v)
{
    avro_value_t f;
    int rc = avro_value_get_by_index(rec, (size_t)index, &f, NULL);
    return rc | avro_value_set_double(&f, v);
}

static int put_bool(avro_value_t *rec, int index, bool v)
{
    avro_value_t f;
    int rc = avro_value_get_by_index(rec, (size_t)index, &f, NULL);
    return rc | avro_value_set_boolean(&f, v);
}

/* Range-checked: an ordinal past the symbols writes a file that no Avro reader accepts. */
static int put_enum(avro_value_t *rec, int index, fb_enum e, int v)
{
    avro_value_t f;
    int rc;
    if (v < 0 || v >= fb_enum_count(e)) {
        avro_set_error("%s %d is not a known value", fb_enum_field(e), v);
        return EINVAL;
    }
    rc = avro_value_get_by_index(rec, (size_t)index, &f, NULL);
    return rc | avro_value_set_enum(&f, v);
}

/* A ["null", T] union: branch 0 is null, branch 1 holds the value. */
static int put_null(avro_value_t *rec, int index)
{
    avro_value_t f, branch;
    int rc = avro_value_get_by_index(rec, (size_t)index, &f, NULL);
    rc |= avro_value_set_branch(&f, 0, &branch);
    return rc | avro_value_set_null(&branch);
}

static int put_opt_long(avro_value_t *rec, int index, int64_t v)
{
    avro_value_t f, branch;
    int rc = avro_value_get_by_index(rec, (size_t)index, &f, NULL);
    rc |= avro_value_set_branch(&f, 1, &branch);
    return rc | avro_value_set_long(&branch, v);
}

static int put_opt_double(avro_value_t *rec, int index, double v)
{
    avro_value_t f, branch;
    int rc = avro_value_get_by_index(rec, (size_t)index, &f, NULL);
    rc |= avro_value_set_branch(&f, 1, &branch);
    return rc | avro_value_set_double(&branch, v);
}

/* country and tip_currency are NUL-terminated in fixed arrays; "" when unset. */
static size_t bounded_len(const char *s, size_t cap)
{
    const char *nul = memchr(s, '\0', cap);
    return nul ? (size_t)(nul - s) : cap;
}

/*
 * Fills the generic value v from r. v is reset first: arrays would
 * otherwise keep the previous record's items, and lent strings are let go.
 * Returns 0 or a libavro error code (its message is in avro_strerror()).
 */
static int fill(avro_value_t *v, const layout *l, const fb_record *r)
{
    avro_value_t arr, item;
    size_t i;
    int rc = avro_value_reset(v);

    /* Avro has no unsigned long: ids above INT64_MAX are stored as their two's complement. */
    rc |= put_long(v, l->rec[F_ID], (int64_t)r->id);
    rc |= put_enum(v, l->rec[F_KIND], FB_ENUM_KIND, (int)r->kind);
    rc |= put_long(v, l->rec[F_CREATED_AT], r->created_at);
    if (r->interaction_at == FB_TIME_UNKNOWN)
        rc |= put_null(v, l->rec[F_INTERACTION_AT]);
    else
        rc |= put_opt_long(v, l->rec[F_INTERACTION_AT], r->interaction_at);
    rc |= put_str(v, l->rec[F_CUSTOMER_ID], r->customer_id.ptr, r->customer_id.len);
    rc |= put_enum(v, l->rec[F_CUSTOMER_STATUS], FB_ENUM_CUSTOMER_STATUS,
                   (int)r->customer_status);
    rc |= put_bool(v, l->rec[F_CUSTOMER_VERIFIED], r->customer_verified);
    rc |= put_bool(v, l->rec[F_WIN_BACK], r->win_back);
    rc |= put_enum(v, l->rec[F_CHANNEL], FB_ENUM_CHANNEL, (int)r->channel);
    rc |= put_enum(v, l->rec[F_SOURCE], FB_ENUM_SOURCE, (int)r->source);

    rc |= avro_value_get_by_index(v, (size_t)l->rec[F_ANSWERS], &arr, NULL);
    for (i = 0; i < r->n_answers && rc == 0; i++) {
        const fb_answer *a = &r->answers[i];
        rc |= avro_value_append(&arr, &item, NULL);
        rc |= put_enum(&item, l->ans[A_METRIC], FB_ENUM_METRIC, (int)a->metric);
        rc |= put_str(&item, l->ans[A_NAME], a->name.ptr, a->name.len);
        if (a->skipped)
            rc |= put_null(&item, l->ans[A_SCORE]);
        else
            rc |= put_opt_double(&item, l->ans[A_SCORE], a->score);
        rc |= put_double(&item, l->ans[A_SCALE_MIN], a->scale_min);
        rc |= put_double(&item, l->ans[A_SCALE_MAX], a->scale_max);
    }

    rc |= put_str(v, l->rec[F_TEXT], r->text.ptr, r->text.len);
    rc |= put_str(v, l->rec[F_LANGUAGE], r->language.ptr, r->language.len);

    rc |= avro_value_get_by_index(v, (size_t)l->rec[F_TAGS], &arr, NULL);
    for (i = 0; i < r->n_tags && rc == 0; i++) {
        avro_wrapped_buffer_t b;
        const fb_str *t = &r->tags[i];
        rc |= avro_value_append(&arr, &item, NULL);
        rc |= avro_wrapped_buffer_new(&b, t->len ? t->ptr : "", t->len + 1);
        rc |= avro_value_give_string_len(&item, &b);
    }

    rc |= put_str(v, l->rec[F_AGENT_ID], r->agent_id.ptr, r->agent_id.len);
    rc |= put_str(v, l->rec[F_TICKET_ID], r->ticket_id.ptr, r->ticket_id.len);
    rc |= put_str(v, l->rec[F_PRODUCT], r->product.ptr, r->product.len);
    rc |= put_str(v, l->rec[F_COUNTRY], r->country, bounded_len(r->country, sizeof r->country));
    rc |= put_long(v, l->rec[F_TIP], r->tip);
    rc |= put_str(v, l->rec[F_TIP_CURRENCY], r->tip_currency,
                  bounded_len(r->tip_currency, sizeof r->tip_currency));

    rc |= avro_value_get_by_index(v, (size_t)l->rec[F_ATTRIBUTES], &arr, NULL);
    for (i = 0; i < r->n_attrs && rc == 0; i++) {
        const fb_attr *t = &r->attrs[i];
        rc |= avro_value_append(&arr, &item, NULL);
        rc |= put_str(&item, l->attr[T_KEY], t->key.ptr, t->key.len);
        rc |= put_str(&item, l->attr[T_VALUE], t->value.ptr, t->value.len);
    }

    rc |= put_long(v, l->rec[F_REF_ID], (int64_t)r->ref_id);
    rc |= put_enum(v, l->rec[F_HANDLING], FB_ENUM_HANDLING, (int)r->handling);
    rc |= put_str(v, l->rec[F_ASSIGNEE], r->assignee.ptr, r->assignee.len);
    rc |= put_enum(v, l->rec[F_ASSIGNEE_KIND], FB_ENUM_ASSIGNEE_KIND, (int)r->assignee_kind);
    return rc;
}

int avro_peer_write(const char *path, const fb_record *recs, size_t n, size_t block_bytes)
{
    avro_schema_t schema;
    avro_value_iface_t *iface;
    avro_value_t v;
    avro_file_writer_t w;
    layout l;
    FILE *fp;
    size_t i;
    int rc = 0, closed;

    if (!path || (!recs && n > 0)) {
        fprintf(stderr, "%s: avro_peer_write: no path, or no records\n", PEER);
        return -1;
    }
    if (full_schema(&schema) != 0)
        return -1;
    if (find_layout(schema, &l, true, path) != 0) {
        avro_schema_decref(schema);
        return -1;
    }
    iface = avro_generic_class_from_schema(schema);
    if (!iface || avro_generic_value_new(iface, &v) != 0) {
        rc = fail(path, "cannot make a value of the schema");
        if (iface)
            avro_value_iface_decref(iface);
        avro_schema_decref(schema);
        return rc;
    }
    fp = fopen(path, "wb");
    if (!fp) {
        rc = fail_errno(path, "cannot create", errno);
    } else if (avro_file_writer_create_with_codec_fp(fp, path, 0, schema, &w, "deflate",
                                                     block_bytes) != 0) {
        rc = fail(path, "cannot start the Avro file");
        fclose(fp);
    } else {
        for (i = 0; i < n && rc == 0; i++) {
            if (fill(&v, &l, &recs[i]) != 0) {
                char what[64];
                snprintf(what, sizeof what, "record %zu", i);
                rc = fail(path, what);
            } else if (avro_file_writer_append_value(w, &v) != 0) {
                char what[96];
                snprintf(what, sizeof what, "cannot append record %zu (block size %zu)", i,
                         block_bytes);
                rc = fail(path, what);
            }
        }
        /* Close even after a failure, so the FILE is not left to libavro's buffers. */
        if (avro_file_writer_close(w) != 0 && rc == 0)
            rc = fail(path, "cannot close the Avro file");
        closed = ferror(fp);
        if (fclose(fp) != 0 || closed) {
            if (rc == 0)
                rc = fail_errno(path, "write error", errno ? errno : EIO);
        }
    }
    avro_value_decref(&v);
    avro_value_iface_decref(iface);
    avro_schema_decref(schema);
    return rc;
}

/* ------------------------------------------------------------ read */

/*
 * Reading folds every field it gets into a checksum, h. Each getter's
 * return is or-ed into rc: a value of the wrong type answers EINVAL
 * rather than a value, and one check per record is enough.
 */
typedef struct acc {
    uint64_t h;
    int rc;
} acc;

static void mix(acc *a, uint64_t x) { a->h = (a->h ^ x) * 0x100000001b3ULL; }

static void get_field(acc *a, const avro_value_t *rec, int index, avro_value_t *f)
{
    a->rc |= avro_value_get_by_index(rec, (size_t)index, f, NULL);
}

static void take_long(acc *a, const avro_value_t *v)
{
    int64_t x = 0;
    a->rc |= avro_value_get_long(v, &x);
    mix(a, (uint64_t)x);
}

static double take_double(acc *a, const avro_value_t *v)
{
    double x = 0;
    a->rc |= avro_value_get_double(v, &x);
    mix(a, (uint64_t)(int64_t)x);
    return x;
}

static void take_enum(acc *a, const avro_value_t *v)
{
    int x = 0;
    a->rc |= avro_value_get_enum(v, &x);
    mix(a, (uint64_t)x);
}

static void take_bool(acc *a, const avro_value_t *v)
{
    int x = 0;
    a->rc |= avro_value_get_boolean(v, &x);
    mix(a, (uint64_t)x);
}

/* The size and the first and last byte: proof the string is there, without rehashing text. */
static void take_str(acc *a, const avro_value_t *v)
{
    const char *s = NULL;
    size_t size = 0;
    a->rc |= avro_value_get_string(v, &s, &size);
    mix(a, size);
    if (s && size > 1)
        mix(a, (uint64_t)(unsigned char)s[0] << 8 | (unsigned char)s[size - 2]);
}

/* A ["null", T] union: the branch's value, or nothing for null; returns the discriminant. */
static int take_union(acc *a, const avro_value_t *v, avro_value_t *branch)
{
    int d = 0;
    a->rc |= avro_value_get_discriminant(v, &d);
    a->rc |= avro_value_get_current_branch(v, branch);
    mix(a, (uint64_t)d);
    return d;
}

/* Field index of rec, taken by take (take_long, take_str, take_enum, take_bool). */
static void take_field(acc *a, const avro_value_t *rec, int index,
                       void (*take)(acc *, const avro_value_t *))
{
    avro_value_t f;
    get_field(a, rec, index, &f);
    take(a, &f);
}

/* The answers array of rec; returns the first answer's score (0 when none or skipped). */
static double take_answers(acc *a, const avro_value_t *rec, const layout *l)
{
    avro_value_t arr, item, f, branch;
    size_t n = 0, i;
    double first = 0;

    get_field(a, rec, l->rec[F_ANSWERS], &arr);
    a->rc |= avro_value_get_size(&arr, &n);
    mix(a, n);
    for (i = 0; i < n; i++) {
        a->rc |= avro_value_get_by_index(&arr, i, &item, NULL);
        take_field(a, &item, l->ans[A_METRIC], take_enum);
        take_field(a, &item, l->ans[A_NAME], take_str);
        get_field(a, &item, l->ans[A_SCORE], &f);
        if (take_union(a, &f, &branch) == 1) {
            double s = take_double(a, &branch);
            if (i == 0)
                first = s;
        }
        get_field(a, &item, l->ans[A_SCALE_MIN], &f);
        (void)take_double(a, &f);
        get_field(a, &item, l->ans[A_SCALE_MAX], &f);
        (void)take_double(a, &f);
    }
    return first;
}

/* Every field of a full record; returns the first answer's score. */
static double take_full(acc *a, const avro_value_t *rec, const layout *l)
{
    avro_value_t f, branch, arr, item;
    size_t n = 0, i;
    double first;

    take_field(a, rec, l->rec[F_ID], take_long);
    take_field(a, rec, l->rec[F_KIND], take_enum);
    take_field(a, rec, l->rec[F_CREATED_AT], take_long);
    get_field(a, rec, l->rec[F_INTERACTION_AT], &f);
    if (take_union(a, &f, &branch) == 1)
        take_long(a, &branch);
    take_field(a, rec, l->rec[F_CUSTOMER_ID], take_str);
    take_field(a, rec, l->rec[F_CUSTOMER_STATUS], take_enum);
    take_field(a, rec, l->rec[F_CUSTOMER_VERIFIED], take_bool);
    take_field(a, rec, l->rec[F_WIN_BACK], take_bool);
    take_field(a, rec, l->rec[F_CHANNEL], take_enum);
    take_field(a, rec, l->rec[F_SOURCE], take_enum);
    first = take_answers(a, rec, l);
    take_field(a, rec, l->rec[F_TEXT], take_str);
    take_field(a, rec, l->rec[F_LANGUAGE], take_str);
    get_field(a, rec, l->rec[F_TAGS], &arr);
    a->rc |= avro_value_get_size(&arr, &n);
    for (i = 0; i < n; i++) {
        a->rc |= avro_value_get_by_index(&arr, i, &item, NULL);
        take_str(a, &item);
    }
    take_field(a, rec, l->rec[F_AGENT_ID], take_str);
    take_field(a, rec, l->rec[F_TICKET_ID], take_str);
    take_field(a, rec, l->rec[F_PRODUCT], take_str);
    take_field(a, rec, l->rec[F_COUNTRY], take_str);
    take_field(a, rec, l->rec[F_TIP], take_long);
    take_field(a, rec, l->rec[F_TIP_CURRENCY], take_str);
    get_field(a, rec, l->rec[F_ATTRIBUTES], &arr);
    a->rc |= avro_value_get_size(&arr, &n);
    for (i = 0; i < n; i++) {
        a->rc |= avro_value_get_by_index(&arr, i, &item, NULL);
        take_field(a, &item, l->attr[T_KEY], take_str);
        take_field(a, &item, l->attr[T_VALUE], take_str);
    }
    take_field(a, rec, l->rec[F_REF_ID], take_long);
    take_field(a, rec, l->rec[F_HANDLING], take_enum);
    take_field(a, rec, l->rec[F_ASSIGNEE], take_str);
    take_field(a, rec, l->rec[F_ASSIGNEE_KIND], take_enum);
    return first;
}

/* The metrics fields of a projected record; returns the first answer's score. */
static double take_metrics(acc *a, const avro_value_t *rec, const layout *l)
{
    take_field(a, rec, l->rec[F_CREATED_AT], take_long);
    take_field(a, rec, l->rec[F_CHANNEL], take_enum);
    return take_answers(a, rec, l);
}

int avro_peer_read(const char *path, bool metrics_only, size_t *count, double *score_sum)
{
    avro_schema_t mine = NULL, writer = NULL, reader_schema = NULL;
    avro_value_iface_t *dest_iface = NULL, *resolver = NULL;
    avro_value_t dest, resolved, *target;
    bool have_dest = false, have_resolved = false;
    avro_file_reader_t r = NULL;
    layout l;
    acc a = {0xcbf29ce484222325ULL, 0};
    size_t n = 0;
    double sum = 0;
    FILE *fp;
    int rc = -1, st;

    if (!path || !count || !score_sum) {
        fprintf(stderr, "%s: avro_peer_read: no path or no outputs\n", PEER);
        return -1;
    }
    if (full_schema(&mine) != 0)
        return -1;
    /* Our own fopen: avro_file_reader() returns fopen's errno but sets no message. */
    fp = fopen(path, "rb");
    if (!fp) {
        fail_errno(path, "cannot open", errno);
        goto done;
    }
    /* Owns fp from here on, also when it fails. */
    if (avro_file_reader_fp(fp, path, 1, &r) != 0) {
        r = NULL;
        fail(path, "not a readable Avro container file");
        goto done;
    }
    writer = avro_file_reader_get_writer_schema(r); /* a new reference in 1.11 */
    if (!writer) {
        fail(path, "no writer schema");
        goto done;
    }
    /*
     * The full read decodes through the writer schema itself, which must be
     * ours (the field positions and types come from it); logical types do
     * not take part, libavro 1.11 dropped them on writing.
     */
    if (!avro_schema_equal(writer, mine)) {
        fprintf(stderr, "%s: %s: written with another schema than avro_peer_write's\n", PEER,
                path);
        goto done;
    }
    if (metrics_only) {
        /*
         * Projection, libavro's way: a resolved *writer* takes the decoder's
         * calls in the writer schema's terms and stores only what the reader
         * schema has into a value of it; avro_value_read skips the fields it
         * lacks. (A resolved *reader* is the other direction: a reader-schema
         * view of an already decoded writer-schema value, which saves nothing.)
         */
        if (metrics_schema(mine, &reader_schema) != 0)
            goto done;
        find_layout(reader_schema, &l, false, path);
        dest_iface = avro_generic_class_from_schema(reader_schema);
        resolver = avro_resolved_writer_new(writer, reader_schema);
        if (!dest_iface || !resolver) {
            fail(path, "cannot resolve the metrics schema against the file's");
            goto done;
        }
        if (avro_generic_value_new(dest_iface, &dest) != 0) {
            fail(path, "cannot make a value of the metrics schema");
            goto done;
        }
        have_dest = true;
        if (avro_resolved_writer_new_value(resolver, &resolved) != 0) {
            fail(path, "cannot make a resolved value");
            goto done;
        }
        have_resolved = true;
        avro_resolved_writer_set_dest(&resolved, &dest);
        target = &resolved;
    } else {
        if (find_layout(writer, &l, true, path) != 0)
            goto done;
        dest_iface = avro_generic_class_from_schema(writer);
        if (!dest_iface || avro_generic_value_new(dest_iface, &dest) != 0) {
            fail(path, "cannot make a value of the file's schema");
            goto done;
        }
        have_dest = true;
        target = &dest;
    }

    while ((st = avro_file_reader_read_value(r, target)) == 0) {
        sum += metrics_only ? take_metrics(&a, &dest, &l) : take_full(&a, &dest, &l);
        n++;
        if (a.rc != 0) {
            char what[64];
            snprintf(what, sizeof what, "record %zu has a field of another type", n - 1);
            fail(path, what);
            goto done;
        }
    }
    /* EOF is libavro's clean end (no more blocks); anything else is damage. */
    if (st != EOF) {
        char what[64];
        snprintf(what, sizeof what, "cannot read record %zu", n);
        fail(path, what);
        goto done;
    }
    avro_peer_sink = a.h;
    *count = n;
    *score_sum = sum;
    rc = 0;
done:
    if (have_resolved)
        avro_value_decref(&resolved);
    if (resolver)
        avro_value_iface_decref(resolver);
    if (have_dest)
        avro_value_decref(&dest);
    if (dest_iface)
        avro_value_iface_decref(dest_iface);
    if (r)
        avro_file_reader_close(r);
    if (writer)
        avro_schema_decref(writer);
    if (reader_schema)
        avro_schema_decref(reader_schema);
    avro_schema_decref(mine);
    return rc;
}

int avro_peer_deflate_level(void)
{
    /* avro-c 1.11.1, src/codec.c, codec_deflate(): deflateInit2(ds, Z_BEST_COMPRESSION, ...). */
    return 9;
}
