/*
 * UTF-8 checks for text that arrives from outside: roster files, form
 * fields, JSON strings.  Decoding is strict (RFC 3629 / Unicode table 3-7):
 * overlong forms, surrogates, code points above U+10FFFF and truncated
 * sequences are all invalid, so one string has one spelling and cannot sneak
 * a '/' or a NUL past a byte-level check.  Every function takes a
 * (pointer, length) slice; NUL is an ordinary byte here.
 */
#ifndef QORGAN_CORE_UTF8_H
#define QORGAN_CORE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The longest encoding of one code point. */
#define UTF8_MAX_SEQ 4

/*
 * Decodes the code point at the start of s[0..len).  Returns the number of
 * bytes it takes (1..4) and stores it in *cp, or returns 0 when the bytes
 * there are not a valid sequence (or len is 0); *cp is then untouched.
 */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

/*
 * Writes the encoding of `cp` to out (no NUL) and returns its length, or 0
 * when cp is a surrogate or above U+10FFFF.
 */
size_t utf8_encode(uint32_t cp, char out[UTF8_MAX_SEQ]);

/* Whether all of s[0..len) is valid UTF-8. */
bool utf8_valid(const char *s, size_t len);

/* Length of the longest valid prefix: len when utf8_valid(), else the offset
 * of the first byte that does not start a valid sequence. */
size_t utf8_valid_prefix(const char *s, size_t len);

/* Code points in s[0..len); a byte that starts no valid sequence counts as
 * one, so the result never exceeds len. */
size_t utf8_length(const char *s, size_t len);

/*
 * Whether s[0..len) holds a control character: C0 (U+0000..U+001F, tab and
 * newlines included), DEL or C1 (U+0080..U+009F).  Meant for single-line
 * fields such as names, where any of them is a mistake or an attack on
 * whoever displays the text.  Invalid bytes are not reported here; check
 * utf8_valid() as well.
 */
bool utf8_has_control(const char *s, size_t len);

#endif
