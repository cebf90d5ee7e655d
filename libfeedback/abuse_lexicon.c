/*
 * The detector's lexicon (abuse_lexicon.h). Words and exceptions sit in an
 * open-addressing table keyed by fb__code_hash, so a token costs one probe;
 * roots are few, behind a bitmap of their first two codes, checked at the
 * start of a token and after its prefixes.
 */
#include "abuse_lexicon.h"
#include "abuse_lists.h"

#include <string.h>

#include "alloc_private.h"
#include "error_private.h"
#include "feedback/text.h"

/* The built-in lists (abuse_lists.h). */
#define FB__LEX_ENTRY(name, kind, category) {fb__lex_##name, &fb__lex_##name##_count, kind, category},
static const fb__lex_list builtin[] = {FB__LEX_LISTS(FB__LEX_ENTRY)};
#undef FB__LEX_ENTRY

#define CODE_HARD_SIGN 0x9Au /* ъ */

void fb__lex_init(fb__lexicon *lx, const fb_allocator *alloc)
{
    memset(lx, 0, sizeof *lx);
    lx->alloc = fb__alloc_or_default(alloc);
}

void fb__lex_free(fb__lexicon *lx)
{
    const fb_allocator *a = lx->alloc;
    fb__free(a, lx->entries);
    fb__free(a, lx->pool);
    fb__free(a, lx->slots);
    fb__free(a, lx->dslots);
    fb__free(a, lx->xslots);
    fb__free(a, lx->roots);
    fb__free(a, lx->droots);
    fb__free(a, lx->stems);
    fb__free(a, lx->prefixes);
    memset(lx, 0, sizeof *lx);
}

static const unsigned char *entry_codes(const fb__lexicon *lx, const fb__lex_entry *e)
{
    return lx->pool + e->text;
}

static const unsigned char *entry_dedup(const fb__lexicon *lx, const fb__lex_entry *e)
{
    return lx->pool + e->dedup;
}

/* codes without doubled letters into out; returns the length. */
static unsigned undouble(const unsigned char *codes, unsigned len, unsigned char *out)
{
    unsigned i, n = 0;
    for (i = 0; i < len; i++)
        if (n == 0 || codes[i] != out[n - 1] || !fb__code_is_letter(codes[i]))
            out[n++] = codes[i];
    return n;
}

/* Puts entry index e into table slots (mask) under hash. */
static void table_put(uint32_t *slots, size_t mask, uint64_t hash, size_t e)
{
    size_t i = fb__hash_slot(hash) & mask;
    while (slots[i])
        i = (i + 1) & mask;
    slots[i] = (uint32_t)(e + 1);
}

/* Rebuilds a table of entries of kind (words also into *dslots when dslots) with cap slots. */
static fb_status rebuild(fb__lexicon *lx, unsigned kind, uint32_t **slots, uint32_t **dslots, size_t cap)
{
    uint32_t *ns = fb__calloc(lx->alloc, cap * sizeof *ns), *nd = NULL;
    size_t i;

    if (!ns || (dslots && !(nd = fb__calloc(lx->alloc, cap * sizeof *nd)))) {
        fb__free(lx->alloc, ns);
        return FB_ERR_NOMEM;
    }
    for (i = 0; i < lx->n; i++) {
        const fb__lex_entry *e = &lx->entries[i];
        if (e->kind != kind)
            continue;
        table_put(ns, cap - 1, fb__code_hash(entry_codes(lx, e), e->len), i);
        if (nd)
            table_put(nd, cap - 1, fb__code_hash(entry_dedup(lx, e), e->dedup_len), i);
    }
    fb__free(lx->alloc, *slots);
    *slots = ns;
    if (dslots) {
        fb__free(lx->alloc, *dslots);
        *dslots = nd;
    }
    return FB_OK;
}

/* Makes room for one more word (load 1/8: most tokens find an empty slot) or exception (load 1/2). */
static fb_status tables_reserve(fb__lexicon *lx, unsigned kind)
{
    if (kind == FB__LEX_WORD) {
        size_t cap = lx->slots ? lx->slot_mask + 1 : 0;
        if ((lx->n_words + 1) * 8 > cap) {
            cap = cap ? cap * 2 : 1024;
            FB__TRY(rebuild(lx, FB__LEX_WORD, &lx->slots, &lx->dslots, cap));
            lx->slot_mask = cap - 1;
        }
    } else if (kind == FB__LEX_EXCEPTION) {
        size_t cap = lx->xslots ? lx->xslot_mask + 1 : 0;
        if ((lx->n_exceptions + 1) * 2 > cap) {
            cap = cap ? cap * 2 : 256;
            FB__TRY(rebuild(lx, FB__LEX_EXCEPTION, &lx->xslots, NULL, cap));
            lx->xslot_mask = cap - 1;
        }
    }
    return FB_OK;
}

static fb_status push_index(fb__lexicon *lx, uint32_t **list, size_t *n, size_t *cap, size_t e)
{
    if (*n >= *cap && fb__grow(lx->alloc, (void **)list, cap, *n + 1, sizeof **list) < 0)
        return FB_ERR_NOMEM;
    (*list)[(*n)++] = (uint32_t)e;
    return FB_OK;
}

static void set_bit(unsigned char *bits, unsigned i)
{
    bits[i >> 3] |= (unsigned char)(1u << (i & 7));
}

static bool get_bit(const unsigned char *bits, unsigned i)
{
    return (bits[i >> 3] >> (i & 7)) & 1;
}

/* The first two codes of a string as a number: roots are sorted and found by it. */
static unsigned pair_key(const unsigned char *codes, unsigned len)
{
    return (unsigned)codes[0] << 8 | (len > 1 ? codes[1] : 0u);
}

static unsigned entry_key(const fb__lexicon *lx, uint32_t e, bool dedup)
{
    const fb__lex_entry *en = &lx->entries[e];
    return dedup ? pair_key(entry_dedup(lx, en), en->dedup_len) : pair_key(entry_codes(lx, en), en->len);
}

/* Moves the last of list[0..n) back to its place in the order of entry_key. */
static void sort_last(const fb__lexicon *lx, uint32_t *list, size_t n, bool dedup)
{
    uint32_t x = list[n - 1];
    unsigned k = entry_key(lx, x, dedup);
    size_t i = n - 1;
    while (i > 0 && entry_key(lx, list[i - 1], dedup) > k) {
        list[i] = list[i - 1];
        i--;
    }
    list[i] = x;
}

/* The first index of list[0..n) whose key is not below k. */
static size_t lower_bound(const fb__lexicon *lx, const uint32_t *list, size_t n, unsigned k, bool dedup)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (entry_key(lx, list[mid], dedup) < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Whether a[0..n) equals b[0..n), for the short strings of the lexicon. */
static bool same(const unsigned char *a, const unsigned char *b, unsigned n)
{
    unsigned i;
    for (i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

/* Sets the root filter's bit of a 4-gram (abuse_scan.h). */
static void set_filter_bit(fb__lexicon *lx, uint64_t g4)
{
    set_bit(lx->root_filter, fb__gram4_hash(g4) >> (32 - FB__ROOT_FILTER_BITS));
}

/* Marks where a root of three codes or more in script may start in the root filter. */
static void set_filter(fb__lexicon *lx, const unsigned char *codes, unsigned len, unsigned script)
{
    uint64_t g3 = (uint64_t)codes[0] << 16 | (uint64_t)codes[1] << 8 | codes[2];
    unsigned x;

    if (len > 3) {
        set_filter_bit(lx, g3 << 8 | codes[3]);
        return;
    }
    /* Any letter of its script before it, or the start mark (1). */
    for (x = 1; x < 256; x++)
        if (x == 1 || (script == FB__SCRIPT_CYRILLIC ? fb__code_is_cyrillic(x)
                                                     : fb__code_is_letter(x) && !fb__code_is_cyrillic(x)))
            set_filter_bit(lx, (uint64_t)x << 24 | g3);
}

/* Adds an entry of codes (already normalised). */
static fb_status add_codes(fb__lexicon *lx, unsigned kind, unsigned category, const unsigned char *codes,
                           unsigned len, unsigned script)
{
    unsigned char dd[FB__TOKEN_MAX];
    unsigned dn = undouble(codes, len, dd);
    size_t e = lx->n;
    fb__lex_entry *ent;

    FB__TRY(tables_reserve(lx, kind));
    if (lx->n >= lx->cap && fb__grow(lx->alloc, (void **)&lx->entries, &lx->cap, lx->n + 1, sizeof *lx->entries) < 0)
        return FB_ERR_NOMEM;
    if (fb__grow(lx->alloc, (void **)&lx->pool, &lx->pool_cap, lx->pool_len + len + dn, 1) < 0)
        return FB_ERR_NOMEM;
    if (kind == FB__LEX_ROOT) {
        FB__TRY(push_index(lx, &lx->roots, &lx->n_roots, &lx->roots_cap, e));
        if (push_index(lx, &lx->droots, &lx->n_droots, &lx->droots_cap, e) != FB_OK) {
            lx->n_roots--; /* entry e is not added: no list may name it */
            return FB_ERR_NOMEM;
        }
    }
    else if (kind == FB__LEX_STEM)
        FB__TRY(push_index(lx, &lx->stems, &lx->n_stems, &lx->stems_cap, e));
    else if (kind == FB__LEX_PREFIX)
        FB__TRY(push_index(lx, &lx->prefixes, &lx->n_prefixes, &lx->prefixes_cap, e));
    ent = &lx->entries[e];
    ent->text = (uint32_t)lx->pool_len;
    memcpy(lx->pool + lx->pool_len, codes, len);
    lx->pool_len += len;
    ent->dedup = (uint32_t)lx->pool_len;
    memcpy(lx->pool + lx->pool_len, dd, dn);
    lx->pool_len += dn;
    ent->len = (unsigned char)len;
    ent->dedup_len = (unsigned char)dn;
    ent->kind = (unsigned char)kind;
    ent->category = (unsigned char)category;
    ent->script = (unsigned char)script;
    lx->n++;
    if (kind == FB__LEX_WORD) {
        const uint64_t h = fb__code_hash(codes, len);
        table_put(lx->slots, lx->slot_mask, h, e);
        table_put(lx->dslots, lx->slot_mask, fb__code_hash(dd, dn), e);
        set_bit(lx->word_filter, fb__word_filter_slot(h));
        lx->n_words++;
    } else if (kind == FB__LEX_EXCEPTION) {
        const uint64_t h = fb__code_hash(codes, len);
        table_put(lx->xslots, lx->xslot_mask, h, e);
        set_bit(lx->exception_filter, fb__word_filter_slot(h));
        lx->n_exceptions++;
    } else if (kind == FB__LEX_ROOT) {
        set_bit(lx->root_pair, pair_key(codes, len));
        set_bit(lx->root_pair, pair_key(dd, dn));
        if (len < 3 || dn < 3) {
            lx->short_roots = true;
        } else {
            set_filter(lx, codes, len, script);
            set_filter(lx, dd, dn, script);
        }
        sort_last(lx, lx->roots, lx->n_roots, false);
        sort_last(lx, lx->droots, lx->n_droots, true);
    } else if (kind == FB__LEX_PREFIX) {
        set_bit(lx->prefix_first, codes[0]);
        sort_last(lx, lx->prefixes, lx->n_prefixes, false);
    } else if (kind == FB__LEX_STEM) {
        set_bit(lx->stem_pair, pair_key(codes, len));
        sort_last(lx, lx->stems, lx->n_stems, false);
    }
    return FB_OK;
}

fb_status fb__lex_add(fb__lexicon *lx, unsigned kind, unsigned category, const char *word, size_t len,
                      fb_error *err)
{
    fb__scanner sc;
    fb__token t, extra;
    fb__gap gap;
    size_t i;

    for (i = 0; i < len; i++) /* ASCII: letters and the apostrophe only (no leetspeak in an entry) */
        if ((unsigned char)word[i] < 0x80 && word[i] != '\'' &&
            !((word[i] | 0x20) >= 'a' && (word[i] | 0x20) <= 'z'))
            return fb__error(err, FB_ERR_INVALID_ARG, "word", "holds a character other than letters and an apostrophe");
    fb__scan_init(&sc, word, len);
    if (!fb__scan_next(&sc, &t, &gap))
        return fb__error(err, FB_ERR_INVALID_ARG, "word", "holds no letter");
    if (t.start != 0 || t.end != len || fb__scan_next(&sc, &extra, &gap))
        return fb__error(err, FB_ERR_INVALID_ARG, "word", "is not a single term");
    for (i = 0; i < t.len && (fb__code_is_letter(t.code[i]) || t.code[i] == '\''); i++)
        continue;
    if (i < t.len || (t.flags & (FB__TOK_MASK | FB__TOK_LOSSY | FB__TOK_NONLETTER | FB__TOK_CUT | FB__TOK_STRETCH)))
        return fb__error(err, FB_ERR_INVALID_ARG, "word",
                         "holds a character other than Latin-1 or Cyrillic letters and an apostrophe, "
                         "or a letter thrice in a row");
    return add_codes(lx, kind, category, t.code, t.len, t.script);
}

fb_status fb__lex_add_builtin(fb__lexicon *lx)
{
    size_t i, j;

    for (i = 0; i < sizeof builtin / sizeof builtin[0]; i++) {
        const fb__lex_list *b = &builtin[i];
        for (j = 0; j < *b->count; j++) {
            fb_status st = fb__lex_add(lx, b->kind, b->category, b->words[j], strlen(b->words[j]), NULL);
            if (st == FB_ERR_NOMEM)
                return st;
            /* A built-in word that is not one term is a bug in data/lexicon; the lexicon test finds it. */
        }
    }
    return FB_OK;
}

/* The first entry equal to codes in slots (a table holds entries of one kind), or NULL. */
static const fb__lex_entry *table_find(const fb__lexicon *lx, const uint32_t *slots, bool dedup,
                                       const unsigned char *codes, unsigned len, uint64_t hash)
{
    size_t i, mask = slots == lx->xslots ? lx->xslot_mask : lx->slot_mask;

    if (!slots)
        return NULL;
    for (i = fb__hash_slot(hash) & mask; slots[i]; i = (i + 1) & mask) {
        const fb__lex_entry *e = &lx->entries[slots[i] - 1];
        unsigned el = dedup ? e->dedup_len : e->len;
        if (el == len &&
            same(dedup ? entry_dedup(lx, e) : entry_codes(lx, e), codes, len))
            return e;
    }
    return NULL;
}

bool fb__lex_excepted(const fb__lexicon *lx, const unsigned char *codes, unsigned len, uint64_t hash)
{
    size_t i;
    unsigned k;

    /* The filters first: most words the model weighs heavily are neither. */
    {
        const unsigned slot = fb__word_filter_slot(hash);
        if (get_bit(lx->exception_filter, slot) &&
            table_find(lx, lx->xslots, false, codes, len, hash))
            return true;
    }
    if (len == 0)
        return false;
    k = pair_key(codes, len);
    if (!get_bit(lx->stem_pair, k)) /* clear when there are no stems */
        return false;
    /* The stems are sorted by their first two codes. */
    for (i = lower_bound(lx, lx->stems, lx->n_stems, k, false); i < lx->n_stems && entry_key(lx, lx->stems[i], false) == k;
         i++) {
        const fb__lex_entry *e = &lx->entries[lx->stems[i]];
        if (e->len <= len && same(entry_codes(lx, e), codes, e->len))
            return true;
    }
    return false;
}

/* The category of a root that codes[p..len) starts with (undoubled forms when dedup), or 0. */
static unsigned root_at(const fb__lexicon *lx, const unsigned char *codes, unsigned len, unsigned p,
                        unsigned script, bool dedup)
{
    const uint32_t *list = dedup ? lx->droots : lx->roots;
    size_t n = dedup ? lx->n_droots : lx->n_roots, i;
    unsigned k;

    if (p >= len)
        return 0;
    k = pair_key(codes + p, len - p);
    if (!get_bit(lx->root_pair, k))
        return 0;
    for (i = lower_bound(lx, list, n, k, dedup); i < n && entry_key(lx, list[i], dedup) == k; i++) {
        const fb__lex_entry *e = &lx->entries[list[i]];
        unsigned el = dedup ? e->dedup_len : e->len;
        if (e->script == script && p + el <= len && same(dedup ? entry_dedup(lx, e) : entry_codes(lx, e), codes + p, el))
            return e->category;
    }
    return 0;
}

/* The category of a root after one or two prefixes of codes[from..len), or 0. */
static unsigned roots_after_prefixes(const fb__lexicon *lx, const unsigned char *codes, unsigned len,
                                     unsigned script, bool dedup, unsigned from, int depth)
{
    size_t i;
    unsigned cat;

    if (from >= len || !get_bit(lx->prefix_first, codes[from]))
        return 0;
    for (i = lower_bound(lx, lx->prefixes, lx->n_prefixes, (unsigned)codes[from] << 8, false);
         i < lx->n_prefixes; i++) {
        const fb__lex_entry *e = &lx->entries[lx->prefixes[i]];
        const unsigned char *pc = entry_codes(lx, e);
        unsigned p = from + e->len;
        if (pc[0] != codes[from])
            break;
        if (e->script != script || p >= len || !same(pc, codes + from, e->len))
            continue;
        if ((cat = root_at(lx, codes, len, p, script, dedup)) != 0)
            return cat;
        if (codes[p] == CODE_HARD_SIGN && (cat = root_at(lx, codes, len, p + 1, script, dedup)) != 0)
            return cat;
        if (depth < 2 && (cat = roots_after_prefixes(lx, codes, len, script, dedup, p, depth + 1)) != 0)
            return cat;
    }
    return 0;
}

static unsigned roots_in(const fb__lexicon *lx, const unsigned char *codes, unsigned len, unsigned script,
                         bool dedup)
{
    unsigned cat = root_at(lx, codes, len, 0, script, dedup);
    return cat ? cat : roots_after_prefixes(lx, codes, len, script, dedup, 0, 1);
}

/* Words, then roots unless !roots. */
static unsigned match_plain(const fb__lexicon *lx, const unsigned char *codes, unsigned len, unsigned script,
                            uint64_t hash, bool roots)
{
    const fb__lex_entry *e = table_find(lx, lx->slots, false, codes, len, hash);
    unsigned cat;

    if (e)
        return e->category;
    if (!roots && !lx->short_roots)
        return 0;
    cat = roots_in(lx, codes, len, script, false);
    if (cat && fb__lex_excepted(lx, codes, len, hash))
        return 0;
    return cat;
}

unsigned fb__lex_match_codes(const fb__lexicon *lx, const unsigned char *codes, unsigned len,
                             unsigned script, uint64_t hash)
{
    return match_plain(lx, codes, len, script, hash, true);
}

/* Whether pattern p (mask codes standing for one or more codes) matches w, or w and any tail. */
static bool glob(const unsigned char *p, unsigned pn, const unsigned char *w, unsigned wn, bool tail)
{
    while (pn) {
        if (*p == FB__CODE_MASK) {
            unsigned j;
            while (pn && *p == FB__CODE_MASK)
                p++, pn--;
            if (pn == 0)
                return wn >= 1 || tail;
            for (j = 1; j <= wn; j++)
                if (glob(p, pn, w + j, wn - j, tail))
                    return true;
            return tail;
        }
        if (wn == 0)
            return tail;
        if (*p != *w)
            return false;
        p++, pn--, w++, wn--;
    }
    return wn == 0;
}

/* A masked token: the words and roots its masks can fill. */
static unsigned match_masked(const fb__lexicon *lx, const fb__token *t)
{
    unsigned char plain[FB__TOKEN_MAX];
    unsigned i, n = 0, letters = 0, p;
    bool spaced = true;
    size_t k;

    for (i = 0; i < t->len; i++) {
        unsigned c = t->code[i];
        if (c == FB__CODE_MASK) {
            /* masks between single letters: "f*u*c*k" */
            spaced &= i > 0 && i + 1 < t->len && (i < 2 || t->code[i - 2] == FB__CODE_MASK) &&
                      t->code[i - 1] != FB__CODE_MASK;
        } else {
            plain[n++] = (unsigned char)c;
            letters += fb__code_is_letter(c);
        }
    }
    if (letters < 2)
        return 0;
    if (spaced && n >= 3) {
        unsigned cat = fb__lex_match_codes(lx, plain, n, t->script, fb__code_hash(plain, n));
        if (cat)
            return cat;
    }
    for (k = 0; k < lx->n; k++) {
        const fb__lex_entry *e = &lx->entries[k];
        if (e->script != t->script || (e->kind != FB__LEX_WORD && e->kind != FB__LEX_ROOT))
            continue;
        if (glob(t->code, t->len, entry_codes(lx, e), e->len, e->kind == FB__LEX_ROOT))
            return e->category;
    }
    /* A root after a prefix written out: "на**й". */
    for (p = 1; p < t->len && t->code[p - 1] != FB__CODE_MASK; p++) {
        for (k = 0; k < lx->n_prefixes; k++) {
            const fb__lex_entry *pe = &lx->entries[lx->prefixes[k]];
            size_t r;
            if (pe->len != p || pe->script != t->script || memcmp(entry_codes(lx, pe), t->code, p) != 0)
                continue;
            for (r = 0; r < lx->n_roots; r++) {
                const fb__lex_entry *e = &lx->entries[lx->roots[r]];
                if (e->script == t->script && glob(t->code + p, t->len - p, entry_codes(lx, e), e->len, true))
                    return e->category;
            }
        }
    }
    return 0;
}

unsigned fb__lex_match(const fb__lexicon *lx, const fb__token *t, uint64_t hash, bool roots)
{
    unsigned cat;

    if (t->flags & (FB__TOK_MASK | FB__TOK_LOSSY | FB__TOK_NONLETTER)) {
        if (t->flags & FB__TOK_MASK)
            return match_masked(lx, t);
        if (t->flags & FB__TOK_LOSSY)
            return 0;
    }
    cat = match_plain(lx, t->code, t->len, t->script, hash, roots);
    if (cat || !(t->flags & FB__TOK_STRETCH))
        return cat;
    {
        unsigned char dd[FB__TOKEN_MAX];
        unsigned dn = undouble(t->code, t->len, dd);
        uint64_t dh = fb__code_hash(dd, dn);
        const fb__lex_entry *e = table_find(lx, lx->dslots, true, dd, dn, dh);
        if (e)
            return e->category;
        cat = roots_in(lx, dd, dn, t->script, true);
        if (cat && fb__lex_excepted(lx, t->code, t->len, hash))
            return 0;
        return cat;
    }
}
