/* The columns of a data chunk (log_columns.h, log_format.h). */
#include "log_columns.h"

#include "feedback/log.h"

#define REC FB__UNIT_RECORD
#define ANS FB__UNIT_ANSWER
#define CUS FB__UNIT_CUSTOM
#define V FB__ENC_VARINT
#define Z FB__ENC_ZIGZAG
#define S FB__ENC_STRING
#define N FB__ENC_NUMBER

static const fb__col_info columns[FB__COL_LAST + 1] = {
    /* ref_id is relative to the id, so UPDATE needs the id column too. */
    [FB__COL_ID] = {"id", REC, Z, FB_LOG_FIELD_ID | FB_LOG_FIELD_UPDATE},
    [FB__COL_KIND] = {"kind", REC, V, FB_LOG_FIELD_KIND},
    [FB__COL_CREATED] = {"created_at", REC, Z, FB_LOG_FIELD_ALL},
    [FB__COL_INTERACTION] = {"interaction_at", REC, V, FB_LOG_FIELD_INTERACTION_AT},
    [FB__COL_CUSTOMER_ID] = {"customer_id", REC, S, FB_LOG_FIELD_CUSTOMER},
    [FB__COL_CUSTOMER_STATUS] = {"customer_status", REC, V, FB_LOG_FIELD_CUSTOMER},
    [FB__COL_CUSTOMER_FLAGS] = {"customer flags", REC, V, FB_LOG_FIELD_CUSTOMER},
    [FB__COL_CHANNEL] = {"channel", REC, V, FB_LOG_FIELD_CHANNEL},
    [FB__COL_SOURCE] = {"source", REC, V, FB_LOG_FIELD_CHANNEL},
    [FB__COL_ANSWER_COUNT] = {"answer count", REC, V, FB_LOG_FIELD_ANSWERS},
    [FB__COL_TEXT] = {"text", REC, S, FB_LOG_FIELD_TEXT},
    [FB__COL_LANGUAGE] = {"language", REC, S, FB_LOG_FIELD_TEXT},
    [FB__COL_TAG_COUNT] = {"tag count", REC, V, FB_LOG_FIELD_TAGS},
    [FB__COL_AGENT_ID] = {"agent_id", REC, S, FB_LOG_FIELD_SERVICE},
    [FB__COL_TICKET_ID] = {"ticket_id", REC, S, FB_LOG_FIELD_SERVICE},
    [FB__COL_PRODUCT] = {"product", REC, S, FB_LOG_FIELD_SERVICE},
    [FB__COL_COUNTRY] = {"country", REC, S, FB_LOG_FIELD_SERVICE},
    [FB__COL_TIP] = {"tip", REC, Z, FB_LOG_FIELD_TIP},
    [FB__COL_TIP_CURRENCY] = {"tip_currency", REC, S, FB_LOG_FIELD_TIP},
    [FB__COL_ATTR_COUNT] = {"attribute count", REC, V, FB_LOG_FIELD_ATTRS},
    [FB__COL_REF_ID] = {"ref_id", REC, V, FB_LOG_FIELD_UPDATE},
    [FB__COL_HANDLING] = {"handling", REC, V, FB_LOG_FIELD_UPDATE},
    [FB__COL_ASSIGNEE] = {"assignee", REC, S, FB_LOG_FIELD_UPDATE},
    [FB__COL_ASSIGNEE_KIND] = {"assignee_kind", REC, V, FB_LOG_FIELD_UPDATE},
    [FB__COL_ANSWER_METRIC] = {"answer metric", ANS, V, FB_LOG_FIELD_ANSWERS},
    [FB__COL_ANSWER_SCORE] = {"answer score", ANS, N, FB_LOG_FIELD_ANSWERS},
    [FB__COL_ANSWER_NAME] = {"answer name", CUS, S, FB_LOG_FIELD_ANSWERS},
    [FB__COL_ANSWER_SCALE_MIN] = {"answer scale min", CUS, N, FB_LOG_FIELD_ANSWERS},
    [FB__COL_ANSWER_SCALE_MAX] = {"answer scale max", CUS, N, FB_LOG_FIELD_ANSWERS},
    [FB__COL_TAG] = {"tag", FB__UNIT_TAG, S, FB_LOG_FIELD_TAGS},
    [FB__COL_ATTR_KEY] = {"attribute key", FB__UNIT_ATTR, S, FB_LOG_FIELD_ATTRS},
    [FB__COL_ATTR_VALUE] = {"attribute value", FB__UNIT_ATTR, S, FB_LOG_FIELD_ATTRS},
};

const fb__col_info *fb__col_info_of(unsigned id)
{
    return id >= FB__COL_ID && id <= FB__COL_LAST ? &columns[id] : NULL;
}
