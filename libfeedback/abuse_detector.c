/*
 * The abusive-content detector (text.h: fb_abuse_*): one pass of the
 * normaliser over the text; for each token its model features and its
 * lexicon match; beside them the runs that make shouting and the runs of
 * letters written apart ("f u c k"). Token weights go into a ring of the
 * last RING tokens, each final once no later feature can reach it (LAG
 * tokens on), and the best window sum is kept as they become final: memory
 * does not grow with the text.
 */
#include "abuse_detector.h"
#include "abuse_scan_impl.h"

#include <math.h>
#include <string.h>

#include "alloc_private.h"
#include "error_private.h"
#include "utf8.h"

#define RING 128u
#define SINGLES_MAX 32u
#define LAG (SINGLES_MAX + 2u) /* how far back a feature can come: a run of single letters */
#define SHOUT_WORDS 3u         /* words in capitals in a row that shout ... */
#define SHOUT_LETTERS 12u      /* ... holding this many letters */
#define LEX_CATEGORIES (FB_ABUSE_OBSCENITY | FB_ABUSE_INSULT | FB_ABUSE_THREAT)

typedef struct single_letter {
    unsigned char code;
    size_t start, end, token;
} single_letter;

typedef struct check {
    fb_abuse_detector *d;
    const signed char *weights;
    unsigned shift, window;
    int32_t ring[RING];
    int32_t exception_gate;       /* a word weighing more is looked up among the exceptions */
    size_t bad;                   /* where the text stops being UTF-8 */
    size_t n, fin;                /* tokens seen, tokens final */
    int64_t sum, best;            /* of the window ending at the last final token; the best window */
    single_letter singles[SINGLES_MAX];
    size_t n_singles;
    size_t caps_start, caps_end;  /* the run of words in capitals */
    unsigned caps_words, caps_letters;
    size_t script_tokens[2];
} check;

fb_status fb_abuse_detector_new(fb_abuse_detector **out, const fb_allocator *alloc, fb_error *err)
{
    const fb_allocator *a = fb__alloc_or_default(alloc);
    fb_abuse_detector *d;

    if (!out)
        return fb__error(err, FB_ERR_INVALID_ARG, "out", "is NULL");
    *out = NULL;
    d = fb__calloc(a, sizeof *d);
    if (!d)
        return fb__error(err, FB_ERR_NOMEM, "", "out of memory for the abuse detector");
    d->alloc = a;
    d->model = &fb__abuse_builtin_model;
    d->orders = d->model->orders;
    d->threshold = FB__ABUSE_THRESHOLD;
    fb__lex_init(&d->lex, a);
    if (fb__lex_add_builtin(&d->lex) != FB_OK) {
        fb_abuse_detector_free(d);
        return fb__error(err, FB_ERR_NOMEM, "", "out of memory for the built-in lexicons");
    }
    *out = d;
    return FB_OK;
}

void fb_abuse_detector_free(fb_abuse_detector *d)
{
    if (!d)
        return;
    fb__lex_free(&d->lex);
    fb__free(d->alloc, d->spans);
    fb__free(d->alloc, d);
}

fb_status fb_abuse_detector_add(fb_abuse_detector *d, fb_lexicon_kind kind, unsigned category,
                                const char *word, size_t len, fb_error *err)
{
    size_t bad;

    if (!d)
        return fb__error(err, FB_ERR_INVALID_ARG, "d", "is NULL");
    if ((unsigned)kind > FB_LEXICON_EXCEPTION)
        return fb__error(err, FB_ERR_INVALID_ARG, "kind", "is not an fb_lexicon_kind");
    if (kind == FB_LEXICON_EXCEPTION)
        category = 0;
    else if (category != FB_ABUSE_OBSCENITY && category != FB_ABUSE_INSULT && category != FB_ABUSE_THREAT)
        return fb__error(err, FB_ERR_INVALID_ARG, "category",
                         "must be one of FB_ABUSE_OBSCENITY, FB_ABUSE_INSULT, FB_ABUSE_THREAT");
    if (!word || len == 0)
        return fb__error(err, FB_ERR_INVALID_ARG, "word", "is empty");
    if ((bad = fb__utf8_check(word, len)) != len) {
        fb__error(err, FB_ERR_UTF8, "word", "is not valid UTF-8 at byte %lu", (unsigned long)bad);
        fb__error_at(err, 0, bad);
        return FB_ERR_UTF8;
    }
    return fb__lex_add(&d->lex, (unsigned)kind, category, word, len, err);
}

void fb_abuse_detector_set_threshold(fb_abuse_detector *d, double threshold)
{
    if (d)
        d->threshold = threshold;
}

static fb_status push_span(check *c, size_t offset, size_t length, unsigned category)
{
    fb_abuse_detector *d = c->d;
    if (d->n_spans >= d->spans_cap &&
        fb__grow(d->alloc, (void **)&d->spans, &d->spans_cap, d->n_spans + 1, sizeof *d->spans) < 0)
        return FB_ERR_NOMEM;
    d->spans[d->n_spans].offset = offset;
    d->spans[d->n_spans].length = length;
    d->spans[d->n_spans].category = category;
    d->n_spans++;
    if (category & LEX_CATEGORIES)
        d->lex_categories |= category;
    return FB_OK;
}

/* Adds feature f to token tok (not yet final). */
static void add_feature(check *c, size_t tok, uint32_t f)
{
    if (c->d->hook)
        c->d->hook(c->d->hook_ctx, tok, f);
    c->ring[tok % RING] += c->weights[f >> c->shift];
}

/* Makes tokens final up to (not including) upto, keeping the best window. */
static inline void finalize(check *c, size_t upto)
{
    if (c->fin == 0 && upto <= c->window) { /* most texts: one window, nothing to compare */
        int64_t sum = 0;
        size_t k;
        for (k = 0; k < upto; k++)
            sum += c->ring[k];
        c->sum = sum;
        c->fin = upto;
        if (upto == c->window)
            c->best = sum;
        return;
    }
    while (c->fin < upto) {
        c->sum += c->ring[c->fin % RING];
        if (c->fin >= c->window)
            c->sum -= c->ring[(c->fin - c->window) % RING];
        c->fin++;
        if (c->fin >= c->window && (c->fin == c->window || c->sum > c->best))
            c->best = c->sum;
    }
}

/* Ends a run of words in capitals: a span when it shouts. */
static fb_status close_caps(check *c)
{
    fb_status st = FB_OK;
    if (c->caps_words >= SHOUT_WORDS && c->caps_letters >= SHOUT_LETTERS)
        st = push_span(c, c->caps_start, c->caps_end - c->caps_start, FB_ABUSE_SHOUTING);
    c->caps_words = c->caps_letters = 0;
    return st;
}

/* Ends a run of single letters: the words they spell, longest first from each letter. */
static fb_status close_singles(check *c)
{
    unsigned char codes[SINGLES_MAX];
    size_t k = c->n_singles, i, j;
    unsigned script;

    c->n_singles = 0;
    if (k < 3)
        return FB_OK;
    for (i = 0; i < k; i++)
        codes[i] = c->singles[i].code;
    script = fb__fold_script(codes, (unsigned)k);
    i = 0;
    while (i + 3 <= k) {
        unsigned cat = 0;
        for (j = k; j >= i + 3 && !cat; j--)
            cat = fb__lex_match_codes(&c->d->lex, codes + i, (unsigned)(j - i), script,
                                      fb__code_hash(codes + i, (unsigned)(j - i)));
        if (!cat) {
            i++;
            continue;
        }
        j++; /* the loop went one past */
        FB__TRY(push_span(c, c->singles[i].start, c->singles[j - 1].end - c->singles[i].start, cat));
        add_feature(c, c->singles[j - 1].token, FB__FEAT_LEX(cat, script));
        i = j;
    }
    return FB_OK;
}

/* Sorts the spans by offset (insertion: they come nearly sorted). */
static void sort_spans(fb_text_span *s, size_t n)
{
    size_t i, j;
    for (i = 1; i < n; i++) {
        fb_text_span x = s[i];
        for (j = i; j > 0 && s[j - 1].offset > x.offset; j--)
            s[j] = s[j - 1];
        s[j] = x;
    }
}

/* What the gap before a token holds: a run of ! and ?, a line break that ends a run of capitals. */
static fb_status gap_events(check *c, const fb__gap *gap, bool *pending_bang)
{
    if (gap->bang_end > gap->bang_start) {
        FB__TRY(push_span(c, gap->bang_start, gap->bang_end - gap->bang_start, FB_ABUSE_SHOUTING));
        if (c->n > 0)
            add_feature(c, c->n - 1, FB__FEAT_BANG);
        else
            *pending_bang = true;
    }
    if (gap->newline && c->caps_words)
        FB__TRY(close_caps(c));
    return FB_OK;
}

/*
 * Token tok, t, the general way: runs of single letters and of capitals,
 * features computed from the codes (every order the model has, and the
 * hook's), the lexicon.
 * this one's.
 */
static fb_status general_token(check *c, const fb__token *t, const fb__gap *gap, size_t tok, bool fused,
                               bool *pending_bang)
{
    fb_abuse_detector *d = c->d;
    const signed char *w = c->weights;
    const unsigned shift = c->shift, orders = d->orders;
    const unsigned char *filter = d->lex.root_filter;
    uint32_t feats[FB__FEATURES_MAX];
    bool lone = t->len == 1 && t->letters == 1;
    uint64_t hash = FB__HASH_SEED, g = 1;
    size_t nf = 0, i;
    unsigned cat, any = 0;
    int32_t sum = 0;

    if (c->n_singles && (!lone || gap->end - gap->start > 3 || gap->newline || c->n_singles == SINGLES_MAX))
        FB__TRY(close_singles(c));
    if (lone) {
        single_letter *s = &c->singles[c->n_singles++];
        s->code = t->code[0];
        s->start = t->start;
        s->end = t->end;
        s->token = tok;
    }
    if (t->letters >= 2) {
        if (t->flags & FB__TOK_CAPS) {
            if (c->caps_words++ == 0)
                c->caps_start = t->start;
            c->caps_end = t->end;
            c->caps_letters += t->letters;
        } else if (c->caps_words) {
            FB__TRY(close_caps(c));
        }
    }
    /* The word's n-grams between the marks 1 and 2, its hash, whether a root may start in it. */
    if (fused && t->fused) {
        hash = t->hash;
        sum = t->sum;
        any = t->roots;
        g = t->g << 8 | 2u;
        feats[nf++] = fb__gram4_hash(g);
    } else {
        static const uint64_t masks[7] = {0, 0, 0xFFFFu, 0xFFFFFFu, 0xFFFFFFFFu, UINT64_C(0xFFFFFFFFFF),
                                          UINT64_C(0xFFFFFFFFFFFF)};
        static const uint64_t mul[7] = FB__MUL_GRAMS;
        for (i = 0; i <= t->len; i++) {
            unsigned o;
            if (i < t->len) {
                g = g << 8 | t->code[i];
                hash = (hash ^ t->code[i]) * FB__HASH_MUL;
                any |= fb__root_filter_bit(filter, fb__gram4_hash(g));
            } else {
                g = g << 8 | 2u;
            }
            for (o = 2; o <= 6; o++)
                if (orders >> o & 1) {
                    uint32_t f = o == 4 ? fb__gram4_hash(g) : (uint32_t)(((g & masks[o]) * mul[o]) >> 32);
                    feats[nf++] = f;
                }
        }
    }
    feats[nf++] = (uint32_t)((hash * FB__MUL_WORD) >> 32);
    feats[nf++] = FB__FEAT_TOKEN(t->script);
    if ((t->flags & FB__TOK_CAPS) && t->letters >= 3)
        feats[nf++] = FB__FEAT_CAPS(t->script);
    if (*pending_bang) {
        feats[nf++] = FB__FEAT_BANG;
        *pending_bang = false;
    }
    if (t->len >= 2 && fb__lex_may_match(&d->lex, t, hash, any != 0) &&
        (cat = fb__lex_match(&d->lex, t, hash, any != 0)) != 0) {
        FB__TRY(push_span(c, t->start, t->end - t->start, cat));
        feats[nf++] = FB__FEAT_LEX(cat, t->script);
    }
    for (i = 0; i < nf; i++) /* but the n-grams a fused word's scan summed */
        sum += w[feats[i] >> shift];
    if (sum > c->exception_gate && fb__lex_excepted(&d->lex, t->code, t->len, hash))
        sum = 0;
    if (d->hook)
        for (i = 0; i < nf; i++)
            d->hook(d->hook_ctx, tok, feats[i]);
    c->ring[tok % RING] = sum;
    c->script_tokens[t->script]++;
    return FB_OK;
}

/* The run of one mention (a word right after @) that the last token was in. */
typedef struct mention_run {
    uint64_t hash; /* of its codes; 0: the last token was no mention */
    size_t start;  /* where its last word starts */
    size_t len;    /* its bytes */
} mention_run;

/* The lexicon's span of the mention before (at m->start, among the last few spans) for its
 * repeat at start, len bytes, so that masking covers the repeat too. */
static fb_status repeat_span(check *c, const mention_run *m, size_t start, size_t len)
{
    const fb_text_span *spans = c->d->spans;
    size_t k, n = c->d->n_spans;

    for (k = n; k > 0 && k + 4 > n; k--)
        if (spans[k - 1].offset == m->start && (spans[k - 1].category & LEX_CATEGORIES))
            return push_span(c, start, len, spans[k - 1].category);
    return FB_OK;
}

/*
 * Sets *repeat when token t repeats the mention just before it: then it is
 * no token, so that a run of one mention counts once (OLID's replies start
 * with up to 30 @USER, whose number said nothing but weighed on the score).
 * A repeat takes the lexicon span of the one before (among the last few
 * spans), so that masking covers it too.
 */
static fb_status repeated_mention(check *c, const char *text, const fb__token *t, mention_run *m,
                                  bool *repeat)
{
    uint64_t h;
    fb_status st = FB_OK;

    *repeat = false;
    if (FB__LIKELY(t->start == 0 || text[t->start - 1] != '@')) {
        m->hash = 0;
        return FB_OK;
    }
    h = (t->fused ? t->hash : fb__code_hash(t->code, t->len)) | 1u; /* a fused token has it */
    if (h == m->hash) {
        *repeat = true;
        st = repeat_span(c, m, t->start, t->end - t->start);
    }
    m->hash = h;
    m->start = t->start;
    m->len = t->end - t->start;
    return st;
}

/*
 * After a mention (m), its repeats that follow as " @" and the same bytes up to a separator (or
 * the text's end), skipped without the scan: the scan reads a word the same way from the same
 * bytes to a separator, so each would be the same codes, a repeat (repeated_mention), and the
 * gap " @" holds nothing to note. The scan goes on after them.
 */
static fb_status skip_repeats(check *c, const unsigned char *s, size_t len, fb__scanner *sc,
                              mention_run *m)
{
    size_t p = sc->pos;

    while (p == m->start + m->len && len - p >= m->len + 2 && s[p] == ' ' && s[p + 1] == '@' &&
           memcmp(s + p + 2, s + m->start, m->len) == 0 &&
           (len - p == m->len + 2 || ascii_class[s[p + 2 + m->len]] == C_SEP)) {
        FB__TRY(repeat_span(c, m, p + 2, m->len));
        m->start = p + 2;
        p += 2 + m->len;
    }
    sc->pos = p;
    return FB_OK;
}

static fb_status scan_text(check *c, const char *text, size_t len)
{
    fb_abuse_detector *d = c->d;
    const fb__lexicon *lx = &d->lex;
    const signed char *w = c->weights;
    const unsigned shift = c->shift;
    fb__scanner sc;
    fb__token t;
    fb__gap gap;
    bool pending_bang = false;
    mention_run mention = {0, 0, 0};
    fb__fuse fz;
    /* The usual model has its word's n-grams summed during the scan; the scan
     * sums them anyway (within the table), a trainer's model ignores them. */
    const bool fused = d->orders == 0x10 && !d->hook && d->model->bits == FB__FUSE_BITS;
    const int32_t token_weight[2] = {w[FB__FEAT_TOKEN(0) >> shift], w[FB__FEAT_TOKEN(1) >> shift]};
    const int32_t caps_weight[2] = {w[FB__FEAT_CAPS(0) >> shift], w[FB__FEAT_CAPS(1) >> shift]};

    memset(t.code, 0, 4); /* the root filter's first look reads four codes, whatever the length */
    fz.weights = w;
    fz.mask = ((uint32_t)1 << d->model->bits) - 1;
    fz.filter = lx->root_filter;
    fb__scan_init(&sc, text, len);
    for (;;) {
        bool more, repeat;
        size_t tok;
        if (FB__UNLIKELY(mention.hash != 0))
            FB__TRY(skip_repeats(c, (const unsigned char *)text, len, &sc, &mention));
        more = fb__scan_next_inline(&sc, &t, &gap, &fz, true);
        if (FB__UNLIKELY(gap.bang_end > gap.bang_start || (gap.newline && c->caps_words)))
            FB__TRY(gap_events(c, &gap, &pending_bang));
        if (!more)
            break;
        FB__TRY(repeated_mention(c, text, &t, &mention, &repeat));
        if (repeat)
            continue;
        tok = c->n++;
        if (FB__LIKELY(fused && t.fused && c->n_singles < 3 && !pending_bang)) {
            /* The common word: its n-grams summed by the scan, then the end
             * 4-gram, the word, the token, and the lexicon. Runs of
             * fewer than three single letters spell nothing: a lone letter is
             * kept, anything else forgets them. */
            if (t.len == 1) {
                single_letter *sl;
                if (c->n_singles && (gap.end - gap.start > 3 || gap.newline))
                    c->n_singles = 0;
                sl = &c->singles[c->n_singles++];
                sl->code = t.code[0];
                sl->start = t.start;
                sl->end = t.end;
                sl->token = tok;
            } else {
                c->n_singles = 0;
            }
            if (t.letters >= 2 && FB__UNLIKELY((t.flags & FB__TOK_CAPS) || c->caps_words)) {
                if (t.flags & FB__TOK_CAPS) {
                    if (c->caps_words++ == 0)
                        c->caps_start = t.start;
                    c->caps_end = t.end;
                    c->caps_letters += t.letters;
                } else {
                    FB__TRY(close_caps(c));
                }
            }
            /* fused: the table has 1 << FB__FUSE_BITS weights, a constant shift */
            int32_t sum = t.sum + w[fb__gram4_hash(t.g << 8 | 2u) >> (32 - FB__FUSE_BITS)] +
                          w[(uint32_t)((t.hash * FB__MUL_WORD) >> 32) >> (32 - FB__FUSE_BITS)] +
                          token_weight[t.script] +
                          ((t.flags & FB__TOK_CAPS) && t.letters >= 3 ? caps_weight[t.script] : 0);
            unsigned cat;
            if (t.len >= 2 && FB__UNLIKELY(fb__lex_may_match(lx, &t, t.hash, t.roots)) &&
                (cat = fb__lex_match(lx, &t, t.hash, t.roots)) != 0) {
                FB__TRY(push_span(c, t.start, t.end - t.start, cat));
                sum += w[FB__FEAT_LEX(cat, t.script) >> shift];
            }
            if (FB__UNLIKELY(sum > c->exception_gate) && fb__lex_excepted(lx, t.code, t.len, t.hash))
                sum = 0; /* a word of the exceptions weighs nothing, with the model either */
            c->ring[tok % RING] = sum;
            c->script_tokens[t.script]++;
        } else {
            FB__TRY(general_token(c, &t, &gap, tok, fused, &pending_bang));
        }
        if (FB__UNLIKELY(c->n > LAG))
            finalize(c, c->n - LAG);
    }
    if (sc.bad != FB__SCAN_OK) {
        c->bad = sc.bad;
        return FB_ERR_UTF8;
    }
    FB__TRY(close_singles(c));
    FB__TRY(close_caps(c));
    finalize(c, c->n);
    return FB_OK;
}

fb_status fb_abuse_check(fb_abuse_detector *d, const char *text, size_t len, fb_abuse_result *out,
                         fb_error *err)
{
    const fb__abuse_model *m;
    check c;
    double logit, score;
    fb_status st;

    if (out)
        memset(out, 0, sizeof *out);
    if (!d || !out || (!text && len))
        return fb__error(err, FB_ERR_INVALID_ARG, !d ? "d" : !out ? "out" : "text", "is NULL");
    d->n_spans = 0;
    d->tokens = 0;
    d->lex_categories = 0;
    d->model_score = 0;
    m = d->model;
    /* Only the scalars: the ring and the run of letters are written before they are read. */
    c.n = c.fin = 0;
    c.sum = c.best = 0;
    c.n_singles = 0;
    c.caps_start = c.caps_end = 0;
    c.caps_words = c.caps_letters = 0;
    c.script_tokens[0] = c.script_tokens[1] = 0;
    c.d = d;
    c.weights = m->weights;
    c.shift = 32 - m->bits;
    c.window = m->window;
    c.exception_gate = (int32_t)(1.0 / m->scale); /* a unit of logit */
    /* The scan checks UTF-8 as it goes (no pass of its own over the text). */
    if ((st = scan_text(&c, text, len)) != FB_OK) {
        d->n_spans = 0;
        d->tokens = 0;
        d->lex_categories = 0;
        if (st == FB_ERR_UTF8) {
            fb__error(err, FB_ERR_UTF8, "text", "is not valid UTF-8 at byte %lu", (unsigned long)c.bad);
            fb__error_at(err, 0, c.bad);
            return FB_ERR_UTF8;
        }
        return fb__error(err, st, "", "out of memory for the spans of a text");
    }
    if (c.n < c.window)
        c.best = c.sum;
    d->tokens = c.n;
    d->script = c.script_tokens[FB__SCRIPT_CYRILLIC] > c.script_tokens[FB__SCRIPT_LATIN] ? FB__SCRIPT_CYRILLIC
                                                                                         : FB__SCRIPT_LATIN;
    logit = m->scale * (double)(m->bias[d->script] + c.best);
    score = c.n ? 1.0 / (1.0 + exp(-logit)) : 0.0; /* no word, nothing to judge */
    d->model_score = score;
    if ((d->lex_categories & LEX_CATEGORIES) && score < m->lex_floor)
        score = m->lex_floor;
    sort_spans(d->spans, d->n_spans);
    out->score = score;
    out->abusive = score >= d->threshold;
    out->spans = d->n_spans ? d->spans : NULL;
    out->n_spans = d->n_spans;
    {
        size_t i;
        for (i = 0; i < d->n_spans; i++)
            out->categories |= d->spans[i].category;
    }
    if (out->abusive && !(out->categories & LEX_CATEGORIES))
        out->categories |= FB_ABUSE_INSULT; /* the model's judgement: an offence, most often personal */
    return FB_OK;
}
