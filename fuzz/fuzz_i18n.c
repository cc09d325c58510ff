/*
 * libFuzzer driver for the two parsers of i18n.c: the .mo reader (mo_open
 * and mo_lookup) on arbitrary bytes, and the Accept-Language parser on the
 * same bytes as a NUL-terminated header.  The bytes are copied into a
 * buffer of exactly their size so ASan sees any read past the end.
 *
 * Beyond "no crash", it checks what a fuzzer cannot see as a crash: a
 * refused file leaves the catalogue empty; in an accepted one every msgid
 * is found again by the binary search and yields exactly its own
 * translation (or NULL when that is empty); lookups return pointers into
 * the file; the language is one of ours, and reading stops at
 * ACCEPT_LANGUAGE_MAX bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/i18n.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Lookups per input: enough to walk real catalogues, bounded for speed. */
#define MAX_LOOKUPS 512

static uint32_t
u32(const unsigned char *p, bool big_endian)
{
	if (big_endian)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		       (uint32_t)p[2] << 8 | (uint32_t)p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | (uint32_t)p[0];
}

/* The string at entry `i` of the table at `table`, read independently. */
static const char *
entry(const struct mo_catalogue *mo, uint32_t table, uint32_t i)
{
	const unsigned char *e = mo->data + table + (size_t)i * 8;

	return (const char *)mo->data + u32(e + 4, mo->big_endian);
}

static bool
inside(const struct mo_catalogue *mo, const char *s)
{
	const char *begin = (const char *)mo->data;

	return s >= begin && s < begin + mo->size &&
	       memchr(s, '\0', (size_t)(begin + mo->size - s)) != NULL;
}

static void
check_catalogue(const struct mo_catalogue *mo)
{
	static const char *const probes[] = {"", "Students", "Error", "\xff",
	                                     "zzzz"};
	const char *msgid, *want, *got;
	uint32_t i;
	size_t k;

	for (i = 0; i < mo->count && i < MAX_LOOKUPS; i++) {
		msgid = entry(mo, mo->originals, i);
		want = entry(mo, mo->translations, i);
		if (!inside(mo, msgid) || !inside(mo, want))
			abort();
		got = mo_lookup(mo, msgid);
		if (got != (want[0] != '\0' ? want : NULL))
			abort();
	}
	for (k = 0; k < sizeof(probes) / sizeof(probes[0]); k++) {
		got = mo_lookup(mo, probes[k]);
		if (got != NULL && (!inside(mo, got) || got[0] == '\0'))
			abort();
	}
}

static void
check_accept_language(const uint8_t *data, size_t size)
{
	char *header = malloc(size + 1);
	enum lang lang;

	if (header == NULL)
		return;
	memcpy(header, data, size);
	header[size] = '\0';
	lang = lang_from_accept_language(header);
	if ((unsigned)lang >= LANG_COUNT)
		abort();
	/* Only the first ACCEPT_LANGUAGE_MAX bytes count. */
	if (strlen(header) > ACCEPT_LANGUAGE_MAX) {
		header[ACCEPT_LANGUAGE_MAX] = '\0';
		if (lang_from_accept_language(header) != lang)
			abort();
	}
	free(header);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mo_catalogue mo;
	unsigned char *copy;

	copy = malloc(size > 0 ? size : 1);
	if (copy == NULL)
		return 0;
	if (size > 0)
		memcpy(copy, data, size);
	if (mo_open(&mo, copy, size) == 0) {
		if (mo.data != copy || mo.size != size)
			abort();
		check_catalogue(&mo);
	} else if (mo.data != NULL || mo.count != 0 || mo.size != 0) {
		abort();
	}
	free(copy);
	check_accept_language(data, size);
	return 0;
}
