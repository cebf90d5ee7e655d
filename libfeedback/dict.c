#include "dict.h"

#include <string.h>

#include "alloc_private.h"
#include "varint.h"

/*
 * A slot of the hash table. Strings of up to 16 bytes are told apart by their
 * key alone (short_key), without reading the stream.
 */
struct fb__dict_slot {
    uint64_t key[2];
    uint32_t len;
    uint32_t index1;  /* entry index + 1; 0: an empty slot */
    uint32_t off;     /* offset of the entry's bytes in the stream */
    uint32_t hash;
};

void fb__dict_init(fb__dict *d, const fb_allocator *alloc)
{
    fb__strbuf_init(&d->stream, alloc);
    d->count = 0;
    d->slots = NULL;
    d->slots_cap = 0;
    d->offsets = NULL;
    d->offsets_cap = 0;
    d->alloc = alloc;
}

void fb__dict_free(fb__dict *d)
{
    fb__strbuf_free(&d->stream);
    fb__free(d->alloc, d->slots);
    fb__free(d->alloc, d->offsets);
    d->slots = NULL;
    d->slots_cap = 0;
    d->offsets = NULL;
    d->offsets_cap = 0;
    d->count = 0;
}

void fb__dict_reset(fb__dict *d)
{
    fb__strbuf_reset(&d->stream);
    if (d->count)
        memset(d->slots, 0, d->slots_cap * sizeof *d->slots);
    d->count = 0;
}

/*
 * Two words that hold every byte of s (len 1..16), so that two strings of the
 * same length are equal exactly when their keys are: overlapping loads from
 * both ends (8, or 4, bytes), or for 1 to 3 bytes the first, middle and last.
 * Longer strings get their first and last 8 bytes, which only narrow a match.
 */
static inline void short_key(const char *s, size_t len, uint64_t key[2])
{
    const uint8_t *p = (const uint8_t *)s;

    if (len >= 8) {
        key[0] = fb__load_u64(p);
        key[1] = fb__load_u64(p + len - 8);
    } else if (len >= 4) {
        key[0] = (uint64_t)fb__load_u32(p) << 32 | fb__load_u32(p + len - 4);
        key[1] = 0;
    } else {
        key[0] = (uint64_t)p[0] << 16 | (uint64_t)p[len / 2] << 8 | p[len - 1];
        key[1] = 0;
    }
}

static inline uint32_t mix(uint64_t h)
{
    h ^= h >> 29;
    h *= 0xFF51AFD7ED558CCDULL;
    return (uint32_t)(h >> 32);
}

/* The slot hash of a string: from its key up to 16 bytes, else from every byte. */
static inline uint32_t hash_of(const char *s, size_t len, const uint64_t key[2])
{
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ (uint64_t)len;

    if (len <= 16)
        return mix((key[0] * 0xC4CEB9FE1A85EC53ULL) ^ key[1] ^ h);
    for (; len >= 8; s += 8, len -= 8) {
        h = (h ^ fb__load_u64((const uint8_t *)s)) * 0xFF51AFD7ED558CCDULL;
        h ^= h >> 32;
    }
    return mix(h ^ key[1]); /* key[1], the last 8 bytes, covers the 0..7 left */
}

static int rehash(fb__dict *d)
{
    size_t cap = d->slots_cap ? d->slots_cap * 2 : 256, i;
    fb__dict_slot *slots;

    if (cap > SIZE_MAX / sizeof *slots)
        return -1;
    slots = fb__calloc(d->alloc, cap * sizeof *slots);
    if (!slots)
        return -1;
    for (i = 0; i < d->slots_cap; i++) {
        const fb__dict_slot *s = &d->slots[i];
        size_t j;
        if (!s->index1)
            continue;
        for (j = s->hash & (cap - 1); slots[j].index1; j = (j + 1) & (cap - 1))
            ;
        slots[j] = *s;
    }
    fb__free(d->alloc, d->slots);
    d->slots = slots;
    d->slots_cap = cap;
    return 0;
}

int fb__dict_index(fb__dict *d, const char *s, size_t len, uint32_t *index)
{
    fb__strbuf *b = &d->stream;
    fb__dict_slot *slot;
    uint64_t key[2];
    size_t j, mask;
    uint32_t h;

    if ((size_t)d->count * 2 >= d->slots_cap && rehash(d) != 0)
        return -1;
    short_key(s, len, key);
    h = hash_of(s, len, key);
    mask = d->slots_cap - 1;
    for (j = h & mask;; j = (j + 1) & mask) {
        slot = &d->slots[j];
        if (!slot->index1)
            break;
        if (slot->key[0] == key[0] && slot->key[1] == key[1] && slot->len == len &&
            (len <= 16 || memcmp(b->data + slot->off, s, len) == 0)) {
            *index = slot->index1 - 1;
            return 0;
        }
    }
    if (len > UINT32_MAX || b->len > UINT32_MAX - FB__VARINT_MAX - len ||
        fb__strbuf_reserve(b, FB__VARINT_MAX + len) != 0 ||
        (d->count == d->offsets_cap &&
         fb__grow(d->alloc, (void **)&d->offsets, &d->offsets_cap, (size_t)d->count + 1,
                  sizeof *d->offsets) != 0))
        return -1;
    d->offsets[d->count] = (uint32_t)b->len; /* where its length starts */
    b->len += fb__varint_write((uint8_t *)b->data + b->len, len);
    slot->key[0] = key[0];
    slot->key[1] = key[1];
    slot->len = (uint32_t)len;
    slot->hash = h;
    slot->off = (uint32_t)b->len;
    slot->index1 = ++d->count;
    memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
    *index = d->count - 1;
    return 0;
}

const char *fb__dict_entry(const fb__dict *d, uint32_t index, size_t *len)
{
    const uint8_t *p = (const uint8_t *)d->stream.data;
    size_t pos = d->offsets[index];
    uint64_t n = 0;

    (void)fb__get_varint(p, d->stream.len, &pos, &n); /* our own, well-formed */
    if (len)
        *len = (size_t)n;
    return (const char *)p + pos;
}
