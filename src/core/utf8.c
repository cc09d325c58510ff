/*
 * The decoder follows Unicode table 3-7 ("well-formed UTF-8 byte sequences"):
 * the range allowed for the second byte depends on the lead byte, which is
 * what rules out overlongs (E0 80..9F, F0 80..8F), surrogates (ED A0..BF)
 * and code points past U+10FFFF (F4 90..BF, F5..FF).
 */
#include "core/utf8.h"

size_t
utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char lo = 0x80, hi = 0xBF;
	size_t n, i;
	uint32_t c;

	if (len == 0)
		return 0;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if (u[0] >= 0xC2 && u[0] <= 0xDF) {
		n = 2;
		c = u[0] & 0x1F;
	} else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
		n = 3;
		c = u[0] & 0x0F;
		if (u[0] == 0xE0)
			lo = 0xA0;
		else if (u[0] == 0xED)
			hi = 0x9F;
	} else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
		n = 4;
		c = u[0] & 0x07;
		if (u[0] == 0xF0)
			lo = 0x90;
		else if (u[0] == 0xF4)
			hi = 0x8F;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	if (u[1] < lo || u[1] > hi)
		return 0;
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (u[i] & 0x3F);
	}
	*cp = c;
	return n;
}

size_t
utf8_encode(uint32_t cp, char out[UTF8_MAX_SEQ])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 0;
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp > 0x10FFFF)
		return 0;
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t
utf8_valid_prefix(const char *s, size_t len)
{
	size_t off = 0, n;
	uint32_t cp;

	while (off < len) {
		/* ASCII runs dominate rosters; skip them without decoding. */
		if ((unsigned char)s[off] < 0x80) {
			off++;
			continue;
		}
		n = utf8_decode(s + off, len - off, &cp);
		if (n == 0)
			break;
		off += n;
	}
	return off;
}

bool
utf8_valid(const char *s, size_t len)
{
	return utf8_valid_prefix(s, len) == len;
}

size_t
utf8_length(const char *s, size_t len)
{
	size_t off = 0, count = 0, n;
	uint32_t cp;

	while (off < len) {
		n = utf8_decode(s + off, len - off, &cp);
		off += n ? n : 1;
		count++;
	}
	return count;
}

bool
utf8_has_control(const char *s, size_t len)
{
	size_t off = 0, n;
	uint32_t cp;

	while (off < len) {
		n = utf8_decode(s + off, len - off, &cp);
		if (n == 0) {
			off++;
			continue;
		}
		if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
			return true;
		off += n;
	}
	return false;
}
