/*
 * Strings to codes: a hash table of 16-byte slots over one buffer of the
 * strings. A column of many distinct values (customer ids) waits on its
 * slots more than it computes, so a slot holds what decides most probes (a
 * check of the hash and length, the first 8 bytes) and nothing a rehash
 * could recompute from the strings, which it reads in order.
 */
#include <stdlib.h>
#include <string.h>

#include "fbb_dict.h"

struct fbb_dict_slot {
    uint64_t head;      /* the first 8 bytes, zero-padded */
    uint32_t check;     /* the hash's top 24 bits, and the length (0xFF: 255 or more) */
    int32_t code1;      /* code + 1; 0: empty */
};

static int buf_grow(fbb_buf *b, size_t cap)
{
    char *d = realloc(b->data, cap);

    if (!d)
        return -1;
    b->data = d;
    b->cap = cap;
    return 0;
}

int fbb_buf_append(fbb_buf *b, const void *p, size_t n)
{
    if (n > b->cap - b->len) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap - b->len < n) {
            if (cap > SIZE_MAX / 2)
                return -1;
            cap *= 2;
        }
        if (buf_grow(b, cap) != 0)
            return -1;
    }
    if (p && n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    return 0;
}

int fbb_buf_reserve(fbb_buf *b, size_t n)
{
    if (n <= b->cap - b->len)
        return 0;
    return n > SIZE_MAX - b->len ? -1 : buf_grow(b, b->len + n);
}

void fbb_buf_free(fbb_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

void *fbb_buf_room(fbb_buf *b, size_t n, size_t size)
{
    size_t before = b->len;

    if (n > SIZE_MAX / size || fbb_buf_append(b, NULL, n * size) != 0)
        return NULL;
    return b->data + before;
}

/*
 * The n <= 8 bytes at p as a number, zero-padded: fixed-size loads (which
 * compilers make one instruction) that may overlap, rather than a copy of
 * a length known only now (a call).
 */
static uint64_t load_short(const unsigned char *p, size_t n)
{
    uint32_t lo, hi;
    uint64_t w;

    if (n >= 8) {
        memcpy(&w, p, 8);
        return w;
    }
    if (n >= 4) {
        memcpy(&lo, p, 4);
        memcpy(&hi, p + n - 4, 4);
        return (uint64_t)lo | (uint64_t)hi << (8 * (n - 4));
    }
    if (n == 0)
        return 0;
    return (uint64_t)p[0] | (uint64_t)p[n / 2] << (8 * (n / 2)) |
           (uint64_t)p[n - 1] << (8 * (n - 1));
}

static uint64_t hash(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ n, w;

    for (; n >= 8; s += 8, n -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
        h ^= h >> 32;
    }
    h = (h ^ load_short(s, n)) * 0xC4CEB9FE1A85EC53ULL;
    return h ^ (h >> 29);
}

static uint32_t check_of(uint64_t h, size_t len)
{
    return (uint32_t)(h >> 40) << 8 | (uint32_t)(len < 0xFF ? len : 0xFF);
}

/* The first 8 bytes of s, zero-padded. */
static uint64_t head_of(fb_str s)
{
    return load_short((const unsigned char *)s.ptr, s.len < 8 ? s.len : 8);
}

fb_str fbb_dict_at(const fbb_dict *d, size_t code)
{
    const size_t *off = (const size_t *)(const void *)d->offsets.data;
    fb_str s;

    s.ptr = d->bytes.data ? d->bytes.data + off[code] : ""; /* only empty strings so far */
    s.len = off[code + 1] - off[code];
    return s;
}

/* Asks the processor for the slot of slots (cap of them) where hash h starts its probe. */
static void prefetch_slot(const fbb_dict_slot *slots, size_t cap, uint64_t h)
{
#if defined(__GNUC__)
    __builtin_prefetch(&slots[(size_t)h & (cap - 1)]);
#else
    (void)slots;
    (void)cap;
    (void)h;
#endif
}

/* Puts code (already in d's strings) into slots of cap, a power of two. */
static void slot_put(fbb_dict_slot *slots, size_t cap, fb_str s, uint64_t h, size_t code)
{
    size_t j;

    for (j = (size_t)h & (cap - 1); slots[j].code1; j = (j + 1) & (cap - 1))
        ;
    slots[j].head = head_of(s);
    slots[j].check = check_of(h, s.len);
    slots[j].code1 = (int32_t)code + 1;
}

/* How far ahead a loop over many strings asks for the slots it will probe: to cover a miss. */
#define AHEAD 16

/*
 * Twice the slots, or as many as strings appended without any need
 * (fbb_dict_append_all). The strings are rehashed in order of their codes, and
 * their new slots fetched a few ahead, as a lookup does: a table of a
 * million slots is mostly out of the cache.
 */
static int grow(fbb_dict *d)
{
    size_t cap = d->cap ? d->cap * 2 : 256, code;
    fbb_dict_slot *slots;
    uint64_t hashes[AHEAD];

    while ((d->count + 1) * 2 > cap)
        cap *= 2;
    /*
     * Zeroed by writing, not by calloc (which compilers make of malloc and
     * memset; realloc they leave alone): fresh pages of calloc's are the
     * system's one page of zeros until written, and a probe reads a slot
     * before it writes one, so each page would be faulted in twice, the
     * second time telling every other core of the process to forget the
     * first. The old slots are not needed: the strings are rehashed.
     */
    if (cap > SIZE_MAX / sizeof *slots || !(slots = realloc(d->slots, cap * sizeof *slots)))
        return -1;
    memset(slots, 0, cap * sizeof *slots);
    for (code = 0; code < d->count + AHEAD; code++) {
        if (code >= AHEAD)
            slot_put(slots, cap, fbb_dict_at(d, code - AHEAD), hashes[code % AHEAD],
                     code - AHEAD);
        if (code < d->count) {
            fb_str s = fbb_dict_at(d, code);
            hashes[code % AHEAD] = hash(s.ptr, s.len);
            prefetch_slot(slots, cap, hashes[code % AHEAD]);
        }
    }
    d->slots = slots;
    d->cap = cap;
    return 0;
}

/* Whether slot holds s, whose check and head are given. */
static bool slot_holds(const fbb_dict *d, const fbb_dict_slot *slot, uint32_t check,
                       uint64_t head, fb_str s)
{
    fb_str t;

    if (slot->check != check || slot->head != head)
        return false;
    if (s.len <= 8)
        return true; /* the check holds the exact length, the head every byte */
    t = fbb_dict_at(d, (size_t)slot->code1 - 1);
    return t.len == s.len && memcmp(t.ptr + 8, s.ptr + 8, s.len - 8) == 0;
}

/* Adds s, whose hash is h, as the next code; -1 out of memory, d unchanged. */
static int32_t add(fbb_dict *d, fb_str s, uint64_t h)
{
    size_t end, zero = 0;

    if (d->count >= INT32_MAX)
        return -1;
    if ((d->count + 1) * 2 > d->cap && grow(d) != 0)
        return -1;
    if (d->offsets.len == 0 && fbb_buf_append(&d->offsets, &zero, sizeof zero) != 0)
        return -1;
    if (fbb_buf_append(&d->bytes, s.ptr, s.len) != 0)
        return -1;
    end = d->bytes.len;
    if (fbb_buf_append(&d->offsets, &end, sizeof end) != 0) {
        d->bytes.len -= s.len;
        return -1;
    }
    slot_put(d->slots, d->cap, s, h, d->count);
    return (int32_t)d->count++;
}

static int32_t find_or_add(fbb_dict *d, fb_str s, uint64_t h)
{
    uint32_t check = check_of(h, s.len);
    uint64_t head = head_of(s);
    size_t j;

    if (!d->slots && d->count && grow(d) != 0) /* see fbb_dict_append_all */
        return -1;
    for (j = (size_t)h & (d->cap - 1); d->cap && d->slots[j].code1; j = (j + 1) & (d->cap - 1))
        if (slot_holds(d, &d->slots[j], check, head, s))
            return d->slots[j].code1 - 1;
    return add(d, s, h);
}

/* The code of "", which most optional columns hold in most rows. */
static int32_t empty_code(fbb_dict *d)
{
    static const fb_str none = {"", 0};
    int32_t code;

    if (d->empty1)
        return d->empty1 - 1;
    code = find_or_add(d, none, hash("", 0));
    if (code >= 0)
        d->empty1 = code + 1;
    return code;
}

/* Where the cache by address keeps s. */
static fbb_dict_seen *seen_slot(fbb_dict *d, fb_str s)
{
    return &d->seen[((uintptr_t)s.ptr >> 3 ^ s.len) & (FBB_DICT_SEEN - 1)];
}

static bool seen_holds(const fbb_dict_seen *seen, fb_str s)
{
    return seen->ptr == s.ptr && seen->len == s.len;
}

/* Where the cache by bytes keeps a string of at most 8 bytes, head its bytes. */
static fbb_dict_short *short_slot(fbb_dict *d, uint64_t head, size_t len)
{
    return &d->shorts[((head ^ len) * 0x9E3779B97F4A7C15ULL) >> 56];
}

static bool short_holds(const fbb_dict_short *e, uint64_t head, size_t len)
{
    return e->code1 && e->head == head && e->len == len;
}

/*
 * The code of s (not ""): from the cache by address (when by_address), else
 * from the cache by bytes (at most 8 of them), else from the table, which
 * both caches then remember. h: its hash, or NULL to compute it if needed.
 */
static int32_t code_of(fbb_dict *d, fb_str s, const uint64_t *h, bool by_address)
{
    fbb_dict_seen *seen = seen_slot(d, s);
    fbb_dict_short *e = NULL;
    uint64_t head = 0;
    int32_t code;

    if (by_address && seen_holds(seen, s))
        return seen->code;
    if (s.len <= 8) {
        head = head_of(s);
        e = short_slot(d, head, s.len);
    }
    if (e && short_holds(e, head, s.len)) {
        code = e->code1 - 1;
    } else if ((code = find_or_add(d, s, h ? *h : hash(s.ptr, s.len))) >= 0 && e) {
        e->head = head;
        e->len = (uint32_t)s.len;
        e->code1 = code + 1;
    }
    if (by_address && code >= 0) {
        seen->ptr = s.ptr;
        seen->len = s.len;
        seen->code = code;
    }
    return code;
}

int32_t fbb_dict_code(fbb_dict *d, fb_str s)
{
    return s.len ? code_of(d, s, NULL, true) : empty_code(d);
}

int32_t fbb_dict_code_bytes(fbb_dict *d, const void *p, size_t n)
{
    fb_str s;

    if (n == 0)
        return empty_code(d);
    s.ptr = p;
    s.len = n;
    return code_of(d, s, NULL, false);
}

/* Hashes s ahead of its lookup and fetches its slot, unless a cache knows it; whether it did. */
static bool look_ahead(fbb_dict *d, fb_str s, uint64_t *h)
{
    if (s.len == 0 || seen_holds(seen_slot(d, s), s))
        return false;
    if (s.len <= 8) {
        uint64_t head = head_of(s);
        if (short_holds(short_slot(d, head, s.len), head, s.len))
            return false;
    }
    *h = hash(s.ptr, s.len);
    if (d->cap)
        prefetch_slot(d->slots, d->cap, *h);
    return true;
}

int fbb_dict_codes(fbb_dict *d, const fb_str *v, size_t n, bool empty_none, int32_t *out)
{
    uint64_t hashes[AHEAD];
    bool hashed[AHEAD];
    size_t i;

    /*
     * A column of many distinct values (customer ids) spends its time waiting
     * for its slots: hash a few rows ahead and fetch their slots meanwhile.
     * Empty strings, and those the cache by address knows, need neither.
     */
    for (i = 0; i < n && i < AHEAD; i++)
        hashed[i] = look_ahead(d, v[i], &hashes[i]);
    for (i = 0; i < n; i++) {
        const size_t k = i % AHEAD;
        const uint64_t h = hashed[k] ? hashes[k] : 0;
        const bool had = hashed[k];
        if (i + AHEAD < n)
            hashed[k] = look_ahead(d, v[i + AHEAD], &hashes[k]);
        if (v[i].len == 0 && empty_none) {
            out[i] = -1;
            continue;
        }
        out[i] = v[i].len ? code_of(d, v[i], had ? &h : NULL, true) : empty_code(d);
        if (out[i] < 0)
            return -1;
    }
    return 0;
}

int32_t fbb_dict_append_all(fbb_dict *dst, const fbb_dict *src)
{
    const size_t *from = (const size_t *)(const void *)src->offsets.data;
    size_t first = dst->count, zero = 0, base = dst->bytes.len, i, *to;

    if (src->count == 0)
        return (int32_t)first;
    if (src->count > (size_t)INT32_MAX - first)
        return -1;
    if (dst->offsets.len == 0 && fbb_buf_append(&dst->offsets, &zero, sizeof zero) != 0)
        return -1;
    if (fbb_buf_append(&dst->bytes, src->bytes.data, src->bytes.len) != 0)
        return -1;
    if (!(to = fbb_buf_room(&dst->offsets, src->count, sizeof *to))) {
        dst->bytes.len = base;
        return -1;
    }
    for (i = 0; i < src->count; i++)
        to[i] = base + from[i + 1];
    dst->count += src->count;
    /*
     * The slots are rebuilt when next needed (add grows an empty table),
     * every code in order: a string met twice is found by its first code.
     */
    free(dst->slots);
    dst->slots = NULL;
    dst->cap = 0;
    return (int32_t)first;
}

void fbb_dict_new_run(fbb_dict *d) { memset(d->seen, 0, sizeof d->seen); }

void fbb_dict_free(fbb_dict *d)
{
    fbb_buf_free(&d->bytes);
    fbb_buf_free(&d->offsets);
    free(d->slots);
    memset(d, 0, sizeof *d);
}
