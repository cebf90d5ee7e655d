/*
 * abuse_train: trains the abusive-content detector's model (docs/FILTERS.md)
 * on the labelled development texts, reports cross-validated quality, and
 * writes the weights as C (libfeedback/abuse_weights.c).
 *
 *   abuse_train DATA_DIR [OUT.c] [options]
 *
 * DATA_DIR holds en_dev.tsv and ru_dev.tsv (label TAB text, a header line).
 * The features are the library's own: the trainer runs fb_abuse_check with a
 * hook that hands it every feature of every token, so training and the
 * detector cannot disagree. Logistic regression over the best window of
 * tokens (the detector's score), by AdaGrad steps with L2, the weights
 * averaged over the second half of the epochs, in a fixed order from a
 * fixed seed: the same data give the same bytes.
 * Cross-validation keeps the two texts of a Russian pair (a toxic comment
 * and its rewrite) in one fold. The per-language thresholds that maximise
 * the cross-validated macro-F1 are folded into the biases, so the detector's
 * threshold is 0.5 for both languages.
 *
 * Options (defaults: the built-in model's): --bits N (weight table of 2^N,
 * 17; the detector's fast path wants FB__FUSE_BITS), --orders DIGITS
 * (character n-gram orders, 4; the fast path wants 4), --epochs N (8),
 * --lr X (0.02), --l2 X (1e-6), --folds N (5),
 * --window N (32), --floor X (the least score of a lexicon match, 0.9),
 * --words X (0.5: the weight of the single words of clean texts, each
 * alone a clean example: what keeps a lone dictionary word from firing),
 * --no-write,
 * --dump FILE (the cross-validated scores).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abuse_detector.h"
#include "abuse_scan.h"

typedef struct example {
    size_t first, n_feats;   /* its (token, feature) pairs in the pool */
    uint32_t tokens;
    unsigned char label, lang, script, lex;
    unsigned char word;      /* a word of a clean text, alone: trained on, never scored */
    uint32_t group, fold;
    uint64_t hash;           /* a word's: fb__code_hash of its codes */
    size_t first_word, n_words; /* a toxic text's words (their hashes) in the corpus' pool */
} example;

typedef struct pair {
    uint32_t token, feature;
} pair;

typedef struct corpus {
    example *ex;
    size_t n, cap;
    pair *pairs;
    size_t n_pairs, cap_pairs;
    uint64_t *words;          /* the word hashes of the toxic texts */
    size_t n_words, cap_words;
} corpus;

typedef struct params {
    unsigned bits, orders, epochs, folds, window;
    double lr, l2, floor, words; /* words: the weight of the single words of clean texts */
} params;

/* The words seen alone already, per language: an open-addressing set of hashes. */
typedef struct word_set {
    uint64_t *slots;
    size_t cap, n;
} word_set;

/* The slot of h, which is in w. */
static size_t word_set_find(const word_set *w, uint64_t h)
{
    size_t i;
    if (h == 0)
        h = 1;
    for (i = h & (w->cap - 1); w->slots[i] != h; i = (i + 1) & (w->cap - 1))
        ;
    return i;
}

/* Whether h was new (and is now in). */
static bool word_set_add(word_set *w, uint64_t h)
{
    size_t i;
    if (h == 0)
        h = 1;
    if (w->n * 2 >= w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 1 << 16, j;
        uint64_t *slots = calloc(cap, sizeof *slots);
        if (!slots) {
            fprintf(stderr, "abuse_train: out of memory\n");
            exit(1);
        }
        for (j = 0; j < w->cap; j++)
            if (w->slots[j]) {
                for (i = w->slots[j] & (cap - 1); slots[i]; i = (i + 1) & (cap - 1))
                    ;
                slots[i] = w->slots[j];
            }
        free(w->slots);
        w->slots = slots;
        w->cap = cap;
    }
    for (i = h & (w->cap - 1); w->slots[i]; i = (i + 1) & (w->cap - 1))
        if (w->slots[i] == h)
            return false;
    w->slots[i] = h;
    w->n++;
    return true;
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "abuse_train: out of memory\n");
        exit(1);
    }
    return q;
}

static void hook(void *ctx, size_t token, uint32_t feature)
{
    corpus *c = ctx;
    if (c->n_pairs == c->cap_pairs) {
        c->cap_pairs = c->cap_pairs ? c->cap_pairs * 2 : 1 << 20;
        c->pairs = xrealloc(c->pairs, c->cap_pairs * sizeof *c->pairs);
    }
    c->pairs[c->n_pairs].token = (uint32_t)token;
    c->pairs[c->n_pairs].feature = feature;
    c->n_pairs++;
}

/* Adds each word of a clean text, alone, as a clean example (once a word per language). */
static void add_words(corpus *c, fb_abuse_detector *d, const char *text, unsigned lang, uint32_t group,
                      word_set *seen)
{
    fb__scanner sc;
    fb__token t;
    fb__gap gap;

    fb__scan_init(&sc, text, strlen(text));
    while (fb__scan_next(&sc, &t, &gap)) {
        fb_abuse_result r;
        example *e;
        if (!word_set_add(&seen[lang], fb__code_hash(t.code, t.len)))
            continue;
        if (c->n == c->cap)
            c->ex = xrealloc(c->ex, (c->cap = c->cap * 2) * sizeof *c->ex);
        e = &c->ex[c->n];
        e->first = c->n_pairs;
        if (fb_abuse_check(d, text + t.start, t.end - t.start, &r, NULL) != FB_OK) {
            c->n_pairs = e->first;
            continue;
        }
        e->n_feats = c->n_pairs - e->first;
        e->tokens = (uint32_t)d->tokens;
        e->label = 0;
        e->lang = (unsigned char)lang;
        e->script = (unsigned char)d->script;
        e->lex = (unsigned char)(d->lex_categories != 0);
        e->word = 1;
        e->group = group;
        e->hash = fb__code_hash(t.code, t.len);
        e->n_words = 0;
        c->n++;
    }
}

/* Keeps the word hashes of a text (the last example), so that training leaves out the lone words that toxic texts of its folds hold more often than clean ones. */
static void keep_toxic_words(corpus *c, const char *text)
{
    fb__scanner sc;
    fb__token t;
    fb__gap gap;
    example *e = &c->ex[c->n - 1];

    e->first_word = c->n_words;
    fb__scan_init(&sc, text, strlen(text));
    while (fb__scan_next(&sc, &t, &gap)) {
        if (c->n_words == c->cap_words)
            c->words = xrealloc(c->words, (c->cap_words = c->cap_words ? c->cap_words * 2 : 1 << 16) * sizeof *c->words);
        c->words[c->n_words++] = fb__code_hash(t.code, t.len);
    }
    e->n_words = c->n_words - e->first_word;
}

/* Reads DIR/name, adding its texts as examples of lang (and the words of its clean ones when words). */
static void load(corpus *c, fb_abuse_detector *d, const char *dir, const char *name, unsigned lang,
                 word_set *words)
{
    char path[4096], *line = NULL;
    size_t cap = 0, lines = 0;
    FILE *f;
    uint32_t group = c->n ? c->ex[c->n - 1].group + 1 : 0;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (!(f = fopen(path, "rb"))) {
        fprintf(stderr, "abuse_train: cannot open %s\n", path);
        exit(1);
    }
    for (;;) {
        size_t len = 0;
        int ch;
        char *tab;
        fb_abuse_result r;
        example *e;
        while ((ch = fgetc(f)) != EOF && ch != '\n') {
            if (len + 1 >= cap)
                line = xrealloc(line, cap = cap ? cap * 2 : 4096);
            line[len++] = (char)ch;
        }
        if (ch == EOF && len == 0)
            break;
        if (lines++ == 0 || len < 3)
            continue; /* the header */
        line[len] = 0;
        if (len && line[len - 1] == '\r')
            line[--len] = 0;
        if (!(tab = strchr(line, '\t')) || (line[0] != '0' && line[0] != '1'))
            continue;
        if (c->n == c->cap)
            c->ex = xrealloc(c->ex, (c->cap = c->cap ? c->cap * 2 : 4096) * sizeof *c->ex);
        e = &c->ex[c->n];
        e->first = c->n_pairs;
        if (fb_abuse_check(d, tab + 1, strlen(tab + 1), &r, NULL) != FB_OK) {
            c->n_pairs = e->first;
            continue;
        }
        e->n_feats = c->n_pairs - e->first;
        e->tokens = (uint32_t)d->tokens;
        e->label = (unsigned char)(line[0] - '0');
        e->lang = (unsigned char)lang;
        e->script = (unsigned char)d->script;
        e->lex = (unsigned char)(d->lex_categories != 0);
        /* A Russian pair starts at its toxic text; an English text is its own group. */
        if (c->n && (lang == 0 || e->label == 1 || c->ex[c->n - 1].lang != lang))
            group++;
        e->group = group;
        e->word = 0;
        e->n_words = 0;
        c->n++;
        if (words)
            keep_toxic_words(c, tab + 1);
        if (e->label == 0 && words)
            add_words(c, d, tab + 1, lang, group, words);
    }
    free(line);
    fclose(f);
}

/* A deterministic generator (splitmix64). */
static uint64_t next_random(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

typedef struct model {
    float *w;
    double bias[2];
    unsigned bits;
} model;

/* The token sums of e under m into sums; returns the first token of the best window and its length. */
static double window_logit(const corpus *c, const example *e, const model *m, unsigned window, double *sums,
                           uint32_t *from, uint32_t *count)
{
    uint32_t t, best_from = 0, n = e->tokens;
    size_t i;
    unsigned shift = 32 - m->bits;
    double s = 0, best = 0;

    for (t = 0; t < n; t++)
        sums[t] = 0;
    for (i = 0; i < e->n_feats; i++) {
        const pair *p = &c->pairs[e->first + i];
        sums[p->token] += m->w[p->feature >> shift];
    }
    if (n == 0) { /* the detector's score of a text without words is 0 */
        *from = 0;
        *count = 0;
        return -30;
    }
    if (n <= window) {
        for (t = 0; t < n; t++)
            s += sums[t];
        *from = 0;
        *count = n;
        return m->bias[e->script] + s;
    }
    for (t = 0; t < n; t++) {
        s += sums[t];
        if (t >= window)
            s -= sums[t - window];
        if (t + 1 >= window && (t + 1 == window || s > best)) {
            best = s;
            best_from = t + 1 - window;
        }
    }
    *from = best_from;
    *count = window;
    return m->bias[e->script] + best;
}

static uint32_t max_tokens(const corpus *c)
{
    uint32_t m = 1;
    size_t i;
    for (i = 0; i < c->n; i++)
        if (c->ex[i].tokens > m)
            m = c->ex[i].tokens;
    return m;
}

/*
 * Trains m on the examples whose fold is not `held` (all when held is folds):
 * AdaGrad steps, and the weights averaged over every step of the last epochs
 * (averaged SGD generalises better than the last iterate).
 */
static void train(const corpus *c, const params *p, unsigned held, model *m)
{
    size_t n_train = 0, i, n_w = (size_t)1 << p->bits, *order = xrealloc(NULL, c->n * sizeof *order);
    double *sums = xrealloc(NULL, max_tokens(c) * sizeof *sums);
    float *g2 = xrealloc(NULL, n_w * sizeof *g2), *u = xrealloc(NULL, n_w * sizeof *u);
    double bg2[2] = {1, 1}, bu[2] = {0, 0}, steps = 0;
    unsigned epoch, shift = 32 - p->bits, avg_from = p->epochs / 2;
    uint64_t seed = 42;

    m->bits = p->bits;
    m->w = xrealloc(NULL, n_w * sizeof *m->w);
    memset(m->w, 0, n_w * sizeof *m->w);
    memset(u, 0, n_w * sizeof *u);
    for (i = 0; i < n_w; i++)
        g2[i] = 1e-2f;
    m->bias[0] = m->bias[1] = 0;
    {
        /* The lone words that the toxic texts of the training folds hold no more often than clean ones. */
        word_set ws;
        int *balance;
        memset(&ws, 0, sizeof ws);
        for (i = 0; i < c->n; i++) {
            const example *e = &c->ex[i];
            size_t k;
            if (e->fold != held)
                for (k = 0; k < e->n_words; k++)
                    word_set_add(&ws, c->words[e->first_word + k]);
        }
        balance = calloc(ws.cap, sizeof *balance);
        for (i = 0; balance && i < c->n; i++) {
            const example *e = &c->ex[i];
            size_t k;
            if (e->fold != held)
                for (k = 0; k < e->n_words; k++)
                    balance[word_set_find(&ws, c->words[e->first_word + k])] += e->label ? 1 : -1;
        }
        for (i = 0; i < c->n; i++) {
            const example *e = &c->ex[i];
            if (e->fold == held)
                continue;
            if (e->word && balance && balance[word_set_find(&ws, e->hash)] > 0)
                continue;
            order[n_train++] = i;
        }
        free(balance);
        free(ws.slots);
    }
    for (epoch = 0; epoch < p->epochs; epoch++) {
        for (i = n_train; i > 1; i--) { /* Fisher-Yates */
            size_t j = (size_t)(next_random(&seed) % i), tmp = order[i - 1];
            order[i - 1] = order[j];
            order[j] = tmp;
        }
        for (i = 0; i < n_train; i++) {
            const example *e = &c->ex[order[i]];
            uint32_t from, count;
            double z = window_logit(c, e, m, p->window, sums, &from, &count);
            double g = (1.0 / (1.0 + exp(-z)) - e->label) * (e->word ? p->words : 1.0), d;
            size_t k;
            if (epoch >= avg_from)
                steps++;
            bg2[e->script] += g * g;
            d = p->lr * g / sqrt(bg2[e->script]);
            m->bias[e->script] -= d;
            bu[e->script] -= steps * d;
            for (k = 0; k < e->n_feats; k++) {
                const pair *q = &c->pairs[e->first + k];
                if (q->token >= from && q->token < from + count) {
                    size_t j = q->feature >> shift;
                    double gj = g + p->l2 * m->w[j];
                    g2[j] += (float)(gj * gj);
                    d = p->lr * gj / sqrt(g2[j]);
                    m->w[j] -= (float)d;
                    u[j] -= (float)(steps * d);
                }
            }
        }
    }
    /* The average of the iterates since avg_from: w - u / steps. */
    if (steps > 0) {
        for (i = 0; i < n_w; i++)
            m->w[i] -= (float)(u[i] / steps);
        m->bias[0] -= bu[0] / steps;
        m->bias[1] -= bu[1] / steps;
    }
    free(order);
    free(sums);
    free(g2);
    free(u);
}

/* Quantises m as the detector holds it: int8 weights, a scale, integer biases. */
static double quantise(model *m, signed char *q, int32_t bias[2])
{
    size_t n = (size_t)1 << m->bits, i;
    double mx = 0, scale;
    for (i = 0; i < n; i++)
        if (fabs(m->w[i]) > mx)
            mx = fabs(m->w[i]);
    scale = mx > 0 ? mx / 127.0 : 1.0;
    for (i = 0; i < n; i++) {
        long v = lround(m->w[i] / scale);
        q[i] = (signed char)(v > 127 ? 127 : v < -127 ? -127 : v);
        m->w[i] = (float)(q[i] * scale);
    }
    for (i = 0; i < 2; i++) {
        bias[i] = (int32_t)lround(m->bias[i] / scale);
        m->bias[i] = bias[i] * scale;
    }
    return scale;
}

typedef struct counts {
    double tp, fp, fn, tn;
} counts;

static void add_count(counts *k, int truth, int pred)
{
    if (truth && pred) k->tp++;
    else if (pred) k->fp++;
    else if (truth) k->fn++;
    else k->tn++;
}

static double macro_f1(const counts *k, double *prec, double *rec)
{
    double p1 = k->tp + k->fp ? k->tp / (k->tp + k->fp) : 0, r1 = k->tp + k->fn ? k->tp / (k->tp + k->fn) : 0;
    double p0 = k->tn + k->fn ? k->tn / (k->tn + k->fn) : 0, r0 = k->tn + k->fp ? k->tn / (k->tn + k->fp) : 0;
    double f1 = p1 + r1 ? 2 * p1 * r1 / (p1 + r1) : 0, f0 = p0 + r0 ? 2 * p0 * r0 / (p0 + r0) : 0;
    if (prec) *prec = p1;
    if (rec) *rec = r1;
    return (f1 + f0) / 2;
}

static double sigmoid(double z) { return 1.0 / (1.0 + exp(-z)); }

/* The detector's decision on example e from its model logit z. */
static int decide(const example *e, double z, double shift, double floor)
{
    double s = sigmoid(z - shift);
    if (e->lex && s < floor)
        s = floor;
    return s >= 0.5;
}

static double lang_f1(const corpus *c, const double *z, unsigned lang, double shift, double floor, double *prec,
                      double *rec)
{
    counts k = {0, 0, 0, 0};
    size_t i;
    for (i = 0; i < c->n; i++)
        if (c->ex[i].lang == lang && !c->ex[i].word)
            add_count(&k, c->ex[i].label, decide(&c->ex[i], z[i], shift, floor));
    return macro_f1(&k, prec, rec);
}

static void report(const char *what, const corpus *c, unsigned lang, int kind, const double *z, double shift,
                   double floor)
{
    counts k = {0, 0, 0, 0};
    double p, r, f;
    size_t i;
    for (i = 0; i < c->n; i++) {
        const example *e = &c->ex[i];
        if (e->lang != lang || e->word)
            continue;
        add_count(&k, e->label, kind == 0 ? e->lex : kind == 1 ? sigmoid(z[i] - shift) >= 0.5
                                                                : decide(e, z[i], shift, floor));
    }
    f = macro_f1(&k, &p, &r);
    printf("| %s | %s | %.3f | %.3f | %.3f |\n", lang ? "Russian" : "English", what, f, p, r);
}

static void write_weights(const char *path, const params *p, const signed char *q, double scale,
                          const int32_t bias[2], const char *summary)
{
    FILE *f = fopen(path, "w");
    size_t n = (size_t)1 << p->bits, i, nonzero = 0;
    unsigned o;
    char orders[16] = "";

    if (!f) {
        fprintf(stderr, "abuse_train: cannot write %s\n", path);
        exit(1);
    }
    for (o = 2; o < 8; o++)
        if (p->orders >> o & 1)
            snprintf(orders + strlen(orders), sizeof orders - strlen(orders), "%u", o);
    for (i = 0; i < n; i++)
        nonzero += q[i] != 0;
    fprintf(f, "/*\n * The abusive-content detector's model: generated by tools/abuse_train.c, do not edit.\n"
               " *\n * Regenerate with `cmake --build <build> --target train-abuse`, which runs\n"
               " *   abuse_train ../shared/data/abuse libfeedback/abuse_weights.c\n"
               " * on the development texts (en_dev.tsv, ru_dev.tsv); the same data give the same file.\n"
               " * Parameters: --bits %u --orders %s --epochs %u --lr %g --l2 %g --window %u --floor %g --words %g\n"
               " * %lu weights, %lu of them nonzero; int8, scale %.9g.\n *\n%s */\n",
            p->bits, orders, p->epochs, p->lr, p->l2, p->window, p->floor, p->words, (unsigned long)n,
            (unsigned long)nonzero, scale, summary);
    fprintf(f, "#include \"abuse_model.h\"\n\nstatic const signed char weights[%lu] = {\n", (unsigned long)n);
    for (i = 0; i < n; i++)
        fprintf(f, "%s%d,%s", i % 24 == 0 ? "    " : "", q[i], i % 24 == 23 || i + 1 == n ? "\n" : "");
    fprintf(f, "};\n\nconst fb__abuse_model fb__abuse_builtin_model = {\n    %u, 0x%X, %u, %.9g, {%ld, %ld}, %g, weights};\n",
            p->bits, p->orders, p->window, scale, (long)bias[0], (long)bias[1], p->floor);
    fclose(f);
}

int main(int argc, char **argv)
{
    params p = {17, 0x10, 8, 5, 32, 0.02, 1e-6, 0.9, 0.5};
    const char *dir, *out = NULL;
    bool write = true;
    const char *dump = NULL;
    corpus c;
    fb_abuse_detector *d;
    double *z, shift[2] = {0, 0};
    size_t i;
    unsigned f, lang, pass;
    int a;
    char summary[4096];
    size_t sl = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: abuse_train DATA_DIR [OUT.c] [--bits N] [--orders 34] [--epochs N] [--lr X]"
                        " [--l2 X] [--folds N] [--window N] [--floor X] [--no-write]\n");
        return 2;
    }
    dir = argv[1];
    for (a = 2; a < argc; a++) {
        const char *v = a + 1 < argc ? argv[a + 1] : "0";
        if (!strcmp(argv[a], "--bits")) p.bits = (unsigned)atoi(v), a++;
        else if (!strcmp(argv[a], "--orders")) {
            const char *s;
            p.orders = 0;
            for (s = v; *s; s++)
                p.orders |= 1u << (*s - '0');
            a++;
        } else if (!strcmp(argv[a], "--epochs")) p.epochs = (unsigned)atoi(v), a++;
        else if (!strcmp(argv[a], "--lr")) p.lr = atof(v), a++;
        else if (!strcmp(argv[a], "--l2")) p.l2 = atof(v), a++;
        else if (!strcmp(argv[a], "--folds")) p.folds = (unsigned)atoi(v), a++;
        else if (!strcmp(argv[a], "--window")) p.window = (unsigned)atoi(v), a++;
        else if (!strcmp(argv[a], "--floor")) p.floor = atof(v), a++;
        else if (!strcmp(argv[a], "--words")) p.words = atof(v), a++;
        else if (!strcmp(argv[a], "--no-write")) write = false;
        else if (!strcmp(argv[a], "--dump")) dump = v, a++;
        else if (argv[a][0] != '-' && !out) out = argv[a];
        else {
            fprintf(stderr, "abuse_train: unknown option %s\n", argv[a]);
            return 2;
        }
    }
    if (p.bits < 10 || p.bits > 24 || p.window < 1 || p.window > FB__WINDOW_MAX || p.folds < 2 ||
        (p.orders & ~0x7Cu)) {
        fprintf(stderr, "abuse_train: --bits 10..24, --window 1..%d, --folds 2+, --orders of 2..6\n",
                FB__WINDOW_MAX);
        return 2;
    }
    if (fb_abuse_detector_new(&d, NULL, NULL) != FB_OK)
        return 1;
    memset(&c, 0, sizeof c);
    d->orders = p.orders;
    d->hook = hook;
    d->hook_ctx = &c;
    {
        word_set seen[2];
        memset(seen, 0, sizeof seen);
        load(&c, d, dir, "en_dev.tsv", 0, p.words > 0 ? seen : NULL);
        load(&c, d, dir, "ru_dev.tsv", 1, p.words > 0 ? seen : NULL);
        free(seen[0].slots);
        free(seen[1].slots);
    }
    fb_abuse_detector_free(d);
    {
        size_t w = 0;
        for (i = 0; i < c.n; i++)
            w += c.ex[i].word;
        printf("%lu texts, %lu words of clean texts alone, %lu features\n", (unsigned long)(c.n - w),
               (unsigned long)w, (unsigned long)c.n_pairs);
    }

    /* Folds by group, in a fixed shuffled order. */
    {
        uint32_t groups = c.ex[c.n - 1].group + 1, *fold_of = xrealloc(NULL, groups * sizeof *fold_of);
        uint64_t seed = 7;
        for (i = 0; i < groups; i++)
            fold_of[i] = (uint32_t)(next_random(&seed) % p.folds);
        for (i = 0; i < c.n; i++)
            c.ex[i].fold = fold_of[c.ex[i].group];
        free(fold_of);
    }

    z = xrealloc(NULL, c.n * sizeof *z);
    {
        signed char *q = xrealloc(NULL, (size_t)1 << p.bits);
        double *sums = xrealloc(NULL, max_tokens(&c) * sizeof *sums);
        for (f = 0; f < p.folds; f++) {
            model m;
            int32_t bias[2];
            train(&c, &p, f, &m);
            quantise(&m, q, bias);
            for (i = 0; i < c.n; i++)
                if (c.ex[i].fold == f) {
                    uint32_t from, count;
                    z[i] = window_logit(&c, &c.ex[i], &m, p.window, sums, &from, &count);
                }
            free(m.w);
        }
        free(q);
        free(sums);
    }

    /* The threshold of each language that maximises its cross-validated macro-F1, as a logit shift. */
    for (lang = 0; lang < 2; lang++) {
        double best = -1, s;
        for (s = -2.0; s <= 2.0001; s += 0.05) {
            double mf = lang_f1(&c, z, lang, s, p.floor, NULL, NULL);
            if (mf > best + 1e-12) {
                best = mf;
                shift[lang] = s;
            }
        }
    }
    if (dump) { /* the cross-validated scores, a line per text: language, label, lexicon, score */
        FILE *df = fopen(dump, "w");
        for (i = 0; df && i < c.n; i++)
            if (!c.ex[i].word)
                fprintf(df, "%u\t%u\t%u\t%.4f\n", c.ex[i].lang, c.ex[i].label, c.ex[i].lex,
                    sigmoid(z[i] - shift[c.ex[i].lang]));
        if (df)
            fclose(df);
    }
    printf("\n%u-fold cross-validation (thresholds %.3f English, %.3f Russian):\n\n", p.folds,
           sigmoid(shift[0]), sigmoid(shift[1]));
    printf("| language | detector | macro-F1 | precision | recall |\n|---|---|---|---|---|\n");
    sl += (size_t)snprintf(summary + sl, sizeof summary - sl,
                           " * %u-fold cross-validated on the development texts (macro-F1, precision, recall):\n",
                           p.folds);
    for (lang = 0; lang < 2; lang++) {
        double pr, rc, mf;
        for (pass = 0; pass < 3; pass++)
            report(pass == 0 ? "lexicon alone" : pass == 1 ? "model alone" : "lexicon and model", &c, lang,
                   (int)pass, z, shift[lang], p.floor);
        mf = lang_f1(&c, z, lang, shift[lang], p.floor, &pr, &rc);
        sl += (size_t)snprintf(summary + sl, sizeof summary - sl, " *   %s: %.3f, %.3f, %.3f\n",
                               lang ? "Russian" : "English", mf, pr, rc);
    }

    if (write && out) {
        model m;
        int32_t bias[2];
        signed char *q = xrealloc(NULL, (size_t)1 << p.bits);
        double scale;
        train(&c, &p, p.folds, &m);
        /* The thresholds into the biases: the detector's threshold is 0.5. */
        m.bias[0] -= shift[0];
        m.bias[1] -= shift[1];
        scale = quantise(&m, q, bias);
        write_weights(out, &p, q, scale, bias, summary);
        printf("\nwrote %s\n", out);
        free(q);
        free(m.w);
    }
    free(z);
    free(c.ex);
    free(c.pairs);
    free(c.words);
    return 0;
}
