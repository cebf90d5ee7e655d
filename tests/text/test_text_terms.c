#include "fb_test.h"

#include "utf8.h"

/* The generated stop word array (cmake/embed_words.cmake), to check the lists themselves. */
extern const char *const fb__stop_words[];
extern const size_t fb__stop_words_count;
extern const size_t fb__stop_words_max_len;

#define MAX_TERMS 32

typedef struct got_term {
    char folded[FB_TERM_MAX + 1];
    size_t folded_len, offset, length;
} got_term;

/* All the terms of text[0..len), checking what must hold of every term. */
static size_t collect(const char *text, size_t len, unsigned flags, got_term *out, size_t max)
{
    fb_text_terms it;
    fb_term term;
    size_t n = 0, prev_end = 0;

    fb_text_terms_init(&it, text, len, flags);
    while (fb_text_terms_next(&it, &term)) {
        assert_true(term.folded_len > 0 && term.folded_len <= FB_TERM_MAX);
        assert_int_equal(strlen(term.folded), term.folded_len);
        assert_int_equal(fb__utf8_check(term.folded, term.folded_len), term.folded_len);
        assert_true(term.offset >= prev_end);
        assert_true(term.length > 0 && term.offset + term.length <= len);
        assert_int_equal(fb__utf8_check(text + term.offset, term.length), term.length);
        prev_end = term.offset + term.length;
        if (n < max) {
            memcpy(out[n].folded, term.folded, term.folded_len + 1);
            out[n].folded_len = term.folded_len;
            out[n].offset = term.offset;
            out[n].length = term.length;
        }
        n++;
    }
    /* The end stays the end. */
    assert_false(fb_text_terms_next(&it, &term));
    return n;
}

/*
 * Checks the terms of text: want is a NULL-terminated list alternating the
 * folded term and the bytes of text it must span.
 */
static void expect_terms(const char *text, unsigned flags, const char *const *want)
{
    got_term got[MAX_TERMS];
    size_t n = collect(text, strlen(text), flags, got, MAX_TERMS), i;
    size_t n_want = 0;

    while (want[2 * n_want])
        n_want++;
    if (n != n_want)
        fail_msg("\"%s\": %lu terms, expected %lu (first: \"%s\")", text, (unsigned long)n,
                 (unsigned long)n_want, n ? got[0].folded : "");
    for (i = 0; i < n; i++) {
        const char *folded = want[2 * i], *span = want[2 * i + 1];
        if (strcmp(got[i].folded, folded) != 0)
            fail_msg("\"%s\", term %lu: \"%s\", expected \"%s\"", text, (unsigned long)i,
                     got[i].folded, folded);
        if (got[i].length != strlen(span) || memcmp(text + got[i].offset, span, got[i].length) != 0)
            fail_msg("\"%s\", term %lu spans \"%.*s\", expected \"%s\"", text, (unsigned long)i,
                     (int)got[i].length, text + got[i].offset, span);
    }
}

/* The terms of text, each spanning exactly its own bytes of text unfolded. */
#define EXPECT(text, ...)                                                   \
    do {                                                                    \
        static const char *const want_[] = {__VA_ARGS__, NULL};             \
        expect_terms(text, 0, want_);                                       \
    } while (0)

static size_t count_terms(const char *text, size_t len, unsigned flags)
{
    got_term got[1];
    return collect(text, len, flags, got, 0);
}

/* The one folded term of text. */
static void expect_one(const char *text, const char *folded)
{
    got_term got[2];
    size_t n = collect(text, strlen(text), 0, got, 2);
    if (n != 1)
        fail_msg("\"%s\": %lu terms, expected one", text, (unsigned long)n);
    if (strcmp(got[0].folded, folded) != 0)
        fail_msg("\"%s\" folds to \"%s\", expected \"%s\"", text, got[0].folded, folded);
    assert_int_equal(got[0].offset, 0);
    assert_int_equal(got[0].length, strlen(text));
}

static void test_empty_text(void **state)
{
    fb_text_terms it;
    fb_term term;
    (void)state;
    fb_text_terms_init(&it, NULL, 0, 0);
    assert_false(fb_text_terms_next(&it, &term));
    fb_text_terms_init(&it, "", 0, FB_TERMS_SKIP_STOP_WORDS);
    assert_false(fb_text_terms_next(&it, &term));
    assert_int_equal(count_terms(" \t\r\n.,;!?()[]{}\"", 17, 0), 0);
}

static void test_folding(void **state)
{
    (void)state;
    /* ASCII, mixed case */
    expect_one("iPhone", "iphone");
    expect_one("HELLO", "hello");
    /* Cyrillic: Russian, ё to е */
    expect_one("ПРИВЕТ", "привет");
    expect_one("Ёлка", "елка");
    expect_one("ЕЩЁ", "еще");
    expect_one("всё", "все");
    expect_one("АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ", "абвгдежзийклмнопрстуфхцчшщъыьэюя");
    /* Ukrainian and Belarusian */
    expect_one("ЇЖАК", "їжак");
    expect_one("ЄВРОПА", "європа");
    expect_one("ІРИНА", "ірина");
    expect_one("Ґанок", "ґанок");
    expect_one("ЎСЁ", "ўсе");
    /* Ѐ..Џ to ѐ..џ */
    expect_one("\xd0\x80\xd0\x82\xd0\x8f", "\xd1\x90\xd1\x92\xd1\x9f");
    /* paired letters of U+0460..U+04FF and the supplement */
    expect_one("\xd1\xa2", "\xd1\xa3");         /* Ѣ ѣ U+0462 */
    expect_one("\xd2\x90", "\xd2\x91");         /* Ґ ґ U+0490 */
    expect_one("\xd3\x80", "\xd3\x8f");         /* Ӏ ӏ U+04C0 U+04CF */
    expect_one("\xd3\x81\xd3\x82", "\xd3\x82\xd3\x82"); /* Ӂ ӂ U+04C1 U+04C2 */
    expect_one("\xd3\x90", "\xd3\x91");         /* Ӑ ӑ U+04D0 */
    expect_one("\xd3\xb8", "\xd3\xb9");         /* Ӹ ӹ U+04F8 */
    expect_one("\xd4\x80", "\xd4\x81");         /* Ԁ ԁ U+0500 */
    /* Latin-1: capitals down, ß and the small letters stay, × is no letter */
    expect_one("ÉCOLE", "école");
    expect_one("Straße", "straße");
    expect_one("ÀÖØÞ", "àöøþ");
    expect_one("ÿ", "ÿ");
    EXPECT("A×B", "a", "A", "b", "B");
    /* Latin Extended-A */
    expect_one("ŁÓDŹ", "łódź");
    expect_one("ČEŠTINA", "čeština");
    expect_one("İSTANBUL", "istanbul");
    expect_one("Ÿ", "ÿ");
    expect_one("ĲSSEL", "ĳssel");
    /* Greek and other scripts are letters, not folded */
    expect_one("ΑΒΓ", "ΑΒΓ");
    expect_one("Ոսկի", "Ոսկի");
    expect_one("日本語", "日本語");
    /* combining marks stay inside a term, never start one */
    expect_one("e\xcc\x81t\xcc\x81", "e\xcc\x81t\xcc\x81");
    EXPECT("\xcc\x81x", "x", "x");
}

/* Folding twice changes nothing, for every letter of the two-byte range and a stretch of the three-byte one. */
static void test_folding_is_idempotent(void **state)
{
    unsigned long cp;
    (void)state;
    for (cp = 0x41; cp < 0x3400; cp++) {
        char text[8], again[FB_TERM_MAX + 1];
        size_t n = fb__utf8_encode(cp, text);
        got_term got[2];
        if (n == 0)
            continue;
        text[n] = '\0';
        if (collect(text, n, 0, got, 2) != 1)
            continue;
        memcpy(again, got[0].folded, got[0].folded_len + 1);
        if (collect(again, strlen(again), 0, got, 2) != 1 || strcmp(got[0].folded, again) != 0)
            fail_msg("U+%04lX folds to \"%s\", which folds on to \"%s\"", cp, again, got[0].folded);
    }
}

static void test_apostrophes_and_hyphens(void **state)
{
    (void)state;
    EXPECT("don't", "don't", "don't");
    EXPECT("DON\xe2\x80\x99T", "don't", "DON\xe2\x80\x99T"); /* U+2019 folds to ' */
    EXPECT("'quoted'", "quoted", "quoted");
    EXPECT("\xe2\x80\x99quoted\xe2\x80\x99", "quoted", "quoted");
    EXPECT("кто-то", "кто-то", "кто-то");
    EXPECT("КТО\xe2\x80\x90ТО", "кто-то", "КТО\xe2\x80\x90ТО");     /* U+2010 */
    EXPECT("e\xe2\x80\x91mail", "e-mail", "e\xe2\x80\x91mail");     /* U+2011 */
    EXPECT("м\xca\xbcясо", "м'ясо", "м\xca\xbcясо");                 /* U+02BC */
    EXPECT("-dash-", "dash", "dash");
    EXPECT("rock'n'roll", "rock'n'roll", "rock'n'roll");
    EXPECT("a--b", "a", "a", "b", "b");
    EXPECT("don''t", "don", "don", "t", "t");
    EXPECT("well- known", "well", "well", "known", "known");
    EXPECT("end'", "end", "end");
    EXPECT("covid-19", "covid-19", "covid-19");
    EXPECT("l'été", "l'été", "l'été");
    /* an em dash and a left quotation mark are separators, not joiners */
    EXPECT("yes\xe2\x80\x94no", "yes", "yes", "no", "no");
    EXPECT("it\xe2\x80\x98s", "it", "it", "s", "s");
    assert_int_equal(count_terms("'", 1, 0), 0);
    assert_int_equal(count_terms("-'-", 3, 0), 0);
}

static void test_digits(void **state)
{
    (void)state;
    assert_int_equal(count_terms("2024", 4, 0), 0);
    assert_int_equal(count_terms("142,460", 7, 0), 0);
    assert_int_equal(count_terms("3.14 1-2 10'000", 15, 0), 0);
    assert_int_equal(count_terms("\xd9\xa2\xd9\xa0", 4, 0), 0);                 /* Arabic-Indic ٢٠ */
    assert_int_equal(count_terms("\xef\xbc\x92\xef\xbc\x90", 6, 0), 0);         /* fullwidth ２０ */
    EXPECT("covid19", "covid19", "covid19");
    EXPECT("COVID19", "covid19", "COVID19");
    EXPECT("в 2024г", "в", "в", "2024г", "2024г");
    EXPECT("19-й век", "19-й", "19-й", "век", "век");
    EXPECT("42 x 7", "x", "x");
}

static void test_separators(void **state)
{
    (void)state;
    EXPECT("отлично👍сервис", "отлично", "отлично", "сервис", "сервис");
    EXPECT("good!!!bad", "good", "good", "bad", "bad");
    EXPECT("a\xe2\x80\x8d" "b", "a", "a", "b", "b");       /* ZWJ */
    EXPECT("❤️love", "love", "love");                       /* U+2764 U+FE0F */
    EXPECT("ok👍🏽ok", "ok", "ok", "ok", "ok");              /* skin tone modifier */
    EXPECT("заказ №123", "заказ", "заказ");
    EXPECT("«Кавычки»", "кавычки", "Кавычки");
    EXPECT("a\xc2\xa0" "b", "a", "a", "b", "b");            /* NBSP */
    EXPECT("x@y.com", "x", "x", "y", "y", "com", "com");
    EXPECT("tab\tnew\nline", "tab", "tab", "new", "new", "line", "line");
    EXPECT("5€ 3→4 a≠b", "a", "a", "b", "b");
    EXPECT("你好，世界。", "你好", "你好", "世界", "世界");
    EXPECT("مرحبا، عالم", "مرحبا", "مرحبا", "عالم", "عالم");
    EXPECT("\xef\xbb\xbfhello", "hello", "hello");          /* BOM */
    EXPECT("a\xef\xbf\xbd" "b", "a", "a", "b", "b");        /* U+FFFD */
    EXPECT("a\xee\x80\x80" "b", "a", "a", "b", "b");        /* private use */
}

static void test_offsets_point_into_the_text(void **state)
{
    const char *text = "  «Ёлка» don’t, КТО-ТО! 2024 Ok";
    got_term got[8];
    size_t n = collect(text, strlen(text), 0, got, 8);
    (void)state;
    assert_int_equal(n, 4);
    assert_int_equal(got[0].offset, 4); /* two spaces and « (two bytes) */
    assert_memory_equal(text + got[0].offset, "Ёлка", got[0].length);
    assert_int_equal(got[0].length, strlen("Ёлка"));
    assert_string_equal(got[0].folded, "елка");
    assert_memory_equal(text + got[1].offset, "don’t", got[1].length);
    assert_int_equal(got[1].length, 7);
    assert_string_equal(got[1].folded, "don't");
    assert_int_equal(got[1].folded_len, 5);
    assert_memory_equal(text + got[2].offset, "КТО-ТО", got[2].length);
    assert_int_equal(got[2].length, strlen("КТО-ТО"));
    assert_int_equal(got[3].offset, strlen(text) - 2);
    assert_int_equal(got[3].length, 2);
    assert_string_equal(got[3].folded, "ok");
}

static void test_invalid_utf8_separates(void **state)
{
    (void)state;
    EXPECT("abc\xff" "def", "abc", "abc", "def", "def");
    EXPECT("пр\xd0ивет", "пр", "пр", "ивет", "ивет");     /* a lead byte without its continuation */
    EXPECT("a\xc0\xaf" "b", "a", "a", "b", "b");           /* overlong */
    EXPECT("a\xed\xa0\x80" "b", "a", "a", "b", "b");       /* surrogate */
    EXPECT("a\xe2\x82" "b", "a", "a", "b", "b");           /* truncated three-byte */
    EXPECT("a\xf4\x90\x80\x80" "b", "a", "a", "b", "b");   /* above U+10FFFF */
    EXPECT("a\x80\x80" "b", "a", "a", "b", "b");           /* lone continuations */
    EXPECT("end\xd0", "end", "end");                       /* cut at the end */
    EXPECT("don'\xff", "don", "don");
}

/* Every byte alone and between two letters. */
static void test_every_single_byte(void **state)
{
    unsigned b;
    (void)state;
    for (b = 0; b < 256; b++) {
        char one[1], three[3];
        got_term got[3];
        size_t n;
        int letter = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
        int digit = b >= '0' && b <= '9';
        one[0] = (char)b;
        n = collect(one, 1, 0, got, 3);
        assert_int_equal(n, letter ? 1 : 0);
        if (letter) {
            assert_int_equal(got[0].folded[0], (char)(b | 0x20));
            assert_int_equal(got[0].length, 1);
        }
        three[0] = 'q';
        three[1] = (char)b;
        three[2] = 'z';
        n = collect(three, 3, 0, got, 3);
        if (letter || digit || b == '\'' || b == '-') {
            if (n != 1 || got[0].length != 3)
                fail_msg("byte 0x%02x between letters: %lu terms", b, (unsigned long)n);
        } else if (n != 2 || strcmp(got[0].folded, "q") != 0 || strcmp(got[1].folded, "z") != 0) {
            fail_msg("byte 0x%02x does not separate", b);
        }
    }
}

/* Random bytes and random pieces of text: never a crash, and every term sound (collect checks it). */
static void test_random_bytes(void **state)
{
    static const char *const pieces[] = {"a", "Z", "9", "'", "-", " ", "Ё", "ж", "É", "ß",
                                         "\xe2\x80\x99", "\xe2\x80\x90", "👍", "\xcc\x81",
                                         "\xff", "\xd0", "\xe2\x82", "\xf0\x9f\x98", "\x80"};
    uint32_t rng = 2024;
    unsigned char buf[200];
    int round;
    (void)state;
    for (round = 0; round < 100000; round++) {
        size_t len = 0, k;
        rng = rng * 1103515245u + 12345u;
        if (round & 1) { /* bytes */
            len = (rng >> 16) % 150;
            for (k = 0; k < len; k++) {
                rng = rng * 1103515245u + 12345u;
                buf[k] = (unsigned char)(rng >> 23);
            }
        } else { /* pieces: long runs cross FB_TERM_MAX */
            size_t want = (rng >> 16) % 190;
            while (len < want) {
                const char *p;
                rng = rng * 1103515245u + 12345u;
                p = pieces[(rng >> 16) % (sizeof pieces / sizeof pieces[0])];
                memcpy(buf + len, p, strlen(p));
                len += strlen(p);
            }
        }
        (void)count_terms((const char *)buf, len, round % 3 == 0 ? FB_TERMS_SKIP_STOP_WORDS : 0);
    }
}

static void test_long_terms_are_cut_at_a_character(void **state)
{
    char text[256], want[256];
    got_term got[2];
    size_t n, i;
    (void)state;

    /* 100 ASCII letters: 64 kept, the span is all 100 */
    memset(text, 'A', 100);
    strcpy(text + 100, " next");
    n = collect(text, strlen(text), 0, got, 2);
    assert_int_equal(n, 2);
    memset(want, 'a', FB_TERM_MAX);
    want[FB_TERM_MAX] = '\0';
    assert_string_equal(got[0].folded, want);
    assert_int_equal(got[0].folded_len, FB_TERM_MAX);
    assert_int_equal(got[0].offset, 0);
    assert_int_equal(got[0].length, 100);
    assert_string_equal(got[1].folded, "next");
    assert_int_equal(got[1].offset, 101);

    /* exactly FB_TERM_MAX bytes: whole */
    memset(text, 'b', FB_TERM_MAX);
    n = collect(text, FB_TERM_MAX, 0, got, 2);
    assert_int_equal(n, 1);
    assert_int_equal(got[0].folded_len, FB_TERM_MAX);

    /* "x" and 40 "Я": 1 + 31 * 2 = 63 bytes fit, the 32nd letter would not */
    text[0] = 'x';
    for (i = 0; i < 40; i++)
        memcpy(text + 1 + 2 * i, "Я", 2);
    n = collect(text, 81, 0, got, 2);
    assert_int_equal(n, 1);
    assert_int_equal(got[0].folded_len, 63);
    assert_int_equal(got[0].length, 81);
    assert_memory_equal(got[0].folded, "xя", 3);
    assert_memory_equal(got[0].folded + 61, "я", 2);

    /* a joiner goes with the letter after it: 63 letters and "-b" keep 63, 62 and "-b" keep all */
    memset(text, 'c', 63);
    memcpy(text + 63, "-b", 2);
    n = collect(text, 65, 0, got, 2);
    assert_int_equal(n, 1);
    assert_int_equal(got[0].folded_len, 63);
    assert_int_equal(got[0].folded[62], 'c');
    assert_int_equal(got[0].length, 65);
    n = collect(text + 1, 64, 0, got, 2);
    assert_int_equal(n, 1);
    assert_int_equal(got[0].folded_len, 64);
    assert_memory_equal(got[0].folded + 61, "c-b", 3);

    /* a long run of emoji-free three-byte letters: cut after 21 of them (63 bytes) */
    for (i = 0; i < 30; i++)
        memcpy(text + 3 * i, "語", 3);
    n = collect(text, 90, 0, got, 2);
    assert_int_equal(n, 1);
    assert_int_equal(got[0].folded_len, 63);
    assert_int_equal(got[0].length, 90);
}

static void test_stop_words_flag(void **state)
{
    (void)state;
    {
        static const char *const all[] = {"i", "I", "don't", "don't", "like", "like", "the", "the",
                                          "app", "app", "it", "it", "is", "is", "not", "not",
                                          "working", "working", "never", "Never", NULL};
        static const char *const kept[] = {"don't", "don't", "like", "like", "app", "app",
                                           "not", "not", "working", "working", "never", "Never",
                                           NULL};
        const char *text = "I don't like the app, it is not working. Never!";
        expect_terms(text, 0, all);
        expect_terms(text, FB_TERMS_SKIP_STOP_WORDS, kept);
    }
    {
        static const char *const kept[] = {"не", "не", "очень", "очень", "хорошо", "хорошо",
                                           "не", "не", "приду", "приду", "нельзя", "нельзя",
                                           "дозвониться", "дозвониться", NULL};
        const char *text = "Это всё не очень хорошо, и я больше не приду: ЕЩЁ и нельзя дозвониться";
        assert_int_equal(count_terms(text, strlen(text), 0), 14);
        expect_terms(text, FB_TERMS_SKIP_STOP_WORDS, kept);
    }
    {
        static const char *const kept[] = {"заказ", "заказ", NULL};
        expect_terms("Из-за того, что-то заказ", FB_TERMS_SKIP_STOP_WORDS, kept);
    }
}

static void test_is_stop_word(void **state)
{
    static const char *const yes[] = {"a", "the", "and", "i", "i'm", "it's", "let's", "you",
                                      "with", "about", "и", "в", "что", "все", "еще", "ее",
                                      "из-за", "что-то", "я", "есть", "между", "будет"};
    static const char *const no[] = {"", "xyz", "th", "thee", "an'", "not", "no", "never",
                                     "nor", "don't", "can't", "good", "bad", "love", "The",
                                     "не", "нет", "ни", "никогда", "ничего", "нельзя", "хорошо",
                                     "плохо", "лучше", "всё", "ещё", "Что", "aaaaaaaaaaaaaaaaa"};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (!fb_text_is_stop_word(yes[i], strlen(yes[i])))
            fail_msg("\"%s\" is not a stop word", yes[i]);
    for (i = 0; i < sizeof no / sizeof no[0]; i++)
        if (fb_text_is_stop_word(no[i], strlen(no[i])))
            fail_msg("\"%s\" is a stop word", no[i]);
    /* explicit lengths: a prefix, a word with a NUL after it, NULL */
    assert_true(fb_text_is_stop_word("there", 3));  /* "the" */
    assert_false(fb_text_is_stop_word("the\0", 4));
    assert_false(fb_text_is_stop_word("a\0b", 3));
    assert_false(fb_text_is_stop_word(NULL, 0));
}

/* The built-in lists: sorted, each word once, each a folded term of its own. */
static void test_builtin_lists(void **state)
{
    size_t i, longest = 0;
    (void)state;
    assert_true(fb__stop_words_count > 300 && fb__stop_words_count < 500);
    for (i = 0; i < fb__stop_words_count; i++) {
        const char *w = fb__stop_words[i];
        got_term got[2];
        size_t n = collect(w, strlen(w), 0, got, 2);
        if (strlen(w) > longest)
            longest = strlen(w);
        if (i > 0 && strcmp(fb__stop_words[i - 1], w) >= 0)
            fail_msg("\"%s\" comes after \"%s\"", w, fb__stop_words[i - 1]);
        if (n != 1 || strcmp(got[0].folded, w) != 0 || got[0].length != strlen(w))
            fail_msg("the stop word \"%s\" is not one folded term", w);
        if (!fb_text_is_stop_word(w, strlen(w)))
            fail_msg("\"%s\" is not found", w);
        if (count_terms(w, strlen(w), FB_TERMS_SKIP_STOP_WORDS) != 0)
            fail_msg("\"%s\" is not skipped", w);
    }
    assert_int_equal(longest, fb__stop_words_max_len);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_text),
        cmocka_unit_test(test_folding),
        cmocka_unit_test(test_folding_is_idempotent),
        cmocka_unit_test(test_apostrophes_and_hyphens),
        cmocka_unit_test(test_digits),
        cmocka_unit_test(test_separators),
        cmocka_unit_test(test_offsets_point_into_the_text),
        cmocka_unit_test(test_invalid_utf8_separates),
        cmocka_unit_test(test_every_single_byte),
        cmocka_unit_test(test_random_bytes),
        cmocka_unit_test(test_long_terms_are_cut_at_a_character),
        cmocka_unit_test(test_stop_words_flag),
        cmocka_unit_test(test_is_stop_word),
        cmocka_unit_test(test_builtin_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
