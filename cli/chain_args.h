/*
 * The relevance chain as the commands that use one (filter, alerts, report
 * --relevant) take it from the command line: the default filters, their
 * policies' few options, and --drop/--flag/--keep to set what a reason does.
 */
#ifndef FBC_CHAIN_ARGS_H
#define FBC_CHAIN_ARGS_H

#include <stdbool.h>
#include <stdio.h>

#include <feedback/feedback.h>

#include "args.h"

/* The values of the chain's options, pointers into argv. */
typedef struct fbc_chain_args {
    const char *drop, *flag, *keep;   /* lists of reason names */
    const char *now;                  /* recency: the time ages are measured to */
    const char *max_age, *max_delay;  /* recency: days */
    const char *threshold;            /* abuse: the score from which a text is abusive */
    int require_verified;
} fbc_chain_args;

/* How many options fbc_chain_options adds. */
#define FBC_CHAIN_OPTIONS 8

/* Clears a and writes its FBC_CHAIN_OPTIONS options, bound to a, at opts. */
void fbc_chain_options(fbc_chain_args *a, fbc_option *opts);

/* Whether any of the chain's options was given. */
bool fbc_chain_given(const fbc_chain_args *a);

/* The options' help, for a command's --help. */
void fbc_chain_help(FILE *out);

/*
 * Makes the default chain with a's policies and actions into *out. Returns
 * 0, or 2 after a usage error headed by prog, or 3 after a failure.
 */
int fbc_chain_build(const char *prog, const fbc_chain_args *a, fb_filter_chain **out);

/* "abusive,stale": the names of the reasons in bits, into buf. */
void fbc_reasons_text(uint32_t bits, char *buf, size_t size);

#endif
