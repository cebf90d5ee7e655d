/* Civil (proleptic Gregorian) dates and days since the Unix epoch, with no time zone. */
#ifndef FB_CIVIL_H
#define FB_CIVIL_H

#include <stdint.h>

/* The days from 1970-01-01 to year y, month m (1..12), day d (1..31); negative before it. */
int64_t fb__days_from_civil(int64_t y, int m, int d);

/* The date of day z since 1970-01-01. */
void fb__civil_from_days(int64_t z, int64_t *y, int *m, int *d);

#endif
