/*
 * Building columns (fbb.h) from records and from other columns: what
 * fbb_columns_read does with a reader, or with the parts of a log read side
 * by side. Internal to the bindings.
 */
#ifndef FBB_COLUMNS_H
#define FBB_COLUMNS_H

#include "fbb.h"

/* Empty columns; wanted as for fbb_columns_read. NULL out of memory. */
fbb_columns *fbb_columns_new(uint64_t wanted);

/*
 * Makes room in every wanted column for rows more rows, so that appending
 * that many neither copies nor grows an array past what it needs; -1 out
 * of memory (c is then as it was, and still usable).
 */
int fbb_columns_reserve(fbb_columns *c, size_t rows);

/* Appends the rows of a batch, or one record; -1 out of memory (c is then to be freed). */
int fbb_columns_add_batch(fbb_columns *c, const fb_record_batch *b);
int fbb_columns_add_record(fbb_columns *c, const fb_record *r);

/*
 * Appends column col of src (the same columns wanted) after dst's rows, its
 * strings and lists recoded into dst's dictionaries (STRINGS, TEXT: src's
 * dictionary added to the end of dst's whole); src is left as it was.
 * Different columns may be appended on different threads at once. Once
 * every column is, fbb_columns_append_rows counts the rows. -1 out of
 * memory or when the columns wanted differ (dst is then to be freed).
 */
int fbb_columns_append_column(fbb_columns *dst, const fbb_columns *src, fbb_column col);
void fbb_columns_append_rows(fbb_columns *dst, const fbb_columns *src);

/*
 * Work on c's columns of numbers still running on another thread: finish
 * (called once, with work, by fbb_columns_settle or fbb_columns_free) waits
 * for it and returns -1 if it failed.
 */
void fbb_columns_defer(fbb_columns *c, int (*finish)(void *work), void *work);

#endif /* FBB_COLUMNS_H */
