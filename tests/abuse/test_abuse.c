/* Tests of the abusive-content detector and fb_text_mask (text.h). */
#include "fb_test.h"

#include <stdlib.h>

#include "abuse_detector.h"
#include "abuse_lists.h"
#include "abuse_scan.h"
#include "utf8.h"

static fb_abuse_detector *new_detector(void)
{
    fb_abuse_detector *d = NULL;
    fb_error err;
    assert_fb_ok(fb_abuse_detector_new(&d, NULL, &err), &err);
    assert_non_null(d);
    return d;
}

static fb_abuse_result check(fb_abuse_detector *d, const char *text)
{
    fb_abuse_result r;
    fb_error err;
    assert_fb_ok(fb_abuse_check(d, text, strlen(text), &r, &err), &err);
    assert_true(r.score >= 0.0 && r.score <= 1.0);
    return r;
}

/* The one span of category cat in r, checked to be the bytes of want inside text. */
static void expect_span(const char *text, const fb_abuse_result *r, const char *want, unsigned cat)
{
    const char *at = strstr(text, want);
    size_t i;

    assert_non_null(at);
    for (i = 0; i < r->n_spans; i++)
        if (r->spans[i].category == cat && r->spans[i].offset == (size_t)(at - text) &&
            r->spans[i].length == strlen(want))
            return;
    fail_msg("\"%s\": no span of category %u over \"%s\" (%lu spans)", text, cat, want, (unsigned long)r->n_spans);
}

/* Whether r has a span of the lexicon (obscenity, insult, threat). */
static bool lexicon_span(const fb_abuse_result *r)
{
    size_t i;
    for (i = 0; i < r->n_spans; i++)
        if (r->spans[i].category & (FB_ABUSE_OBSCENITY | FB_ABUSE_INSULT | FB_ABUSE_THREAT))
            return true;
    return false;
}

/* The words a naive substring filter flags: clean, alone and in a sentence. */
static void test_scunthorpe(void **state)
{
    static const char *const clean[] = {
        "употреблять", "оскорблять", "застрахуйте", "херувим", "рубля", "скипидар",
        "assassin", "Scunthorpe", "cockpit", "assessment", "therapeutic", "launcher", "142,460",
        "Употреблять", "ЗАСТРАХУЙТЕ", "Херувимы", "скипидаром", "assassins", "cockpits", "Launchers",
    };
    fb_abuse_detector *d = new_detector();
    size_t i;
    char buf[256];
    (void)state;

    for (i = 0; i < sizeof clean / sizeof clean[0]; i++) {
        fb_abuse_result r = check(d, clean[i]);
        if (r.abusive || lexicon_span(&r))
            fail_msg("\"%s\" is judged abusive (score %.3f, %lu spans)", clean[i], r.score,
                     (unsigned long)r.n_spans);
        snprintf(buf, sizeof buf, "We ordered on Monday and %s was mentioned twice in the reply.", clean[i]);
        r = check(d, buf);
        if (r.abusive || lexicon_span(&r))
            fail_msg("\"%s\" is judged abusive (score %.3f)", buf, r.score);
    }
    /* Digits alone give no word, and a text without words scores 0. */
    {
        fb_abuse_result r = check(d, "142,460");
        assert_true(r.score == 0.0);
        assert_int_equal(r.n_spans, 0);
        assert_int_equal(d->tokens, 0);
    }
    fb_abuse_detector_free(d);
}

static void test_plain_obscenity(void **state)
{
    static const char *const words[] = {"fuck", "fucking", "shit", "motherfucker", "cunt", "хуй", "пиздец",
                                        "блядь", "нахуй", "заебали", "распиздяй", "подъебка", "охуеть", "ёбаный"};
    fb_abuse_detector *d = new_detector();
    size_t i;
    (void)state;

    for (i = 0; i < sizeof words / sizeof words[0]; i++) {
        char text[128];
        fb_abuse_result r;
        snprintf(text, sizeof text, "well, %s.", words[i]);
        r = check(d, text);
        if (!r.abusive)
            fail_msg("\"%s\" is not judged abusive (score %.3f)", text, r.score);
        assert_true(r.categories & FB_ABUSE_OBSCENITY);
        expect_span(text, &r, words[i], FB_ABUSE_OBSCENITY);
    }
    fb_abuse_detector_free(d);
}

/* Obfuscated forms, each with the span it must give: the bytes of the original. */
static void test_obfuscated(void **state)
{
    static const struct {
        const char *text, *span;
    } cases[] = {
        {"what the f.u.c.k is this", "f.u.c.k"},
        {"what the f u c k is this", "f u c k"},
        {"what the f-u-c-k is this", "f-u-c-k"},
        {"fuuuuck this shop", "fuuuuck"},
        {"this is f*ck*ng slow", "f*ck*ng"},
        {"f*ck this", "f*ck"},
        {"f**k this", "f**k"},
        {"f*u*c*k this", "f*u*c*k"},
        {"such sh1t service", "sh1t"},
        {"such $hit service", "$hit"},
        {"what a FUCKING mess", "FUCKING"},
        {"fu\xd1\x81k that", "fu\xd1\x81k"},                 /* a Cyrillic с inside */
        {"\xd1\x8d\xd1\x82\xd0\xbe xy\xd0\xb9\xd0\xbd\xd1\x8f", "xy\xd0\xb9\xd0\xbd\xd1\x8f"}, /* это xyйня, Latin x y */
        {"ну п и з д е ц", "п и з д е ц"},
        {"это х.у.й знает что", "х.у.й"},
        {"полный пи3дец", "пи3дец"},
        {"бл*дь опять", "бл*дь"},
        {"п***ц полный", "п***ц"},
        {"на**й такой сервис", "на**й"},
        {"бляяяяя опять", "бляяяяя"},
        {"ХУЙНЯ какая-то", "ХУЙНЯ"},
    };
    fb_abuse_detector *d = new_detector();
    size_t i;
    (void)state;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fb_abuse_result r = check(d, cases[i].text);
        if (!r.abusive)
            fail_msg("\"%s\" is not judged abusive (score %.3f)", cases[i].text, r.score);
        expect_span(cases[i].text, &r, cases[i].span, FB_ABUSE_OBSCENITY);
    }
    fb_abuse_detector_free(d);
}

/* Look-alikes fold toward the word's own script only: English words stay English. */
static void test_lookalikes_stay_in_their_script(void **state)
{
    fb_abuse_detector *d = new_detector();
    fb__scanner sc;
    fb__token t;
    fb__gap gap;
    static const char text[] = "xep cop \xd1\x85\xd0\xb5\xd1\x80"; /* "xep cop хер" */
    (void)state;

    fb__scan_init(&sc, text, strlen(text));
    assert_true(fb__scan_next(&sc, &t, &gap));
    assert_int_equal(t.script, FB__SCRIPT_LATIN);
    assert_memory_equal(t.code, "xep", 3); /* all Latin: never folded to Cyrillic */
    assert_true(fb__scan_next(&sc, &t, &gap));
    assert_memory_equal(t.code, "cop", 3);
    assert_true(fb__scan_next(&sc, &t, &gap));
    assert_int_equal(t.script, FB__SCRIPT_CYRILLIC);
    assert_false(fb__scan_next(&sc, &t, &gap));
    /* A Latin o inside a Cyrillic word folds to Cyrillic, and the word matches. */
    {
        fb_abuse_result r = check(d, "\xd0\xb3o\xd0\xb2\xd0\xbd\xd0\xbe"); /* гoвно with a Latin o */
        assert_true(r.categories & FB_ABUSE_OBSCENITY);
    }
    fb_abuse_detector_free(d);
}

/* Spans point at the bytes of the original, through multi-byte letters and marks. */
static void test_span_offsets(void **state)
{
    fb_abuse_detector *d = new_detector();
    static const char text[] = "Доставка отличная, но курьер \xe2\x80\x94 мудак, а менеджер идиот!!!";
    fb_abuse_result r;
    (void)state;

    r = check(d, text);
    assert_true(r.abusive);
    assert_int_equal(r.n_spans, 3);
    expect_span(text, &r, "мудак", FB_ABUSE_OBSCENITY);
    expect_span(text, &r, "идиот", FB_ABUSE_INSULT);
    expect_span(text, &r, "!!!", FB_ABUSE_SHOUTING);
    /* In text order. */
    assert_true(r.spans[0].offset < r.spans[1].offset && r.spans[1].offset < r.spans[2].offset);
    assert_int_equal(r.categories, FB_ABUSE_OBSCENITY | FB_ABUSE_INSULT | FB_ABUSE_SHOUTING);
    fb_abuse_detector_free(d);
}

/* The normaliser keeps where every character came from. */
static void test_character_offsets(void **state)
{
    static const char text[] = "ok \xd0\x91\xd0\x9b\xd0\xaf\xd0\xaf\xd0\xaf\xcc\x81x!"; /* "ok БЛЯЯЯ́x!" */
    fb__scanner sc;
    fb__token t;
    fb__gap gap;
    size_t off[FB__TOKEN_MAX];
    (void)state;

    fb__scan_init(&sc, text, strlen(text));
    assert_true(fb__scan_next(&sc, &t, &gap));
    assert_true(fb__scan_next(&sc, &t, &gap));
    assert_int_equal(t.start, 3);
    assert_int_equal(t.end, strlen(text) - 1); /* the ! is not part of the word */
    assert_int_equal(t.len, 5);               /* б л я я x: the third я dropped */
    assert_true(t.flags & FB__TOK_STRETCH);
    assert_true(t.flags & FB__TOK_NONLETTER || t.script == FB__SCRIPT_CYRILLIC);
    fb__token_offsets(text, &t, off);
    assert_int_equal(off[0], 3);
    assert_int_equal(off[1], 5);
    assert_int_equal(off[2], 7);
    assert_int_equal(off[3], 9);
    assert_int_equal(off[4], 15); /* after the third я and the combining acute */
}

static void test_categories(void **state)
{
    fb_abuse_detector *d = new_detector();
    fb_abuse_result r;
    (void)state;

    r = check(d, "если еще раз позвонишь, я тебя убью");
    assert_true(r.abusive);
    assert_true(r.categories & FB_ABUSE_THREAT);
    expect_span("если еще раз позвонишь, я тебя убью", &r, "убью", FB_ABUSE_THREAT);

    r = check(d, "the manager is an idiot");
    assert_true(r.abusive);
    assert_true(r.categories & FB_ABUSE_INSULT);

    r = check(d, "THIS IS THE WORST DELIVERY SERVICE EVER");
    assert_true(r.categories & FB_ABUSE_SHOUTING);
    expect_span("THIS IS THE WORST DELIVERY SERVICE EVER", &r, "THIS IS THE WORST DELIVERY SERVICE EVER",
                FB_ABUSE_SHOUTING);

    /* Acronyms and a capital word or two are no shouting. */
    r = check(d, "The NPS and CSAT of the EU team are fine");
    assert_false(r.categories & FB_ABUSE_SHOUTING);

    r = check(d, "Where is my parcel?!?!");
    expect_span("Where is my parcel?!?!", &r, "?!?!", FB_ABUSE_SHOUTING);
    r = check(d, "Thanks! Great, really?");
    assert_int_equal(r.n_spans, 0);
    fb_abuse_detector_free(d);
}

/* A long polite text with one insult is judged by the insult. */
static void test_worst_part(void **state)
{
    static const char polite[] = "The delivery was on time and the courier was polite and helpful. ";
    fb_abuse_detector *d = new_detector();
    size_t n = 40, i, len = 0;
    char *text = malloc(n * (sizeof polite - 1) + 64);
    fb_abuse_result r;
    double alone;
    (void)state;

    assert_non_null(text);
    for (i = 0; i < n; i++) {
        memcpy(text + len, polite, sizeof polite - 1);
        len += sizeof polite - 1;
        if (i == n / 2) {
            memcpy(text + len, "But the cashier is a moron. ", 28);
            len += 28;
        }
    }
    text[len] = 0;
    alone = check(d, "But the cashier is a moron.").score;
    r = check(d, text);
    assert_true(r.abusive);
    assert_true(r.score >= alone - 1e-9 || r.score >= 0.9);
    expect_span(text, &r, "moron", FB_ABUSE_INSULT);
    /* Without the insult, the same text is clean. */
    r = check(d, polite);
    assert_false(r.abusive);
    free(text);
    fb_abuse_detector_free(d);
}

/* The model ranks an attack above a compliment of the same shape. */
static void test_model_ranks(void **state)
{
    fb_abuse_detector *d = new_detector();
    double bad, good;
    (void)state;

    bad = check(d, "you are a pathetic disgusting liar and everyone hates you").score;
    good = check(d, "you are a wonderful helpful person and everyone thanks you").score;
    assert_true(bad > good);
    assert_true(good < 0.5);
    bad = check(d, "ты тупая уродливая тварь, заткнись").score;
    good = check(d, "вы очень вежливый и внимательный сотрудник, спасибо").score;
    assert_true(bad > good);
    assert_true(good < 0.5);
    fb_abuse_detector_free(d);
}

static void test_add(void **state)
{
    fb_abuse_detector *d = new_detector();
    fb_abuse_result r;
    fb_error err;
    (void)state;

    r = check(d, "you flobbergast");
    assert_false(lexicon_span(&r));
    assert_fb_ok(fb_abuse_detector_add(d, FB_LEXICON_WORD, FB_ABUSE_INSULT, "Flobbergast", 11, &err), &err);
    r = check(d, "you flobbergast");
    assert_true(r.abusive);
    expect_span("you flobbergast", &r, "flobbergast", FB_ABUSE_INSULT);
    r = check(d, "you f.l.o.b.b.e.r.g.a.s.t"); /* added words get the obfuscated forms too */
    assert_true(lexicon_span(&r));

    /* A root: the words it starts, after prefixes too. */
    assert_fb_ok(fb_abuse_detector_add(d, FB_LEXICON_ROOT, FB_ABUSE_INSULT, "глупц", strlen("глупц"), &err), &err);
    r = check(d, "вы глупцы");
    assert_true(lexicon_span(&r));
    /* An exception: a word a root starts that must not match. */
    r = check(d, "гадина");
    assert_true(lexicon_span(&r));
    assert_fb_ok(fb_abuse_detector_add(d, FB_LEXICON_EXCEPTION, 0, "гадина", strlen("гадина"), &err), &err);
    r = check(d, "гадина");
    assert_false(lexicon_span(&r));

    /* Errors. */
    assert_fb_status(fb_abuse_detector_add(d, FB_LEXICON_WORD, FB_ABUSE_INSULT, "", 0, &err), FB_ERR_INVALID_ARG, &err);
    assert_fb_status(fb_abuse_detector_add(d, FB_LEXICON_WORD, FB_ABUSE_INSULT, "two words", 9, &err),
                     FB_ERR_INVALID_ARG, &err);
    assert_fb_status(fb_abuse_detector_add(d, FB_LEXICON_WORD, FB_ABUSE_SHOUTING, "loud", 4, &err),
                     FB_ERR_INVALID_ARG, &err);
    assert_fb_status(fb_abuse_detector_add(d, FB_LEXICON_WORD, FB_ABUSE_INSULT | FB_ABUSE_THREAT, "x", 1, &err),
                     FB_ERR_INVALID_ARG, &err);
    assert_fb_status(fb_abuse_detector_add(d, (fb_lexicon_kind)7, FB_ABUSE_INSULT, "word", 4, &err),
                     FB_ERR_INVALID_ARG, &err);
    assert_fb_status(fb_abuse_detector_add(d, FB_LEXICON_WORD, FB_ABUSE_INSULT, "ab\xff", 3, &err), FB_ERR_UTF8,
                     &err);
    assert_int_equal(err.offset, 2);
    assert_fb_status(fb_abuse_detector_add(d, FB_LEXICON_WORD, FB_ABUSE_INSULT, "f*ck", 4, &err),
                     FB_ERR_INVALID_ARG, &err);
    assert_fb_status(fb_abuse_detector_add(d, FB_LEXICON_WORD, FB_ABUSE_INSULT, "\xce\xb1\xce\xb2", 4, &err),
                     FB_ERR_INVALID_ARG, &err); /* Greek: not in the lexicon's alphabets */
    assert_fb_status(fb_abuse_detector_add(NULL, FB_LEXICON_WORD, FB_ABUSE_INSULT, "word", 4, &err),
                     FB_ERR_INVALID_ARG, &err);
    fb_abuse_detector_free(d);
}

static void test_threshold(void **state)
{
    fb_abuse_detector *d = new_detector();
    fb_abuse_result r;
    (void)state;

    assert_true(check(d, "idiot").abusive);
    fb_abuse_detector_set_threshold(d, 0.999);
    r = check(d, "idiot");
    assert_false(r.abusive);
    assert_true(r.categories & FB_ABUSE_INSULT); /* the span is still reported */
    fb_abuse_detector_set_threshold(d, 0.0);
    assert_true(check(d, "what a lovely day").abusive);
    fb_abuse_detector_set_threshold(NULL, 0.5); /* a no-op */
    fb_abuse_detector_free(d);
}

static void test_invalid_input(void **state)
{
    fb_abuse_detector *d = new_detector();
    fb_abuse_result r;
    fb_error err;
    static const char *const bad[] = {"abc\xff", "ok \xc0\xaf", "\xd0", "x\xed\xa0\x80y", "\xf4\x90\x80\x80"};
    static const size_t at[] = {3, 3, 0, 1, 0};
    size_t i;
    (void)state;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&r, 0x55, sizeof r);
        assert_fb_status(fb_abuse_check(d, bad[i], strlen(bad[i]), &r, &err), FB_ERR_UTF8, &err);
        assert_int_equal(err.offset, at[i]);
        assert_int_equal(r.n_spans, 0);
        assert_null(r.spans);
        assert_false(r.abusive);
    }
    assert_fb_status(fb_abuse_check(NULL, "x", 1, &r, &err), FB_ERR_INVALID_ARG, &err);
    assert_fb_status(fb_abuse_check(d, NULL, 1, &r, &err), FB_ERR_INVALID_ARG, &err);
    assert_fb_status(fb_abuse_check(d, "x", 1, NULL, &err), FB_ERR_INVALID_ARG, &err);
    assert_fb_ok(fb_abuse_check(d, NULL, 0, &r, &err), &err);
    assert_false(r.abusive);
    assert_int_equal(r.n_spans, 0);
    /* A check after a failed one works. */
    assert_true(check(d, "fuck").abusive);
    fb_abuse_detector_free(d);
    fb_abuse_detector_free(NULL);
}

/* Random bytes: never a crash; valid UTF-8 always gets a judgement whose spans lie on characters. */
static void test_random_bytes(void **state)
{
    fb_abuse_detector *d = new_detector();
    static const char alphabet[] = "ab fuck*.!?\xd1\x85\xd1\x83\xd0\xb9 x1$@\n\xcc\x81\xe2\x80\x94\xf0\x9f\x98\x82";
    unsigned long seed = 12345;
    int round;
    fb_error err;
    (void)state;

    for (round = 0; round < 6000; round++) {
        char text[200];
        size_t len = 0, i;
        fb_abuse_result r;
        fb_status st;
        while (len < sizeof text - 4) {
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            if ((seed >> 60) == 0)
                break;
            text[len++] = round % 3 == 0 ? (char)(seed >> 33)
                         : round % 3 == 1 && (seed >> 40) % 50 == 0 ? (char)(0x80 + (seed >> 45) % 0x80)
                                                                     : alphabet[(seed >> 33) % (sizeof alphabet - 1)];
        }
        st = fb_abuse_check(d, text, len, &r, &err);
        if (fb__utf8_check(text, len) != len) {
            /* The scan's own check of UTF-8 agrees with fb__utf8_check, offset and all. */
            assert_int_equal(st, FB_ERR_UTF8);
            assert_int_equal(err.offset, fb__utf8_check(text, len));
            assert_int_equal(r.n_spans, 0);
            continue;
        }
        assert_int_equal(st, FB_OK);
        for (i = 0; i < r.n_spans; i++) {
            const fb_text_span *s = &r.spans[i];
            assert_true(s->offset + s->length <= len);
            assert_int_equal(fb__utf8_check(text + s->offset, s->length), s->length);
            assert_true(i == 0 || s->offset >= r.spans[i - 1].offset);
        }
    }
    fb_abuse_detector_free(d);
}

/* A text far longer than the window, with the insult deep inside. */
static void test_long_text(void **state)
{
    fb_abuse_detector *d = new_detector();
    static const char word[] = "fine ";
    size_t n = 200000, len = n * 5 + 16, i;
    char *text = malloc(len);
    fb_abuse_result r;
    fb_error err;
    (void)state;

    assert_non_null(text);
    for (i = 0; i < n; i++)
        memcpy(text + 5 * i, word, 5);
    memcpy(text + 5 * (n / 2), "cunt ", 5);
    assert_fb_ok(fb_abuse_check(d, text, n * 5, &r, &err), &err);
    assert_true(r.abusive);
    assert_int_equal(r.n_spans, 1);
    assert_int_equal(r.spans[0].offset, 5 * (n / 2));
    assert_int_equal(d->tokens, n);
    free(text);
    fb_abuse_detector_free(d);
}

/* A run of one mention counts once: how many @USER a reply starts with does not move its score. */
static void test_repeated_mentions(void **state)
{
    static const char many[] = "@USER @USER @USER @USER @USER @USER @USER "
                               "you are a clown and a liar";
    fb_abuse_detector *d = new_detector();
    double once;
    (void)state;
    once = check(d, "@USER you are a clown and a liar").score;
    assert_true(check(d, many).score == once);
    assert_int_equal(d->tokens, 8);
    /* Different people are different words, and a mention after other words is a word again. */
    check(d, "@anna @bob you are a clown and a liar");
    assert_int_equal(d->tokens, 9);
    check(d, "@USER thanks @USER");
    assert_int_equal(d->tokens, 3);
    /* A repeat is no word of the model's, but still a span of the lexicon's, to mask. */
    {
        fb_abuse_result r = check(d, "@idiot @idiot!!! @idiot hi");
        static const size_t at[] = {1, 8, 18};
        size_t k, found = 0, j;
        assert_int_equal(d->tokens, 2);
        for (j = 0; j < 3; j++)
            for (k = 0; k < r.n_spans; k++)
                found += r.spans[k].category == FB_ABUSE_INSULT && r.spans[k].offset == at[j] &&
                         r.spans[k].length == 5;
        assert_int_equal(found, 3);
    }
    fb_abuse_detector_free(d);
}

/* Checks that text (len bytes) gives the score and spans of want, spans moved by shift bytes. */
static void expect_same(fb_abuse_detector *d, const fb_abuse_result *want,
                        const fb_text_span *spans, const char *text, size_t len, size_t shift)
{
    fb_abuse_result r;
    fb_error err;
    size_t k;

    assert_fb_ok(fb_abuse_check(d, text, len, &r, &err), &err);
    assert_true(r.score == want->score);
    assert_int_equal(r.n_spans, want->n_spans);
    for (k = 0; k < want->n_spans; k++) {
        assert_int_equal(r.spans[k].offset, spans[k].offset + shift);
        assert_int_equal(r.spans[k].length, spans[k].length);
        assert_int_equal(r.spans[k].category, spans[k].category);
    }
}

/*
 * The scan reads a plain ASCII word that has sixteen bytes to read at once,
 * the last word of a text of sixteen bytes or more from the text's last
 * sixteen, and the same word alone (a short text) byte by byte: all give the
 * same score and spans, in every case of letters, doubled and tripled ones,
 * and every length (four steps or eight, or the loop past eight letters).
 */
static void test_wide_words(void **state)
{
    static const char *const words[] = {
        "a", "ok", "you", "idiot", "moron", "Fuck", "SHIT", "bullshit", "assessment", "Scunthorpe",
        "cockpit", "ass", "asses", "cunts", "motherfucker", "aaab", "bitchyyy", "Stupid", "MiXeD",
        "fifteenletters", "fifteenletterss", "sixteenletterxyz", "wankers", "jerk", "tits", "I",
        "wanker", "FUCKER", "twat", "Cunt", "shitty", "nine'lett", "aab", "aabb", "dick!",
        "dumbass",
    };
    /* Digits and symbols make no word: before the word they change nothing but its offset. */
    static const char *const pads[] = {"1234567890123456 ", "12345678901234567890123456789 ", ""};
    fb_abuse_detector *d = new_detector();
    size_t i, p;
    (void)state;
    for (i = 0; i < sizeof words / sizeof *words; i++) {
        char text[96];
        fb_text_span spans[4];
        fb_abuse_result alone = check(d, words[i]);
        assert_true(alone.n_spans <= 4);
        if (alone.n_spans) /* spans is NULL without any */
            memcpy(spans, alone.spans, alone.n_spans * sizeof *spans);
        snprintf(text, sizeof text, "%s                 .", words[i]);
        expect_same(d, &alone, spans, text, strlen(text), 0);
        for (p = 0; p < sizeof pads / sizeof *pads; p++) {
            size_t pad = strlen(pads[p]);
            snprintf(text, sizeof text, "%s%s", pads[p], words[i]);
            expect_same(d, &alone, spans, text, strlen(text), pad);
            /* followed by a separator and the text's end, or by digits */
            snprintf(text, sizeof text, "%s%s.", pads[p], words[i]);
            expect_same(d, &alone, spans, text, strlen(text), pad);
            snprintf(text, sizeof text, "%s%s 2024", pads[p], words[i]);
            expect_same(d, &alone, spans, text, strlen(text), pad);
        }
    }
    fb_abuse_detector_free(d);
}

/*
 * The usual gaps (a space, or ". " ", " "? " " @" " #" ... before a word)
 * skip the gap's loop, and a mention repeated after " @" is skipped
 * whole: the same texts with a gap the loop reads instead (a space more,
 * which changes nothing else) give the same score and spans.
 */
static void test_usual_gaps(void **state)
{
    static const char *const texts[] = {
        "you. are. an. idiot", "f. u. c. k", "x, y, z, fuck, you", "what? idiot! moron; shit: ok",
        "@USER @USER you are #stupid", "@idiot @idiot @moron go", "so. Fuck. This. Shit. Now",
        "YOU. ARE. SO. STUPID, IDIOT! GO", "f, u, c, k; x: y? z! w",
        /* repeated mentions after " @" are skipped without the scan; after "  @" they are not */
        "@idiot @idiot @idiot", "@user @User @user's @users @user, ok @user @user",
        "@fuck @fuck @fuck @fuck @fuck you @fuck", "@a @a @a b", "@shit!! @shit!! @shit",
        "@user @users ok @user @user's x @idiot @idiots @idiot @idiot1 @ab @abc @ab @ab",

        "\xd1\x82\xd1\x8b, \xd1\x85\xd1\x83\xd0\xb9. \xd0\xb4\xd0\xb0", "!!! what!? no!!! yes? ok",
        "a. b. c. d. e. f. g. h. i. j. k. l. m. n. o. p. q. r. s. t. u. v. w. x. y. z. a. b. c. d",
    };
    fb_abuse_detector *d = new_detector();
    size_t i, k, j;
    (void)state;
    for (i = 0; i < sizeof texts / sizeof *texts; i++) {
        const char *t = texts[i];
        char wide[256];
        fb_text_span spans[16];
        fb_abuse_result usual = check(d, t), spaced;
        fb_error err;
        size_t at[256], n = 0;
        assert_true(usual.n_spans <= 16);
        if (usual.n_spans)
            memcpy(spans, usual.spans, usual.n_spans * sizeof *spans);
        /* a space more after each gap's first byte that is not a space, before a space */
        for (k = 0; t[k]; k++) {
            at[k] = n;
            wide[n++] = t[k];
            if (t[k + 1] == ' ' && t[k] != ' ' && strchr(".,;:?!", t[k]))
                wide[n++] = ' ';
            else if (t[k] == ' ' && (t[k + 1] == '@' || t[k + 1] == '#'))
                wide[n++] = ' ';
        }
        at[k] = n;
        assert_fb_ok(fb_abuse_check(d, wide, n, &spaced, &err), &err);
        assert_true(spaced.score == usual.score);
        assert_int_equal(spaced.n_spans, usual.n_spans);
        for (j = 0; j < usual.n_spans; j++) {
            assert_int_equal(spaced.spans[j].offset, at[spans[j].offset]);
            assert_int_equal(spaced.spans[j].offset + spaced.spans[j].length,
                             at[spans[j].offset + spans[j].length - 1] + 1);
            assert_int_equal(spaced.spans[j].category, spans[j].category);
        }
    }
    fb_abuse_detector_free(d);
}

static void test_allocation_failures(void **state)
{
    long fail;
    (void)state;

    for (fail = 1; fail < 200; fail++) {
        fb_test_alloc ta;
        fb_abuse_detector *d = NULL;
        fb_abuse_result r;
        fb_status st;
        fb_test_alloc_init(&ta, fail);
        st = fb_abuse_detector_new(&d, &ta.alloc, NULL);
        if (st != FB_OK) {
            assert_int_equal(st, FB_ERR_NOMEM);
            assert_null(d);
            continue;
        }
        st = fb_abuse_check(d, "fuck you, idiot!!! shit", 23, &r, NULL);
        assert_true(st == FB_OK || st == FB_ERR_NOMEM);
        if (st == FB_ERR_NOMEM)
            assert_int_equal(r.n_spans, 0);
        fb_abuse_detector_free(d);
        if (ta.calls < fail)
            break; /* every allocation has been failed once */
    }
    assert_true(fail < 200);
}

/* Every built-in lexicon entry is one term of the lexicon's alphabets. */
static void test_builtin_lexicon(void **state)
{
#define ENTRY(name, kind, category) {fb__lex_##name, &fb__lex_##name##_count, kind, category},
    static const fb__lex_list lists[] = {FB__LEX_LISTS(ENTRY)};
#undef ENTRY
    fb__lexicon lx;
    size_t i, j, total = 0;
    fb_abuse_detector *d = new_detector();
    (void)state;

    fb__lex_init(&lx, NULL);
    for (i = 0; i < sizeof lists / sizeof lists[0]; i++)
        for (j = 0; j < *lists[i].count; j++) {
            fb_error err;
            const char *w = lists[i].words[j];
            if (fb__lex_add(&lx, lists[i].kind, lists[i].category, w, strlen(w), &err) != FB_OK)
                fail_msg("built-in entry \"%s\": %s", w, err.message);
            total++;
        }
    assert_int_equal(d->lex.n, total);
    /* A word of a list matches itself. */
    assert_true(check(d, fb__lex_en_obscene_words[0]).abusive);
    fb__lex_free(&lx);
    fb_abuse_detector_free(d);
}

/* fb_text_mask */
static void expect_mask(const char *text, const fb_text_span *spans, size_t n, const char *want)
{
    char out[256];
    size_t out_len = 99;
    fb_error err;

    assert_fb_ok(fb_text_mask(text, strlen(text), spans, n, '*', out, sizeof out, &out_len, &err), &err);
    assert_int_equal(out_len, strlen(want));
    assert_memory_equal(out, want, out_len);
    assert_int_equal(fb__utf8_check(out, out_len), out_len);
}

static void test_mask(void **state)
{
    static const char text[] = "пиздец и хуй, fuck!";
    fb_text_span spans[3];
    fb_abuse_detector *d = new_detector();
    fb_abuse_result r;
    char buf[64], small[4];
    size_t out_len;
    fb_error err;
    (void)state;

    /* The spans of a check. */
    r = check(d, text);
    assert_int_equal(r.n_spans, 3);
    expect_mask(text, r.spans, r.n_spans, "****** и ***, ****!");
    /* Overlapping, in any order, empty, at the ends. */
    spans[0].offset = 2; spans[0].length = 6;   /* изд */
    spans[1].offset = 0; spans[1].length = 4;   /* пи */
    spans[2].offset = strlen(text); spans[2].length = 0;
    expect_mask(text, spans, 3, "****ец и хуй, fuck!");
    spans[0].offset = strlen(text) - 1; spans[0].length = 1;
    expect_mask(text, spans, 1, "пиздец и хуй, fuck*");
    expect_mask(text, NULL, 0, text);
    /* In place. */
    memcpy(buf, text, sizeof text);
    assert_fb_ok(fb_text_mask(buf, strlen(buf), r.spans, r.n_spans, '#', buf, sizeof buf, &out_len, &err), &err);
    assert_int_equal(out_len, strlen("###### и ###, ####!"));
    assert_memory_equal(buf, "###### и ###, ####!", out_len);
    /* Errors, with out untouched. */
    spans[0].offset = 1; spans[0].length = 2; /* inside п */
    memset(buf, 'x', sizeof buf);
    assert_fb_status(fb_text_mask(text, strlen(text), spans, 1, '*', buf, sizeof buf, &out_len, &err),
                     FB_ERR_INVALID_ARG, &err);
    assert_int_equal(buf[0], 'x');
    spans[0].offset = 4; spans[0].length = 100;
    assert_fb_status(fb_text_mask(text, strlen(text), spans, 1, '*', buf, sizeof buf, &out_len, &err),
                     FB_ERR_INVALID_ARG, &err);
    spans[0].offset = (size_t)-1; spans[0].length = 2; /* offset + length wraps */
    assert_fb_status(fb_text_mask(text, strlen(text), spans, 1, '*', buf, sizeof buf, &out_len, &err),
                     FB_ERR_INVALID_ARG, &err);
    assert_fb_status(fb_text_mask(text, strlen(text), r.spans, r.n_spans, (char)0xC3, buf, sizeof buf, &out_len,
                                  &err), FB_ERR_INVALID_ARG, &err);
    assert_fb_status(fb_text_mask(text, strlen(text), r.spans, r.n_spans, '*', small, sizeof small, &out_len, &err),
                     FB_ERR_INVALID_ARG, &err);
    assert_fb_status(fb_text_mask("ab\xff", 3, NULL, 0, '*', buf, sizeof buf, &out_len, &err), FB_ERR_UTF8, &err);
    assert_int_equal(err.offset, 2);
    assert_fb_status(fb_text_mask(text, strlen(text), NULL, 1, '*', buf, sizeof buf, &out_len, &err),
                     FB_ERR_INVALID_ARG, &err);
    assert_fb_status(fb_text_mask(text, strlen(text), NULL, 0, '*', buf, sizeof buf, NULL, &err),
                     FB_ERR_INVALID_ARG, &err);
    /* The exact size is enough. */
    assert_fb_ok(fb_text_mask("ab", 2, NULL, 0, '*', small, 2, &out_len, &err), &err);
    assert_fb_ok(fb_text_mask("", 0, NULL, 0, '*', NULL, 0, &out_len, &err), &err);
    assert_int_equal(out_len, 0);
    fb_abuse_detector_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scunthorpe),
        cmocka_unit_test(test_plain_obscenity),
        cmocka_unit_test(test_obfuscated),
        cmocka_unit_test(test_lookalikes_stay_in_their_script),
        cmocka_unit_test(test_span_offsets),
        cmocka_unit_test(test_character_offsets),
        cmocka_unit_test(test_categories),
        cmocka_unit_test(test_worst_part),
        cmocka_unit_test(test_model_ranks),
        cmocka_unit_test(test_add),
        cmocka_unit_test(test_threshold),
        cmocka_unit_test(test_invalid_input),
        cmocka_unit_test(test_random_bytes),
        cmocka_unit_test(test_long_text),
        cmocka_unit_test(test_repeated_mentions),
        cmocka_unit_test(test_wide_words),
        cmocka_unit_test(test_usual_gaps),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_builtin_lexicon),
        cmocka_unit_test(test_mask),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
