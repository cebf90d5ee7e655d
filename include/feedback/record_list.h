/*
 * libfeedback: a list of records that owns its copies.
 *
 * Records from readers and from the host borrow their strings. When records
 * must outlive their source (kept for a summary, returned to a binding),
 * push them into an fb_record_list: it deep-copies each record, strings,
 * answers, tags and attributes included, into memory it owns.
 */
#ifndef FEEDBACK_RECORD_LIST_H
#define FEEDBACK_RECORD_LIST_H

#include "alloc.h"
#include "common.h"
#include "record.h"
#include "status.h"

FB_BEGIN_DECLS

typedef struct fb_record_list fb_record_list;

/*
 * Creates an empty list in *out, using alloc for all its memory (NULL: the C
 * library's). Free it with fb_record_list_free.
 * Errors: FB_ERR_INVALID_ARG (out NULL), FB_ERR_NOMEM.
 */
FB_API fb_status fb_record_list_new(const fb_allocator *alloc, fb_record_list **out);

/* Frees the list and every copy in it. NULL is a no-op. */
FB_API void fb_record_list_free(fb_record_list *list);

/*
 * Appends a deep copy of r. r is not validated (call fb_record_validate
 * first when it comes from outside). Pointers earlier returned by
 * fb_record_list_get or fb_record_list_data may move: fetch them again.
 * Errors: FB_ERR_INVALID_ARG (list or r NULL, or a list whose pointer is
 * NULL with a count > 0), FB_ERR_NOMEM (the list is unchanged).
 */
FB_API fb_status fb_record_list_push(fb_record_list *list, const fb_record *r);

/* The number of records in the list; 0 for NULL. */
FB_API size_t fb_record_list_count(const fb_record_list *list);

/*
 * Record i (0-based), or NULL when i is out of range. The record and what it
 * points to stay valid until the list is freed, cleared or pushed to.
 */
FB_API const fb_record *fb_record_list_get(const fb_record_list *list, size_t i);

/*
 * All records as one array of fb_record_list_count elements (NULL when
 * empty), for functions that take `const fb_record *, size_t`. Valid as long
 * as fb_record_list_get's results.
 */
FB_API const fb_record *fb_record_list_data(const fb_record_list *list);

/* Removes every record; the list stays usable. NULL is a no-op. */
FB_API void fb_record_list_clear(fb_record_list *list);

FB_END_DECLS

#endif /* FEEDBACK_RECORD_LIST_H */
