/*
 * What the encoder and the decoder need to know about each column of a data
 * chunk (ids and encodings in log_format.h): its name for messages, what it
 * holds one value per, how its values are encoded, and which FB_LOG_FIELD_*
 * projection decodes it.
 */
#ifndef FB_LOG_COLUMNS_H
#define FB_LOG_COLUMNS_H

#include <stdint.h>

#include "log_format.h"

/* What a column holds one value per. */
typedef enum fb__col_unit {
    FB__UNIT_RECORD = 0,
    FB__UNIT_ANSWER = 1,
    FB__UNIT_TAG = 2,
    FB__UNIT_ATTR = 3,
    FB__UNIT_CUSTOM = 4   /* the answers whose metric is custom */
} fb__col_unit;
#define FB__UNIT_COUNT 5

typedef enum fb__col_enc {
    FB__ENC_VARINT = 0,
    FB__ENC_ZIGZAG = 1,
    FB__ENC_STRING = 2,
    FB__ENC_NUMBER = 3
} fb__col_enc;

typedef struct fb__col_info {
    const char *name;   /* e.g. "answer score", for messages */
    uint8_t unit;       /* fb__col_unit */
    uint8_t enc;        /* fb__col_enc */
    uint32_t fields;    /* the FB_LOG_FIELD_* bits any of which make a reader decode it */
} fb__col_info;

/* The column with stream id id (FB__COL_ID .. FB__COL_LAST), or NULL (DICT, unknown ids). */
const fb__col_info *fb__col_info_of(unsigned id);

/* The byte a column of encoding enc holds for its default value: 0, or 1 for strings (""). */
static inline uint8_t fb__col_default_byte(unsigned enc) { return enc == FB__ENC_STRING ? 1 : 0; }

#endif
