/*
 * The world fb-generate draws from: the time span, countries, products,
 * plans, how customers, channels, answers and invitations are distributed.
 * Weights are relative; per-mille values are out of 1000.
 */
#ifndef FB_GENERATE_WORLD_H
#define FB_GENERATE_WORLD_H

#include <feedback/feedback.h>

#define START_S 1746057600LL /* 2025-05-01T00:00:00Z */
#define DAYS 549             /* up to 2026-10-31T23:59:59Z */
#define DAY_S 86400LL
#define ROUGH_FROM 1769904000LL /* February 2026: an outage, more detractors */
#define ROUGH_TO 1772323200LL
#define ID_BASE 100000ULL /* record ids are ID_BASE + 1, + 2, ... in time order */
#define N_AGENTS 40

typedef struct country_info {
    const char *code;
    int weight;
    bool russian;         /* customers there mostly write in Russian */
    const char *currency;
    const char *city;     /* store codes */
} country_info;

static const country_info COUNTRIES[] = {
    {"RU", 400, true, "RUB", "msk"}, {"US", 140, false, "USD", "nyc"},
    {"GB", 80, false, "GBP", "lon"}, {"DE", 70, false, "EUR", "ber"},
    {"KZ", 90, true, "KZT", "ala"},  {"BY", 40, true, "BYN", "msq"},
    {"FR", 30, false, "EUR", "par"}, {"NL", 20, false, "EUR", "ams"},
    {"AM", 20, true, "AMD", "evn"},  {"UZ", 30, true, "UZS", "tas"},
    {"IN", 30, false, "INR", "blr"}, {"AE", 20, false, "AED", "dxb"},
    {"TR", 20, false, "TRY", "ist"}, {"PL", 10, false, "PLN", "waw"}};

static const char *const PRODUCTS[] = {"home-internet", "mobile", "tv",
                                       "online-store",  "delivery", "premium"};
static const int PRODUCT_WEIGHTS[] = {250, 250, 100, 200, 150, 50};
#define PRODUCT_STORE 3
#define PRODUCT_DELIVERY 4

static const char *const PLANS[] = {"basic", "standard", "pro", "family", "business"};
static const int PLAN_WEIGHTS[] = {35, 30, 15, 12, 8};

/* Customer statuses, indexed by fb_customer_status: how common, how often verified. */
static const int STATUS_WEIGHTS[] = {50, 800, 50, 35, 25, 40};
static const int STATUS_VERIFIED_PM[] = {0, 960, 900, 400, 100, 0};

static const char *const DEPARTMENTS[] = {"support-l2", "billing", "logistics", "retention",
                                          "network-ops"};

/* What customers give feedback at which hour (UTC), roughly. */
static const int HOUR_WEIGHTS[24] = {4, 3, 2, 2, 3, 5, 8, 12, 15, 16, 16, 15,
                                     14, 14, 14, 14, 15, 16, 17, 17, 15, 12, 9, 6};

/* Sets of answers a record carries. */
#define A_NPS 1u
#define A_CSAT 2u
#define A_CES 4u
#define A_CLI 8u /* the three loyalty questions */
#define A_GCR 16u
#define A_RATING 32u
#define A_CUSTOM 64u

typedef struct answer_set {
    unsigned mask; /* 0: a comment only */
    int weight;
} answer_set;

typedef struct channel_profile {
    int weight;       /* share of responses, per mille */
    int indirect_pm;  /* chance the feedback was found rather than asked for */
    int text_pm;      /* chance of a comment besides answers */
    int max_length;   /* 0: short comments only, 1: up to a few sentences, 2: up to long */
    int agent_pm;     /* chance an agent served the customer */
    int ticket_pm;    /* chance of a service-desk ticket */
    answer_set sets[6];
} channel_profile;

/* Indexed by fb_channel. */
static const channel_profile CHANNELS[18] = {
    /* other */ {5, 0, 600, 1, 0, 0, {{0, 50}, {A_NPS, 50}}},
    /* web_form */
    {170, 0, 600, 2, 0, 0,
     {{A_NPS, 45}, {A_NPS | A_CSAT | A_CES, 20}, {A_CSAT, 15}, {A_NPS | A_CLI, 8},
      {A_CSAT | A_CUSTOM, 7}, {A_GCR, 5}}},
    /* mobile_app */
    {140, 0, 400, 1, 0, 0, {{A_RATING, 40}, {A_NPS, 30}, {A_GCR, 20}, {A_CSAT | A_GCR, 10}}},
    /* email */
    {150, 0, 600, 2, 300, 200,
     {{A_NPS, 50}, {A_NPS | A_CSAT | A_CES, 25}, {A_NPS | A_CLI, 10}, {A_NPS | A_CUSTOM, 10},
      {0, 5}}},
    /* sms */ {50, 0, 350, 0, 0, 0, {{A_NPS, 80}, {A_CSAT, 20}}},
    /* messenger */ {40, 0, 500, 1, 700, 0, {{A_CSAT, 50}, {A_NPS, 50}}},
    /* phone_operator */ {50, 0, 300, 1, 1000, 100, {{A_CSAT, 60}, {A_NPS, 40}}},
    /* phone_robot */ {30, 0, 100, 0, 0, 0, {{A_NPS, 60}, {A_CSAT, 40}}},
    /* qr_code */ {25, 0, 400, 1, 0, 0, {{A_CSAT, 50}, {A_RATING, 50}}},
    /* kiosk */ {15, 0, 150, 0, 0, 0, {{A_CSAT, 100}}},
    /* review_site */ {40, 900, 850, 2, 0, 0, {{A_RATING, 85}, {0, 15}}},
    /* maps */ {30, 900, 850, 1, 0, 0, {{A_RATING, 95}, {0, 5}}},
    /* social_network */ {30, 900, 1000, 2, 0, 0, {{0, 90}, {A_RATING, 10}}},
    /* forum */ {10, 900, 1000, 2, 0, 0, {{0, 100}}},
    /* chat */ {70, 0, 400, 1, 1000, 100, {{A_CSAT, 70}, {A_CSAT | A_CES, 30}}},
    /* survey */
    {20, 0, 500, 2, 0, 0, {{A_NPS | A_CSAT | A_CES, 50}, {A_NPS | A_CLI, 25}, {A_NPS, 25}}},
    /* focus_group */ {5, 0, 1000, 2, 0, 0, {{A_NPS | A_CLI, 50}, {0, 50}}},
    /* service_desk */ {120, 0, 450, 1, 1000, 1000, {{A_CSAT, 60}, {A_CSAT | A_CES, 40}}},
};

/* Channels that send survey invitations. */
static const fb_channel INVITE_CHANNELS[] = {FB_CHANNEL_EMAIL, FB_CHANNEL_SMS, FB_CHANNEL_MESSENGER,
                                             FB_CHANNEL_MOBILE_APP};
static const int INVITE_WEIGHTS[] = {50, 30, 10, 10};
static const char *const INVITE_TRIGGERS[] = {"post_purchase", "post_ticket", "relationship",
                                              "onboarding"};

typedef struct custom_question {
    const char *name;
    int min, max;
} custom_question;

static const custom_question CUSTOM_QUESTIONS[] = {
    {"delivery_speed", 1, 10}, {"value_for_money", 1, 5}, {"app_stability", 0, 100}};

#endif
