/*
 * libfeedback: the feedback record.
 *
 * An fb_record is a plain value: the host may fill one on the stack, point
 * its strings and arrays at its own memory, and pass it to any function that
 * takes a `const fb_record *`. The library never frees or keeps what a
 * record points to, unless a function says so (fb_record_list_push copies).
 * Records that come out of the library (from a reader, from a record list)
 * point into memory the producer owns; each such function says how long
 * that memory stays valid.
 *
 * A zero-initialised record (`fb_record r = {0};`, or fb_record_init) is a
 * response from an unknown customer on channel "other" with no answers; set
 * at least created_at and one answer or a text to make it valid.
 *
 * Strings are UTF-8 with an explicit length (fb_str); they need not be
 * NUL-terminated. fb_record_validate() checks every field against the rules
 * below and names the first field that breaks one.
 *
 * The layout of fb_record, fb_answer, fb_attr and fb_str is part of the ABI:
 * a release that changes it raises the major version, and with it the
 * shared library's SONAME. Start records from fb_record_init so that code
 * rebuilt against a later major version gets the defaults of new fields.
 */
#ifndef FEEDBACK_RECORD_H
#define FEEDBACK_RECORD_H

#include <stdbool.h>

#include "common.h"
#include "status.h"
#include "timestamp.h"

FB_BEGIN_DECLS

/* ------------------------------------------------------------------ */
/* Strings                                                             */
/* ------------------------------------------------------------------ */

/* A borrowed UTF-8 string: len bytes at ptr. ptr may be NULL when len is 0. */
typedef struct fb_str {
    const char *ptr;
    size_t len;
} fb_str;

/* Makes an fb_str from a NUL-terminated string; NULL gives the empty string. */
FB_API fb_str fb_str_from_cstr(const char *s);

/* ------------------------------------------------------------------ */
/* Enumerations                                                        */
/*                                                                     */
/* Every value is stable (stored in logs, sent over the wire): values  */
/* are only ever appended. Each has a canonical lower-case name; see   */
/* fb_enum_name() and fb_enum_parse() below.                           */
/* ------------------------------------------------------------------ */

/* What a record is. */
typedef enum fb_record_kind {
    FB_KIND_RESPONSE = 0,    /* "response": feedback given (the default) */
    FB_KIND_INVITATION = 1,  /* "invitation": a survey was sent and not (yet) answered */
    FB_KIND_UPDATE = 2       /* "update": handling of the record ref_id changed */
} fb_record_kind;

/* The customer's relation to the business when the feedback was given. */
typedef enum fb_customer_status {
    FB_CUSTOMER_UNKNOWN = 0,     /* "unknown" */
    FB_CUSTOMER_ACTIVE = 1,      /* "active": a current customer */
    FB_CUSTOMER_CHURNED = 2,     /* "churned": left recently */
    FB_CUSTOMER_PROSPECT = 3,    /* "prospect": in the sales funnel */
    FB_CUSTOMER_COMPETITOR = 4,  /* "competitor_customer": buys from a competitor */
    FB_CUSTOMER_NONE = 5         /* "non_customer": never bought, not in the funnel */
} fb_customer_status;

/* Where the feedback was given. */
typedef enum fb_channel {
    FB_CHANNEL_OTHER = 0,           /* "other" */
    FB_CHANNEL_WEB_FORM = 1,        /* "web_form" */
    FB_CHANNEL_MOBILE_APP = 2,      /* "mobile_app" */
    FB_CHANNEL_EMAIL = 3,           /* "email" */
    FB_CHANNEL_SMS = 4,             /* "sms" */
    FB_CHANNEL_MESSENGER = 5,       /* "messenger" */
    FB_CHANNEL_PHONE_OPERATOR = 6,  /* "phone_operator": a call with a person */
    FB_CHANNEL_PHONE_ROBOT = 7,     /* "phone_robot": an automated call (IVR) */
    FB_CHANNEL_QR_CODE = 8,         /* "qr_code" */
    FB_CHANNEL_KIOSK = 9,           /* "kiosk" */
    FB_CHANNEL_REVIEW_SITE = 10,    /* "review_site" */
    FB_CHANNEL_MAPS = 11,           /* "maps": reviews on map services */
    FB_CHANNEL_SOCIAL = 12,         /* "social_network" */
    FB_CHANNEL_FORUM = 13,          /* "forum" */
    FB_CHANNEL_CHAT = 14,           /* "chat": live chat on a site or app */
    FB_CHANNEL_SURVEY = 15,         /* "survey": a survey platform */
    FB_CHANNEL_FOCUS_GROUP = 16,    /* "focus_group" */
    FB_CHANNEL_SERVICE_DESK = 17    /* "service_desk": rating after a ticket closes */
} fb_channel;

/* How the business came by the feedback. */
typedef enum fb_source {
    FB_SOURCE_DIRECT = 0,    /* "direct": the customer was asked */
    FB_SOURCE_INDIRECT = 1,  /* "indirect": found on third-party sites or social media */
    FB_SOURCE_INFERRED = 2   /* "inferred": derived from behaviour */
} fb_source;

/* What an answer measures. The scale of each is given by fb_metric_scale(). */
typedef enum fb_metric {
    FB_METRIC_NPS = 0,             /* "nps": Net Promoter Score question, 0..10 */
    FB_METRIC_CSAT = 1,            /* "csat": satisfaction, 1..5 */
    FB_METRIC_CES = 2,             /* "ces": customer effort, 1..7 agreement */
    FB_METRIC_CLI_RECOMMEND = 3,   /* "cli_recommend": loyalty index, recommend, 0..10 */
    FB_METRIC_CLI_REPURCHASE = 4,  /* "cli_repurchase": loyalty index, buy again, 0..10 */
    FB_METRIC_CLI_CROSS_BUY = 5,   /* "cli_cross_buy": loyalty index, buy other products, 0..10 */
    FB_METRIC_GCR = 6,             /* "gcr": goal completed, 0 (no) or 1 (yes) */
    FB_METRIC_RATING = 7,          /* "rating": star rating, 1..5 */
    FB_METRIC_CUSTOM = 8           /* "custom": named by the answer, on its own scale */
} fb_metric;

/* Where the business is with acting on a piece of feedback (update records). */
typedef enum fb_handling {
    FB_HANDLING_NEW = 0,          /* "new" */
    FB_HANDLING_ASSIGNED = 1,     /* "assigned" */
    FB_HANDLING_IN_PROGRESS = 2,  /* "in_progress" */
    FB_HANDLING_RESOLVED = 3,     /* "resolved" */
    FB_HANDLING_CLOSED = 4        /* "closed" */
} fb_handling;

/* Who an update assigns the feedback to. */
typedef enum fb_assignee_kind {
    FB_ASSIGNEE_PERSON = 0,      /* "person" */
    FB_ASSIGNEE_DEPARTMENT = 1   /* "department" */
} fb_assignee_kind;

/* The enumerations, for the generic name functions below. */
typedef enum fb_enum {
    FB_ENUM_KIND = 0,             /* fb_record_kind, field "kind" */
    FB_ENUM_CUSTOMER_STATUS = 1,  /* fb_customer_status, field "customer_status" */
    FB_ENUM_CHANNEL = 2,          /* fb_channel, field "channel" */
    FB_ENUM_SOURCE = 3,           /* fb_source, field "source" */
    FB_ENUM_METRIC = 4,           /* fb_metric, field "metric" */
    FB_ENUM_HANDLING = 5,         /* fb_handling, field "handling" */
    FB_ENUM_ASSIGNEE_KIND = 6     /* fb_assignee_kind, field "assignee_kind" */
} fb_enum;

/*
 * The canonical name of value in enumeration e, as a static string, or NULL
 * when e or value is unknown.
 */
FB_API const char *fb_enum_name(fb_enum e, int value);

/*
 * Parses a name of enumeration e into *value. Matching ignores ASCII case and
 * treats '-' and ' ' as '_', so "Web Form" and "web-form" give
 * FB_CHANNEL_WEB_FORM. Exact decimal numbers of known values ("3") are
 * accepted too.
 * Errors: FB_ERR_INVALID_ARG (value NULL, e unknown, or s NULL with len > 0);
 * FB_ERR_UNKNOWN_NAME, with a message that quotes the name and suggests the
 * nearest known one. *value is untouched on error.
 */
FB_API fb_status fb_enum_parse(fb_enum e, const char *s, size_t len, int *value, fb_error *err);

/* The number of values of enumeration e (values run from 0 to count - 1); 0 if e is unknown. */
FB_API int fb_enum_count(fb_enum e);

/* The record field an enumeration belongs to ("channel", ...), static; NULL if e is unknown. */
FB_API const char *fb_enum_field(fb_enum e);

/* Typed shorthands for fb_enum_name(); each returns NULL for unknown values. */
FB_API const char *fb_kind_name(fb_record_kind v);
FB_API const char *fb_customer_status_name(fb_customer_status v);
FB_API const char *fb_channel_name(fb_channel v);
FB_API const char *fb_source_name(fb_source v);
FB_API const char *fb_metric_name(fb_metric v);
FB_API const char *fb_handling_name(fb_handling v);
FB_API const char *fb_assignee_kind_name(fb_assignee_kind v);

/*
 * The scale of a built-in metric: scores lie in [*min, *max]. GCR admits only
 * 0 and 1. Errors: FB_ERR_INVALID_ARG for FB_METRIC_CUSTOM (its scale is in
 * each answer), unknown metrics, or NULL outputs.
 */
FB_API fb_status fb_metric_scale(fb_metric m, double *min, double *max);

/* ------------------------------------------------------------------ */
/* Answers, attributes, the record                                     */
/* ------------------------------------------------------------------ */

/* One answer to one question. */
typedef struct fb_answer {
    fb_metric metric;
    double score;      /* inside the metric's scale; ignored when skipped */
    bool skipped;      /* the question was shown but not answered (counts in no denominator) */
    fb_str name;       /* custom metrics only: the question's name, e.g. "delivery_speed" */
    double scale_min;  /* custom metrics only: the lowest possible score */
    double scale_max;  /* custom metrics only: the highest possible score (> scale_min) */
} fb_answer;

/* A free string attribute. */
typedef struct fb_attr {
    fb_str key;
    fb_str value;
} fb_attr;

/* Limits that fb_record_validate enforces, in bytes (strings) or items (lists). */
#define FB_MAX_TEXT 65536      /* text */
#define FB_MAX_ID 256          /* customer_id, agent_id, ticket_id, product, assignee */
#define FB_MAX_NAME 128        /* tags, attribute keys, custom answer names */
#define FB_MAX_ATTR_VALUE 4096 /* attribute values */
#define FB_MAX_LANGUAGE 35     /* language tag */
#define FB_MAX_ANSWERS 32
#define FB_MAX_TAGS 64
#define FB_MAX_ATTRS 64

typedef struct fb_record {
    uint64_t id;                        /* the host's id for this record; 0 = none */
    fb_record_kind kind;

    fb_time created_at;                 /* when the feedback was given; required */
    fb_time interaction_at;             /* when the experience happened, or FB_TIME_UNKNOWN */

    fb_str customer_id;
    fb_customer_status customer_status;
    bool customer_verified;             /* the business confirmed who the customer is */
    bool win_back;                      /* a churned customer the business wants back */

    fb_channel channel;
    fb_source source;

    const fb_answer *answers;           /* n_answers answers; at most one per built-in metric */
    size_t n_answers;

    fb_str text;                        /* the comment, any valid UTF-8 */
    fb_str language;                    /* BCP 47 tag such as "ru" or "en-GB"; may be empty */

    const fb_str *tags;                 /* n_tags tags; on updates, the tags to add */
    size_t n_tags;

    fb_str agent_id;                    /* who served the customer */
    fb_str ticket_id;                   /* service-desk ticket */
    fb_str product;
    char country[3];                    /* ISO 3166-1 alpha-2 ("RU"), NUL-terminated, or "" */
    int64_t tip;                        /* tip in minor currency units (cents); >= 0 */
    char tip_currency[4];               /* ISO 4217 code ("EUR"), NUL-terminated, or "" */

    const fb_attr *attrs;               /* n_attrs attributes with distinct keys */
    size_t n_attrs;

    /* Update records only: */
    uint64_t ref_id;                    /* the record this update acts on; non-zero */
    fb_handling handling;               /* its new handling status */
    fb_str assignee;                    /* who handles it now; may be empty */
    fb_assignee_kind assignee_kind;
} fb_record;

/*
 * Sets *r to the default record: all zero, except interaction_at, which is
 * FB_TIME_UNKNOWN. Prefer it to `= {0}` when interaction time may stay unset.
 */
FB_API void fb_record_init(fb_record *r);

/*
 * Checks every field of r and returns FB_OK or the first problem, naming the
 * field in err->field and err->message ("answers[1].score: 11 is outside the
 * nps scale 0..10"). The rules:
 *  - enumerations hold known values;
 *  - created_at is known (else FB_ERR_MISSING) and lies in [FB_TIME_MIN,
 *    FB_TIME_MAX]; interaction_at too, or is FB_TIME_UNKNOWN;
 *  - every string is valid UTF-8 within its FB_MAX_* limit; identifiers, tags,
 *    keys and names hold no control characters; tags, attribute keys and
 *    custom names are not empty;
 *  - scores are finite and inside the metric's scale (GCR exactly 0 or 1);
 *    custom answers have a name, which is not a built-in metric's name, and
 *    a finite scale with scale_min < scale_max; no two answers share a
 *    built-in metric or a custom name;
 *  - attribute keys are distinct;
 *  - language is empty or a BCP 47 shape (letters, then subtags of 1 to 8
 *    letters or digits separated by '-'); country is "" or two letters A-Z;
 *    tip_currency is "" or three letters A-Z; tip >= 0;
 *  - a response has at least one answer or a non-empty text; an invitation
 *    has no text and no scored answer; an update has ref_id != 0 and no
 *    answers.
 * Errors: FB_ERR_INVALID_ARG (r NULL), FB_ERR_RANGE, FB_ERR_UTF8,
 * FB_ERR_TOO_LONG, FB_ERR_UNKNOWN_NAME (bad enum value), FB_ERR_MISSING,
 * FB_ERR_DUPLICATE, FB_ERR_INCONSISTENT, FB_ERR_PARSE (bad language, country
 * or currency shape).
 */
FB_API fb_status fb_record_validate(const fb_record *r, fb_error *err);

/*
 * True when a and b hold the same values: strings compared byte by byte, lists
 * in order, scores exactly (skipped answers compare equal whatever their
 * score; custom scale and name only for custom answers; update fields only
 * for updates). NULL equals only NULL.
 */
FB_API bool fb_record_equal(const fb_record *a, const fb_record *b);

/* The answer for built-in metric m in r, or NULL when r has none. */
FB_API const fb_answer *fb_record_answer(const fb_record *r, fb_metric m);

/* The value of attribute key in r, or NULL when r has none. */
FB_API const fb_str *fb_record_attr(const fb_record *r, const char *key, size_t key_len);

FB_END_DECLS

#endif /* FEEDBACK_RECORD_H */
