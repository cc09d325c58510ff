/*
 * Translations for pages and messages in Kazakh, Russian and English.
 * Source strings (msgids) are English; the catalogues are po/LANG.po, compiled
 * to .mo at build time and embedded in the program.  Every request picks its
 * own language, so lookups take the language as an argument instead of
 * reading the process locale.
 *
 * Call i18n_init() once at start-up, before worker threads exist; after that
 * every function here only reads and may be called from any thread.
 */
#ifndef QORGAN_WEB_I18N_H
#define QORGAN_WEB_I18N_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Marks a C string literal for scripts/po-check.sh (which uses xgettext)
 * without translating it: the translation happens later, with i18n_get(),
 * in the language of the request.
 */
#define N_(s) (s)

enum lang { LANG_KK, LANG_RU, LANG_EN, LANG_COUNT };

/* The language used when a browser names none we have. */
#define LANG_DEFAULT LANG_RU

/* Accept-Language headers longer than this are read only up to here. */
#define ACCEPT_LANGUAGE_MAX 1024

/*
 * Parses the embedded catalogues.  Returns 0, or -1 (logged) when one is
 * missing or malformed.  Calling it again re-reads them; not thread-safe.
 */
int i18n_init(void);

/*
 * The translation of `msgid` in `lang`: a string that lives as long as the
 * program, or `msgid` itself when the catalogue has no (or an empty)
 * translation, when `msgid` is "" and before i18n_init().  Plural entries
 * yield their first form.
 */
const char *i18n_get(enum lang lang, const char *msgid);

/*
 * The best of our languages for an RFC 9110 Accept-Language header (q-values,
 * "*", regional variants such as kk-KZ); LANG_DEFAULT for NULL, garbage or
 * no match.  Malformed elements are skipped, not fatal.
 */
enum lang lang_from_accept_language(const char *header);

/* "kk", "ru" or "en" (lower case, exactly) into `*out`; false otherwise. */
bool lang_from_code(const char *code, enum lang *out);

/* "kk", "ru" or "en"; the default language's code for an invalid value. */
const char *lang_code(enum lang lang);

/*
 * A GNU .mo catalogue read in place (gettext manual, "The Format of GNU MO
 * Files").  Exposed for tests and fuzzing; the program uses i18n_get().
 */
struct mo_catalogue {
	const unsigned char *data; /* borrowed; must outlive the catalogue */
	size_t size;
	uint32_t count;        /* number of strings, header entry included */
	uint32_t originals;    /* offset of the table of msgids */
	uint32_t translations; /* offset of the table of msgstrs */
	bool big_endian;
};

/*
 * Checks `size` bytes at `data` (any alignment) and fills `mo`.  Returns 0,
 * or -1 when the bytes are not a well-formed, sorted .mo file whose strings
 * all lie inside it and end with NUL.
 */
int mo_open(struct mo_catalogue *mo, const void *data, size_t size);

/* The translation of `msgid`, or NULL when absent or empty. */
const char *mo_lookup(const struct mo_catalogue *mo, const char *msgid);

#endif
