/*
 * abuse_hunt: the false-positive hunt of the abusive-content detector
 * (docs/FILTERS.md). Runs every word of each dictionary through
 * fb_abuse_check, alone, and lists what fires: the words judged abusive, and
 * why (the lexicon's category, or the model's score).
 *
 *   abuse_hunt [--list] [--max N] DICT...
 *
 * A dictionary is a file of one word a line (Debian's word lists, or the
 * Russian word forms unmunch expands from hunspell-ru); a line that is not
 * valid UTF-8 is counted apart and skipped, as is the rest of a line after
 * a '/' (hunspell flags). --list prints each firing word; --max N exits 1
 * when more than N words of any dictionary fire, for the test that keeps
 * the count where docs/FILTERS.md says (DICT=N sets a bound for one).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feedback/text.h"

static const char *category_name(unsigned c)
{
    if (c & FB_ABUSE_OBSCENITY)
        return "obscenity";
    if (c & FB_ABUSE_INSULT)
        return "insult";
    if (c & FB_ABUSE_THREAT)
        return "threat";
    return "model";
}

int main(int argc, char **argv)
{
    fb_abuse_detector *d;
    bool list = false;
    long max = -1;
    int a, failed = 0;

    if (fb_abuse_detector_new(&d, NULL, NULL) != FB_OK) {
        fprintf(stderr, "abuse_hunt: out of memory\n");
        return 2;
    }
    printf("| dictionary | words | fire | by the lexicon | by the model alone | not UTF-8 |\n|---|---|---|---|---|---|\n");
    for (a = 1; a < argc; a++) {
        char line[4096], path[4096];
        const char *eq;
        FILE *f;
        unsigned long words = 0, fired = 0, lexicon = 0, bad = 0;
        long bound = max;

        if (!strcmp(argv[a], "--list")) {
            list = true;
            continue;
        }
        if (!strcmp(argv[a], "--max") && a + 1 < argc) {
            max = atol(argv[++a]);
            continue;
        }
        /* DICT=N: a bound for this dictionary. */
        snprintf(path, sizeof path, "%s", argv[a]);
        if ((eq = strrchr(argv[a], '=')) != NULL && eq[1] >= '0' && eq[1] <= '9') {
            path[eq - argv[a]] = 0;
            bound = atol(eq + 1);
        }
        if (!(f = fopen(path, "rb"))) {
            fprintf(stderr, "abuse_hunt: cannot open %s\n", path);
            failed = 1;
            continue;
        }
        while (fgets(line, sizeof line, f)) {
            size_t len = strcspn(line, "/\r\n");
            fb_abuse_result r;
            fb_status st;
            if (len == 0)
                continue;
            words++;
            st = fb_abuse_check(d, line, len, &r, NULL);
            if (st == FB_ERR_UTF8) {
                bad++;
                continue;
            }
            if (st != FB_OK) {
                fprintf(stderr, "abuse_hunt: %s\n", fb_status_str(st));
                return 2;
            }
            if (!r.abusive)
                continue;
            fired++;
            lexicon += (r.categories & (FB_ABUSE_OBSCENITY | FB_ABUSE_INSULT | FB_ABUSE_THREAT)) != 0 &&
                       r.n_spans > 0;
            if (list)
                fprintf(stderr, "%s\t%.*s\t%s\t%.3f\n", path, (int)len, line,
                        r.n_spans ? category_name(r.categories) : "model", r.score);
        }
        fclose(f);
        printf("| %s | %lu | %lu | %lu | %lu | %lu |\n", path, words, fired, lexicon, fired - lexicon, bad);
        if (bound >= 0 && (long)fired > bound) {
            fprintf(stderr, "abuse_hunt: %s: %lu words fire, more than the %ld accepted (docs/FILTERS.md)\n",
                    path, fired, bound);
            failed = 1;
        }
    }
    fb_abuse_detector_free(d);
    return failed;
}
