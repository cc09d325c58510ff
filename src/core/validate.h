/*
 * Validators for values that come from outside (roster files, API bodies,
 * the command line).  Each is pure: it looks only at its argument, allocates
 * nothing and logs nothing, so one rule serves every edge.  Predicates take a
 * NUL-terminated string and return false for NULL; normalisers write into a
 * caller's buffer and return 0, or -1 when the input is invalid or the
 * buffer too small (the buffer's contents are then unspecified).
 */
#ifndef QORGAN_CORE_VALIDATE_H
#define QORGAN_CORE_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

/* Named limits, shared with whoever sizes a column or a buffer. */
#define VALIDATE_IIN_LEN         12
#define VALIDATE_PHONE_MAX       16  /* '+' and 15 digits (ITU-T E.164) */
#define VALIDATE_EMAIL_MAX       254 /* RFC 5321 path limit less the brackets */
#define VALIDATE_EMAIL_LOCAL_MAX 64
#define VALIDATE_EMAIL_LABEL_MAX 63
#define VALIDATE_REF_MAX         64
#define VALIDATE_CODE_MAX        32
#define VALIDATE_LOGIN_MIN       3
#define VALIDATE_LOGIN_MAX       64
#define VALIDATE_GRADE_MAX       12
/* Room for the canonical class letter: one 2-byte Cyrillic letter and NUL. */
#define VALIDATE_CLASS_LETTER_SIZE 3

/*
 * A Kazakhstan individual identification number (IIN): 12 ASCII digits, a
 * plausible YYMMDD birth date, a century/sex digit 1-6 and the official
 * mod-11 check digit.  Business numbers (BIN) carry no birth date and fail.
 */
bool validate_iin(const char *s);

/* E.164: '+', then 8 to 15 digits, the first not 0. */
bool validate_phone_e164(const char *s);

/*
 * Writes the E.164 form of a phone number as people type it in Kazakhstan
 * and Russia: "+7 (701) 123-45-67", "8 701 123 45 67", "87011234567",
 * "7 701 1234567".  Spaces, '-', '(' and ')' are dropped.  Without a '+'
 * only 11-digit numbers starting 7 or 8 are accepted (the +7 zone), since
 * guessing the country of anything else could send a child's news to a
 * stranger.  outlen must be at least VALIDATE_PHONE_MAX + 1.
 */
int normalize_phone(const char *in, char *out, size_t outlen);

/*
 * A pragmatic address check, not RFC 5322: an ASCII dot-atom local part
 * (<= 64 bytes), '@', a DNS name of at least two labels of letters, digits
 * and inner hyphens, a last label that is not all digits, <= 254 in all.
 */
bool validate_email(const char *s);

/*
 * Splits a class name such as "3А", "10B", "11 Ә", "5-а" or "0" into its
 * grade (0..12, digits first, no leading zero) and optional letter, which
 * may follow one space or hyphen.  The letter is one Latin, Russian or
 * Kazakh letter; *letter receives its upper-case UTF-8 form ("" when there
 * is none), so "5-а" and "5А" give the same class.  Latin and Cyrillic
 * look-alikes ("A"/"А") stay distinct.  Surrounding spaces are ignored.
 * grade and letter may be NULL when not wanted.  Returns 0 or -1.
 */
int parse_class_name(const char *s, int *grade, char *letter, size_t letterlen);

/* YYYY-MM-DD, a real calendar date with year 1900..2100. */
bool validate_date(const char *s);

/* A student reference: 1..64 of [A-Za-z0-9._-]. */
bool validate_ref(const char *s);

/* A school or region code: 1..32 of [a-z0-9-], not starting with '-'. */
bool validate_code(const char *s);

/* A staff login: 3..64 of [a-z0-9._-]. */
bool validate_login(const char *s);

#endif
