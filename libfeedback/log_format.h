/*
 * The binary log format, version 1.0: every constant and layout the writer and
 * the reader share. docs/FORMAT.md is the same specification in prose, with a
 * worked example; this header and that document must agree.
 *
 * All fixed-width integers are little-endian. "varint" is unsigned LEB128
 * (7 bits per byte, low groups first, high bit = more; at most 10 bytes for
 * 64 bits; a 10th byte above 1 is corrupt). "zigzag" maps signed to unsigned:
 * (n << 1) ^ (n >> 63). CRC is the CRC-32 of PNG and gzip, as zlib's
 * crc32(0, data, len) computes it (reflected polynomial 0xEDB88320, initial
 * value and final XOR 0xFFFFFFFF).
 *
 * File = file header, chunk*, and after a clean close an index chunk and the
 * trailer.
 */
#ifndef FB_LOG_FORMAT_H
#define FB_LOG_FORMAT_H

#include <stdint.h>

/* ------------------------------------------------------------------ */
/* File header                                                         */
/*                                                                     */
/*  offset size                                                        */
/*   0      8  magic: 89 46 42 4C 0D 0A 1A 0A  ("\x89FBL\r\n\x1a\n")  */
/*   8      1  major version (1)                                       */
/*   9      1  minor version (0)                                       */
/*  10      2  flags, 0 (readers ignore bits they do not know)         */
/*  12     16  sync marker: 16 random bytes, the same for every chunk  */
/*  28      4  M: length of the metadata that follows (<= 65536)       */
/*  32      M  metadata: tagged fields as in a record (wire types      */
/*             VARINT and LEN only; LEN holds UTF-8 bytes):            */
/*               1 LEN    writer, e.g. "libfeedback 0.1.0"             */
/*               2 VARINT created, Unix ms                             */
/*             unknown fields are skipped                              */
/*  32+M    4  CRC of bytes [0, 32+M)                                  */
/* ------------------------------------------------------------------ */

#define FB__LOG_MAGIC "\x89" "FBL\r\n\x1a\n"
#define FB__LOG_MAGIC_SIZE 8
#define FB__LOG_MAJOR 1
#define FB__LOG_MINOR 0
#define FB__LOG_SYNC_SIZE 16
#define FB__LOG_HEADER_FIXED 32     /* bytes before the metadata */
#define FB__LOG_META_MAX 65536
#define FB__LOG_META_WRITER 1
#define FB__LOG_META_CREATED 2

/* ------------------------------------------------------------------ */
/* Chunk                                                               */
/*                                                                     */
/*  offset size                                                        */
/*   0     16  sync marker (the file's)                                */
/*  16      1  type: bits 0-6 the chunk type, bit 7 "safe to ignore"   */
/*  17      1  codec of the payload's streams: 0 stored, 1 raw deflate */
/*  18      2  flags, 0                                                */
/*  20      4  record count (data chunks; 0 otherwise)                 */
/*  24      4  P: payload length in the file                           */
/*  28      4  R: raw length, the sum of the streams' raw lengths      */
/*  32      8  first sequence number: records in the file before this  */
/*             chunk's first record                                    */
/*  40      8  min created_at (Unix ms) of its records                 */
/*  48      8  max created_at                                          */
/*  56      4  CRC of bytes [0, 56)                                    */
/*  60      P  payload                                                 */
/*  60+P    4  CRC of the payload's P bytes                            */
/*                                                                     */
/* A reader trusts no length before the header CRC verifies, checks    */
/* the payload CRC before inflating, and refuses P > FB__LOG_MAX_      */
/* PAYLOAD or R > FB__LOG_MAX_RAW. A chunk type it does not know is    */
/* skipped when bit 7 is set and is damage otherwise.                  */
/* ------------------------------------------------------------------ */

#define FB__LOG_CHUNK_HEADER 60
#define FB__LOG_CHUNK_OVERHEAD 64   /* header + payload CRC */
#define FB__LOG_IGNORABLE 0x80
#define FB__LOG_TYPE_MASK 0x7F
#define FB__LOG_CHUNK_DATA 1
#define FB__LOG_CHUNK_INDEX (2 | FB__LOG_IGNORABLE)
#define FB__LOG_CODEC_STORED 0
#define FB__LOG_CODEC_DEFLATE 1
#define FB__LOG_MAX_RAW (64u << 20)       /* 64 MiB: no chunk inflates beyond this */
#define FB__LOG_MAX_PAYLOAD (65u << 20)   /* stored streams plus the stream table */
#define FB__LOG_MAX_RECORDS 1000000u      /* records in one chunk */

/* ------------------------------------------------------------------ */
/* Data chunk payload                                                  */
/*                                                                     */
/*  varint S: number of streams (1..16)                                */
/*  S times: u8 stream id, varint stored length, varint raw length     */
/*  the S stream bodies, in table order, each stored or raw deflate    */
/*  (RFC 1951, no zlib or gzip wrapper) as the chunk's codec says;     */
/*  a stored body's stored length equals its raw length                */
/*                                                                     */
/* Streams: NUM holds the records' tagged fields, DICT the chunk's     */
/* dictionary (varint length + bytes per entry, entry 0 first), TEXT   */
/* the bytes of TEXT-referenced strings in the order they are          */
/* referenced. A reader inflates DICT and TEXT only when a field it    */
/* decodes refers to them, so a scan of numbers never inflates text.   */
/* Unknown stream ids are skipped. NUM is required in a data chunk.    */
/* ------------------------------------------------------------------ */

#define FB__LOG_STREAM_NUM 1
#define FB__LOG_STREAM_DICT 2
#define FB__LOG_STREAM_TEXT 3
#define FB__LOG_MAX_STREAMS 16

/* ------------------------------------------------------------------ */
/* Records in NUM                                                      */
/*                                                                     */
/* Each record is a sequence of fields ended by a zero byte. A field   */
/* is a varint tag = (field number << 3) | wire type, then its value:  */
/*   VARINT  a varint                                                  */
/*   FIXED64 8 bytes (an IEEE 754 double, little-endian)               */
/*   LEN     varint length, then that many bytes of NUM: a sub-message */
/*           of tagged fields (no terminator); never raw bytes here    */
/*   TEXT    varint length; the bytes are the next ones in TEXT        */
/*   DICT    varint index into DICT                                    */
/* Wire types 5-7 are corrupt. A reader skips fields it does not know  */
/* by their wire type (for TEXT, advancing its TEXT position; for LEN, */
/* walking the sub-message for TEXT references). A string field may    */
/* be written as TEXT or DICT; readers accept both. Absent fields take */
/* the defaults of fb_record_init.                                     */
/* ------------------------------------------------------------------ */

#define FB__WT_VARINT 0
#define FB__WT_FIXED64 1
#define FB__WT_LEN 2
#define FB__WT_TEXT 3
#define FB__WT_DICT 4

/* Record fields (the value each holds). */
#define FB__LF_ID 1                /* VARINT zigzag(id - previous record's id in the chunk, 0 before the first) */
#define FB__LF_KIND 2              /* VARINT fb_record_kind */
#define FB__LF_CREATED 3           /* VARINT created_at - chunk's min created_at */
#define FB__LF_INTERACTION 4       /* VARINT zigzag(created_at - interaction_at); absent: unknown */
#define FB__LF_CUSTOMER_ID 5       /* string */
#define FB__LF_CUSTOMER_STATUS 6   /* VARINT fb_customer_status */
#define FB__LF_FLAGS 7             /* VARINT bit 0 customer_verified, bit 1 win_back */
#define FB__LF_CHANNEL 8           /* VARINT fb_channel */
#define FB__LF_SOURCE 9            /* VARINT fb_source */
#define FB__LF_ANSWER 10           /* LEN answer sub-message, once per answer, in order */
#define FB__LF_TEXT 11             /* string */
#define FB__LF_LANGUAGE 12         /* string */
#define FB__LF_TAG 13              /* string, once per tag, in order */
#define FB__LF_AGENT_ID 14         /* string */
#define FB__LF_TICKET_ID 15        /* string */
#define FB__LF_PRODUCT 16          /* string */
#define FB__LF_COUNTRY 17          /* string, 2 bytes */
#define FB__LF_TIP 18              /* VARINT zigzag(tip) */
#define FB__LF_TIP_CURRENCY 19     /* string, 3 bytes */
#define FB__LF_ATTR 20             /* LEN attribute sub-message, once per attribute, in order */
#define FB__LF_REF_ID 21           /* VARINT zigzag(id - ref_id) */
#define FB__LF_HANDLING 22         /* VARINT fb_handling */
#define FB__LF_ASSIGNEE 23         /* string */
#define FB__LF_ASSIGNEE_KIND 24    /* VARINT fb_assignee_kind */

/* Answer sub-message fields. */
#define FB__LA_METRIC 1            /* VARINT fb_metric */
#define FB__LA_SCORE_INT 2         /* VARINT score, when it is a whole number in [0, 2^32) */
#define FB__LA_SCORE 3             /* FIXED64 score, otherwise */
#define FB__LA_SKIPPED 4           /* VARINT 1 */
#define FB__LA_NAME 5              /* string (custom answers) */
#define FB__LA_SCALE_MIN 6         /* FIXED64 (custom answers) */
#define FB__LA_SCALE_MAX 7         /* FIXED64 (custom answers) */

/* Attribute sub-message fields. */
#define FB__LT_KEY 1               /* string */
#define FB__LT_VALUE 2             /* string */

/* ------------------------------------------------------------------ */
/* Index chunk (type FB__LOG_CHUNK_INDEX, ignorable, codec stored)     */
/*                                                                     */
/* Its header's first sequence number is the file's record count, its  */
/* min/max created_at those of the whole file. Payload: varint N, then */
/* per data chunk in file order: varint offset delta (from the previous */
/* entry's offset, the first from 0), varint record count, varint min  */
/* created_at delta from the header's min, varint max - min. A chunk's */
/* first sequence number is the sum of the counts before it.           */
/* ------------------------------------------------------------------ */

/* ------------------------------------------------------------------ */
/* Trailer: the last 32 bytes of a cleanly closed file                 */
/*                                                                     */
/*   0  8  offset of the index chunk                                   */
/*   8  8  records in the file                                         */
/*  16  8  magic "FBLINDEX"                                            */
/*  24  4  CRC of bytes [0, 24) followed by the 16-byte sync marker    */
/*  28  4  0                                                           */
/* Readers use the index only when the trailer and the index chunk     */
/* both verify; otherwise they scan. Appending truncates the file at   */
/* the index chunk first.                                              */
/* ------------------------------------------------------------------ */

#define FB__LOG_TRAILER_SIZE 32
#define FB__LOG_TRAILER_MAGIC "FBLINDEX"

#endif
