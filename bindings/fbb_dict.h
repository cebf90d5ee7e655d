/*
 * The distinct byte strings of a column, each with its code (its index in
 * the order first met): what a data frame's categorical is made of. Internal
 * to the bindings' column reader (fbb_columns.c).
 */
#ifndef FBB_DICT_H
#define FBB_DICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fbb.h"

/* Appends n bytes of p to b (left unwritten when p is NULL); -1 out of memory. */
int fbb_buf_append(fbb_buf *b, const void *p, size_t n);

/*
 * Room for n more items of size bytes at the end of b: where to write them,
 * or NULL out of memory.
 */
void *fbb_buf_room(fbb_buf *b, size_t n, size_t size);

/*
 * Makes b hold at least n more bytes without growing again: for an array
 * whose final size is known, which then neither grows twice its size nor
 * is copied as it grows; -1 out of memory (b unchanged).
 */
int fbb_buf_reserve(fbb_buf *b, size_t n);

/* Recently coded strings by address: see fbb_dict_code. */
#define FBB_DICT_SEEN 256

typedef struct fbb_dict_seen {
    const char *ptr;
    size_t len;
    int32_t code;
} fbb_dict_seen;

/* Recently coded strings of at most 8 bytes, by their bytes: see fbb_dict_code. */
#define FBB_DICT_SHORT 256

typedef struct fbb_dict_short {
    uint64_t head;          /* the bytes, zero-padded */
    uint32_t len;
    int32_t code1;          /* code + 1; 0: empty */
} fbb_dict_short;

typedef struct fbb_dict_slot fbb_dict_slot;

/* All zeros is an empty dictionary. */
typedef struct fbb_dict {
    fbb_buf bytes;          /* the strings, one after another */
    fbb_buf offsets;        /* size_t: where string i starts; one more at the end */
    fbb_dict_slot *slots;   /* open addressing, linear probing, at most half full */
    size_t cap, count;
    int32_t empty1;         /* the code of "" plus one; 0: not met yet */
    fbb_dict_seen seen[FBB_DICT_SEEN];
    fbb_dict_short shorts[FBB_DICT_SHORT];
} fbb_dict;

/*
 * The code of s in d, added when new; -1 out of memory (d unchanged) or
 * when d holds INT32_MAX strings. Recent strings are found without hashing:
 * those of at most 8 bytes (codes, names, short ids) by their bytes, longer
 * ones that a log hands out as the same bytes (its chunk's dictionary) by
 * their address, so s must stay where it is until fbb_dict_new_run, which
 * a caller whose strings move (a scratch buffer) calls before each lookup,
 * or use fbb_dict_code_bytes instead.
 */
int32_t fbb_dict_code(fbb_dict *d, fb_str s);
/*
 * The codes of the n strings of v into out, as fbb_dict_code gives them,
 * faster for many; with empty_none, "" is not added and its code is -1
 * (none). -1 out of memory (out then partly written), else 0.
 */
int fbb_dict_codes(fbb_dict *d, const fb_str *v, size_t n, bool empty_none, int32_t *out);
/* The code of n bytes at p, without the cache by address: for bytes that move. */
int32_t fbb_dict_code_bytes(fbb_dict *d, const void *p, size_t n);

/*
 * Appends every string of src to dst as new codes, in order, whether or not
 * dst holds it already: src's code i becomes dst's first + i, where first
 * is what this returns (dst's count before), or -1 out of memory or when
 * dst would hold more than INT32_MAX strings (dst unchanged). No string is
 * hashed; dst finds a string again by the first of its codes.
 */
int32_t fbb_dict_append_all(fbb_dict *dst, const fbb_dict *src);

/* Forgets the addresses seen: the strings handed out before may be gone. */
void fbb_dict_new_run(fbb_dict *d);

/* String code (code < d->count): its bytes, owned by d. */
fb_str fbb_dict_at(const fbb_dict *d, size_t code);

/* Frees what d holds, leaving it empty. */
void fbb_dict_free(fbb_dict *d);

#endif /* FBB_DICT_H */
