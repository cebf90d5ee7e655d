/*
 * libfeedback: customer feedback records, relevance filters and metrics.
 *
 * Include this one header for the whole public API. See README.md for a
 * tour and docs/ for the formats and formulas.
 */
#ifndef FEEDBACK_FEEDBACK_H
#define FEEDBACK_FEEDBACK_H

#include "common.h"
#include "version.h"
#include "status.h"
#include "alloc.h"
#include "timestamp.h"
#include "record.h"
#include "record_list.h"
#include "record_batch.h"
#include "stats.h"
#include "metrics.h"
#include "text.h"
#include "summary.h"
#include "filter.h"
#include "io.h"
#include "log.h"
#include "summary_io.h"

#endif /* FEEDBACK_FEEDBACK_H */
