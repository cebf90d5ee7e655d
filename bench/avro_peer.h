/*
 * The Avro peer of fb-log-bench: the same records as an Avro object
 * container file (codec "deflate"), written and read with Debian's Avro C
 * library (avro-c 1.11, `pkg-config --cflags --libs avro-c`), the way a
 * competent Avro user would: one Avro record per fb_record, the generic
 * avro_value API, the library's own container writer and reader.
 *
 * The schema (in avro_peer.c, in one place) maps every field of fb_record:
 * enumerations as Avro enums with fb_enum_name()'s names, times as long
 * (logicalType timestamp-millis; an unknown interaction time as null),
 * strings as string (an unset country or tip currency as ""), answers and
 * attributes as arrays of records (attributes keep their order, which an
 * Avro map would not), a skipped answer's score as null.
 *
 * Benchmark code, not part of the library: it prints its errors on stderr
 * (the library never prints). Not thread-safe beyond what libavro is: each
 * call uses its own writer or reader, but libavro keeps its last error
 * message per thread, and its writer reseeds the C library's rand() (see
 * avro_peer.c).
 */
#ifndef FB_BENCH_AVRO_PEER_H
#define FB_BENCH_AVRO_PEER_H

#include <stdbool.h>
#include <stddef.h>

#include <feedback/feedback.h>

/* The block size the benchmark uses: 64 KiB. Avro C's own default (block_size 0) is 16 KiB. */
#define AVRO_PEER_BLOCK_BYTES ((size_t)64 * 1024)

/*
 * Writes recs[0..n) to path (created, or truncated if it exists) as an Avro
 * object container file with codec "deflate" at libavro's fixed level (see
 * avro_peer_deflate_level()).
 *
 * block_bytes is the size of libavro's block buffer: a block is closed
 * (deflated, written, followed by the sync marker) when the next record's
 * encoding would not fit, so each block holds at most block_bytes of
 * encoded records. 0 means libavro's default, 16 KiB (Java's default sync
 * interval is 64,000 bytes); the benchmark uses AVRO_PEER_BLOCK_BYTES.
 * libavro cannot write a record whose encoding alone exceeds block_bytes:
 * that is an error, so block_bytes must exceed the largest record (a
 * record with a 64 KiB comment needs more than 64 KiB).
 *
 * recs must be valid (fb_record_validate); only the enumerations are
 * checked, as an out-of-range value would make a file no reader accepts.
 * recs may be NULL when n is 0 (the file then has a header and no block).
 * The records are only read; nothing is kept after the call.
 *
 * Returns 0, or -1 after printing a message on stderr (the file may then
 * be partly written). A write error at close (a full disk) is reported,
 * which libavro alone would not do.
 */
int avro_peer_write(const char *path, const fb_record *recs, size_t n, size_t block_bytes);

/*
 * Reads the Avro file at path back, record by record, with libavro's
 * container reader (avro_file_reader_read_value).
 *
 * metrics_only false: through the file's own (writer) schema; every field
 * of every record is decoded into a generic value and read back out of it
 * (summed into a checksum that the compiler cannot drop).
 * metrics_only true: through a reader schema of only created_at, channel
 * and answers (the whole answer: metric, name, score, scale), resolved
 * against the writer schema (avro_resolved_writer_new), so libavro decodes
 * those fields and skips the others (avro_skip_data). What a skip still
 * costs: every block is inflated whole, and a skipped field is still
 * parsed as far as its length (strings, arrays) to find the next one; only
 * the copy of its bytes into a value is saved. Avro is a row format.
 *
 * Sets *count to the records read and *score_sum to the sum of the score of
 * each record's first answer (a skipped first answer counts 0, as the log
 * reader's 0 score of a skipped answer does). Both outputs must not be
 * NULL; they are written only on success.
 *
 * Returns 0, or -1 after printing a message on stderr: the file cannot be
 * opened, is not an Avro container, its schema lacks a field, or a block
 * is damaged (bad sync marker, inflate error, a value cut short). A file
 * truncated exactly at a block boundary reads as a shorter, clean file:
 * the Avro container holds no record count to tell.
 */
int avro_peer_read(const char *path, bool metrics_only, size_t *count, double *score_sum);

/*
 * The zlib level libavro's deflate codec compresses with, for the report:
 * 9 (Z_BEST_COMPRESSION), fixed in avro-c's codec.c (codec_deflate calls
 * deflateInit2(ds, Z_BEST_COMPRESSION, Z_DEFLATED, -15, 8,
 * Z_DEFAULT_STRATEGY), raw deflate without a zlib header or checksum);
 * the library offers no way to change it. Never fails.
 */
int avro_peer_deflate_level(void);

#endif /* FB_BENCH_AVRO_PEER_H */
