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

#include "varint.h"

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
/*  32      M  metadata: tagged fields (below):                        */
/*               1 LEN    writer, e.g. "libfeedback 0.1.0"             */
/*               2 VARINT created, Unix ms                             */
/*             unknown fields are skipped                              */
/*  32+M    4  CRC of bytes [0, 32+M)                                  */
/*                                                                     */
/* A metadata field is a varint tag = (field number << 3) | wire type, */
/* then its value: VARINT a varint, FIXED64 8 bytes, LEN a varint      */
/* length and that many bytes; other wire types are corrupt.           */
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
#define FB__WT_VARINT 0
#define FB__WT_FIXED64 1
#define FB__WT_LEN 2

/* ------------------------------------------------------------------ */
/* Chunk                                                               */
/*                                                                     */
/*  offset size                                                        */
/*   0     16  sync marker (the file's)                                */
/*  16      1  type: bits 0-6 the chunk type, bit 7 "safe to ignore"   */
/*  17      1  reserved: 0 (readers ignore it)                         */
/*  18      2  flags, 0                                                */
/*  20      4  record count (data chunks; 0 otherwise)                 */
/*  24      4  P: payload length in the file                           */
/*  28      4  R: raw length, the sum of the streams' raw lengths      */
/*             (data chunks; the payload length otherwise)             */
/*  32      8  first sequence number: records in the file before this  */
/*             chunk's first record                                    */
/*  40      8  min created_at (Unix ms) of its records                 */
/*  48      8  max created_at                                          */
/*  56      4  CRC of bytes [0, 56)                                    */
/*  60      P  payload                                                 */
/*  60+P    4  CRC of the payload's P bytes                            */
/*                                                                     */
/* A reader trusts no length before the header CRC verifies, checks    */
/* a checksum over every byte it uses before using it, and refuses P > */
/* FB__LOG_MAX_PAYLOAD or R > FB__LOG_MAX_RAW. A chunk type it does    */
/* not know is skipped when bit 7 is set and is damage otherwise.      */
/* ------------------------------------------------------------------ */

#define FB__LOG_CHUNK_HEADER 60
#define FB__LOG_CHUNK_OVERHEAD 64   /* header + payload CRC */
#define FB__LOG_IGNORABLE 0x80
#define FB__LOG_TYPE_MASK 0x7F
#define FB__LOG_CHUNK_DATA 1
#define FB__LOG_CHUNK_INDEX (2 | FB__LOG_IGNORABLE)
#define FB__LOG_MAX_RAW (64u << 20)       /* 64 MiB: no chunk inflates beyond this */
#define FB__LOG_MAX_PAYLOAD (65u << 20)   /* stored streams plus the stream table */
#define FB__LOG_MAX_RECORDS 1000000u      /* records in one chunk */

/* ------------------------------------------------------------------ */
/* Data chunk payload                                                  */
/*                                                                     */
/*  varint S: number of streams (1..64)                                */
/*  S times: u8 stream id, u8 codec, varint stored length, varint raw  */
/*           length, u32 CRC of the stored body                        */
/*  u32 CRC of the table: the bytes from S to the last entry           */
/*  the S stream bodies, in table order                                */
/*                                                                     */
/* Codecs: 0 stored (stored length = raw length), 1 raw deflate (RFC   */
/* 1951, no zlib or gzip wrapper). The payload CRC after the payload   */
/* covers all of it; a reader that uses only some streams checks the   */
/* table's CRC and those streams' CRCs instead, so a scan of numbers   */
/* neither reads nor checksums the comments.                           */
/*                                                                     */
/* Stream 1 is DICT, the chunk's dictionary (varint length + bytes per */
/* entry, entry 0 first). Every other stream is a column: one value    */
/* per record, per answer, per custom answer, per tag or per attribute */
/* (FB__COL_*), in record order. A column left out of the table holds  */
/* the default value everywhere; a present one holds exactly as many   */
/* values as its unit has in the chunk, and no byte more. The          */
/* created_at column is required (so a chunk's bytes bound its record  */
/* count). Unknown stream ids are skipped.                             */
/*                                                                     */
/* Value encodings:                                                    */
/*   varint   a varint; default 0                                      */
/*   zigzag   varint zigzag(n); default 0                              */
/*   string   varint u: u even, DICT entry u/2; u odd, the (u-1)/2     */
/*            bytes that follow in the column; default "" (u = 1)      */
/*   number   varint u: u even, the whole number zigzag^-1(u/2), at    */
/*            most 2^53 in magnitude; u = 1, an IEEE 754 double in the */
/*            8 bytes that follow (little-endian); u = 3, no value     */
/*            (a skipped answer: score column only); other odd u are   */
/*            corrupt; default 0                                       */
/* ------------------------------------------------------------------ */

#define FB__LOG_MAX_STREAMS 64
#define FB__LOG_TABLE_MAX (FB__VARINT_MAX + FB__LOG_MAX_STREAMS * 26) /* bytes, without its CRC */
#define FB__LOG_CODEC_STORED 0
#define FB__LOG_CODEC_DEFLATE 1

#define FB__NUM_DOUBLE 1u          /* number: an 8-byte double follows */
#define FB__NUM_NONE 3u            /* number: no value (skipped answer) */

/* Streams. */
#define FB__COL_DICT 1
/* One value per record: */
#define FB__COL_ID 2               /* zigzag(id - previous record's id; 0 before the first) */
#define FB__COL_KIND 3             /* varint fb_record_kind */
#define FB__COL_CREATED 4          /* zigzag(created_at - the previous one; the header's min first) */
#define FB__COL_INTERACTION 5      /* varint: 0 unknown, else 1 + zigzag(created_at - interaction) */
#define FB__COL_CUSTOMER_ID 6      /* string */
#define FB__COL_CUSTOMER_STATUS 7  /* varint fb_customer_status */
#define FB__COL_CUSTOMER_FLAGS 8   /* varint: bit 0 customer_verified, bit 1 win_back */
#define FB__COL_CHANNEL 9          /* varint fb_channel */
#define FB__COL_SOURCE 10          /* varint fb_source */
#define FB__COL_ANSWER_COUNT 11    /* varint n_answers */
#define FB__COL_TEXT 12            /* string */
#define FB__COL_LANGUAGE 13        /* string */
#define FB__COL_TAG_COUNT 14       /* varint n_tags */
#define FB__COL_AGENT_ID 15        /* string */
#define FB__COL_TICKET_ID 16       /* string */
#define FB__COL_PRODUCT 17         /* string */
#define FB__COL_COUNTRY 18         /* string: "" or 2 letters A-Z */
#define FB__COL_TIP 19             /* zigzag tip */
#define FB__COL_TIP_CURRENCY 20    /* string: "" or 3 letters A-Z */
#define FB__COL_ATTR_COUNT 21      /* varint n_attrs */
#define FB__COL_REF_ID 22          /* varint: 0 for ref_id 0, else 1 + zigzag(id - ref_id) */
#define FB__COL_HANDLING 23        /* varint fb_handling */
#define FB__COL_ASSIGNEE 24        /* string */
#define FB__COL_ASSIGNEE_KIND 25   /* varint fb_assignee_kind */
/* One value per answer (the records' answers in order): */
#define FB__COL_ANSWER_METRIC 26   /* varint fb_metric */
#define FB__COL_ANSWER_SCORE 27    /* number, or no value when skipped */
/* One value per custom answer (the answers whose metric is custom, in order): */
#define FB__COL_ANSWER_NAME 28     /* string */
#define FB__COL_ANSWER_SCALE_MIN 29 /* number */
#define FB__COL_ANSWER_SCALE_MAX 30 /* number */
/* One value per tag: */
#define FB__COL_TAG 31             /* string */
/* One value per attribute: */
#define FB__COL_ATTR_KEY 32        /* string */
#define FB__COL_ATTR_VALUE 33      /* string */
#define FB__COL_LAST 33

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
