/* The abusive-content detector's insides, for its trainer and tests (tools/, tests/abuse). */
#ifndef FB_ABUSE_DETECTOR_H
#define FB_ABUSE_DETECTOR_H

#include "abuse_lexicon.h"
#include "abuse_model.h"
#include "feedback/text.h"

/* Called with every feature of a check and the token it belongs to (training). */
typedef void fb__feature_hook(void *ctx, size_t token, uint32_t feature);

struct fb_abuse_detector {
    const fb_allocator *alloc;
    fb__lexicon lex;
    const fb__abuse_model *model;
    double threshold;
    unsigned orders;                  /* the model's, unless a trainer sets others */
    fb__feature_hook *hook;           /* NULL but in training */
    void *hook_ctx;
    fb_text_span *spans;              /* the last check's */
    size_t n_spans, spans_cap;
    /* What the last check found, for the trainer and the tests. */
    size_t tokens;                    /* how many */
    unsigned script;                  /* FB__SCRIPT_* of most of them */
    unsigned lex_categories;          /* the categories of the lexicon's spans */
    double model_score;               /* the model's alone */
};

/* The default threshold (docs/FILTERS.md). */
#define FB__ABUSE_THRESHOLD 0.5

#endif
