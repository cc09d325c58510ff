/*
 * Why not glibc's gettext(3): it takes the language from the process or
 * thread locale (setlocale/uselocale), which only works when the matching
 * system locales are installed, and switching it per request in a pool of
 * worker threads is fragile.  A server that answers each request in that
 * browser's language wants lookup(lang, msgid) with no hidden state, so this
 * file reads the .mo files itself.  The format is small and documented in the
 * gettext manual ("The Format of GNU MO Files"): a 28-byte header with a magic
 * number whose byte order tells the file's, then two tables of (length,
 * offset) pairs, originals sorted so a lookup is a binary search.  The hash
 * table is optional and ignored; so are plural rules (msgstr[0] is used).
 *
 * The catalogues are embedded, but they are still checked byte by byte at
 * start-up: a bad offset must fail i18n_init(), never a request.
 */
#include "web/i18n.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/embedded.h"
#include "core/log.h"

#define MO_MAGIC       0x950412deU
#define MO_HEADER_SIZE 28

static const char *const lang_codes[LANG_COUNT] = {"kk", "ru", "en"};

/* Written only by i18n_init(), before any thread reads it. */
static struct mo_catalogue catalogues[LANG_COUNT];

static uint32_t
mo_u32(const unsigned char *p, bool big_endian)
{
	if (big_endian)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		       (uint32_t)p[2] << 8 | (uint32_t)p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | (uint32_t)p[0];
}

/* String `i` of the table at `table`; mo_open() checked its bounds. */
static const char *
mo_string(const struct mo_catalogue *mo, uint32_t table, uint32_t i,
          uint32_t *len)
{
	const unsigned char *entry = mo->data + table + (size_t)i * 8;

	*len = mo_u32(entry, mo->big_endian);
	return (const char *)(mo->data + mo_u32(entry + 4, mo->big_endian));
}

/* Every (length, offset) pair of the table names a NUL-ended string. */
static bool
mo_table_ok(const struct mo_catalogue *mo, uint32_t table)
{
	const unsigned char *entry;
	uint32_t i, len, off;

	if (table > mo->size || mo->count > (mo->size - table) / 8)
		return false;
	for (i = 0; i < mo->count; i++) {
		entry = mo->data + table + (size_t)i * 8;
		len = mo_u32(entry, mo->big_endian);
		off = mo_u32(entry + 4, mo->big_endian);
		if (off >= mo->size || len >= mo->size - off ||
		    mo->data[off + len] != '\0')
			return false;
	}
	return true;
}

int
mo_open(struct mo_catalogue *mo, const void *data, size_t size)
{
	const unsigned char *p = data;
	const char *prev, *cur;
	uint32_t i, len;

	memset(mo, 0, sizeof(*mo));
	if (p == NULL || size < MO_HEADER_SIZE || size > UINT32_MAX)
		goto fail;
	if (mo_u32(p, false) == MO_MAGIC)
		mo->big_endian = false;
	else if (mo_u32(p, true) == MO_MAGIC)
		mo->big_endian = true;
	else
		goto fail;
	/* Major revisions 0 and 1 share the tables read here. */
	if (mo_u32(p + 4, mo->big_endian) >> 16 > 1)
		goto fail;
	mo->data = p;
	mo->size = size;
	mo->count = mo_u32(p + 8, mo->big_endian);
	mo->originals = mo_u32(p + 12, mo->big_endian);
	mo->translations = mo_u32(p + 16, mo->big_endian);
	if (!mo_table_ok(mo, mo->originals) ||
	    !mo_table_ok(mo, mo->translations))
		goto fail;
	/* The binary search in mo_lookup() relies on this order. */
	for (i = 1; i < mo->count; i++) {
		prev = mo_string(mo, mo->originals, i - 1, &len);
		cur = mo_string(mo, mo->originals, i, &len);
		if (strcmp(prev, cur) >= 0)
			goto fail;
	}
	return 0;
fail:
	memset(mo, 0, sizeof(*mo));
	return -1;
}

const char *
mo_lookup(const struct mo_catalogue *mo, const char *msgid)
{
	uint32_t lo = 0, hi = mo->count, mid, len;
	const char *s;
	int cmp;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		cmp = strcmp(msgid, mo_string(mo, mo->originals, mid, &len));
		if (cmp == 0) {
			s = mo_string(mo, mo->translations, mid, &len);
			return s[0] != '\0' ? s : NULL;
		}
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/*
 * The header entry must declare UTF-8 (pages are UTF-8 and we do not
 * convert) and the language the file name promises, so a catalogue copied
 * under the wrong name is caught at start-up.
 */
static bool
mo_header_ok(const struct mo_catalogue *mo, const char *code)
{
	const char *h = mo_lookup(mo, ""), *l;
	size_t n = strlen(code);

	if (h == NULL || strcasestr(h, "charset=UTF-8") == NULL)
		return false;
	if (strncmp(h, "Language: ", 10) == 0)
		l = h;
	else if ((l = strstr(h, "\nLanguage: ")) != NULL)
		l++;
	else
		return false;
	l += 10;
	return strncmp(l, code, n) == 0 &&
	       (l[n] == '\n' || l[n] == '_' || l[n] == '-');
}

int
i18n_init(void)
{
	struct mo_catalogue loaded[LANG_COUNT];
	const struct embedded_file *f;
	char name[16];
	int i;

	for (i = 0; i < LANG_COUNT; i++) {
		snprintf(name, sizeof(name), "%s.mo", lang_codes[i]);
		f = embedded_find(embedded_catalogues, name);
		if (f == NULL) {
			log_warnx("i18n: catalogue missing file=%s", name);
			return -1;
		}
		if (mo_open(&loaded[i], f->data, f->size) == -1 ||
		    !mo_header_ok(&loaded[i], lang_codes[i])) {
			log_warnx("i18n: malformed catalogue file=%s", name);
			return -1;
		}
	}
	memcpy(catalogues, loaded, sizeof(catalogues));
	return 0;
}

const char *
i18n_get(enum lang lang, const char *msgid)
{
	const char *s;

	if ((unsigned)lang >= LANG_COUNT || msgid[0] == '\0')
		return msgid;
	s = mo_lookup(&catalogues[lang], msgid);
	return s != NULL ? s : msgid;
}

bool
lang_from_code(const char *code, enum lang *out)
{
	int i;

	if (code == NULL)
		return false;
	for (i = 0; i < LANG_COUNT; i++) {
		if (strcmp(code, lang_codes[i]) == 0) {
			*out = (enum lang)i;
			return true;
		}
	}
	return false;
}

const char *
lang_code(enum lang lang)
{
	if ((unsigned)lang >= LANG_COUNT)
		return lang_codes[LANG_DEFAULT];
	return lang_codes[lang];
}

static bool
is_ows(char c)
{
	return c == ' ' || c == '\t';
}

static bool
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* language-range = (1*8ALPHA *("-" 1*8alphanum)) / "*"  (RFC 4647) */
static bool
range_ok(const char *s, size_t len)
{
	size_t i, run = 0;
	bool first = true;

	if (len == 1 && s[0] == '*')
		return true;
	for (i = 0; i < len; i++) {
		if (s[i] == '-') {
			if (run == 0)
				return false;
			run = 0;
			first = false;
		} else if (is_alpha(s[i]) || (!first && is_digit(s[i]))) {
			if (++run > 8)
				return false;
		} else {
			return false;
		}
	}
	return run > 0;
}

/* qvalue = ("0" ["." 0*3DIGIT]) / ("1" ["." 0*3("0")]), in thousandths. */
static bool
qvalue_parse(const char *s, size_t len, int *q)
{
	size_t i;
	int v, scale = 100;

	if (len == 0 || (s[0] != '0' && s[0] != '1'))
		return false;
	v = (s[0] - '0') * 1000;
	if (len == 1)
		goto done;
	if (s[1] != '.' || len > 5)
		return false;
	for (i = 2; i < len; i++, scale /= 10) {
		if (!is_digit(s[i]))
			return false;
		v += (s[i] - '0') * scale;
	}
	if (v > 1000)
		return false;
done:
	*q = v;
	return true;
}

/*
 * One list element: a range, then optionally OWS ";" OWS "q=" qvalue.
 * Leading and trailing OWS are already gone.
 */
static bool
element_parse(const char *s, size_t len, const char **range, size_t *rlen,
              int *q)
{
	size_t i = 0;

	while (i < len && s[i] != ';' && !is_ows(s[i]))
		i++;
	*range = s;
	*rlen = i;
	*q = 1000;
	if (!range_ok(s, i))
		return false;
	while (i < len && is_ows(s[i]))
		i++;
	if (i == len)
		return true;
	if (s[i++] != ';')
		return false;
	while (i < len && is_ows(s[i]))
		i++;
	if (len - i < 2 || (s[i] != 'q' && s[i] != 'Q') || s[i + 1] != '=')
		return false;
	return qvalue_parse(s + i + 2, len - i - 2, q);
}

static int
range_lang(const char *range, size_t len)
{
	int i;

	for (i = 0; i < LANG_COUNT; i++) {
		if (len >= 2 && strncasecmp(range, lang_codes[i], 2) == 0 &&
		    (len == 2 || range[2] == '-'))
			return i;
	}
	return -1;
}

/*
 * Each language gets the highest weight of the ranges naming it, else the
 * weight of "*".  The heaviest acceptable one wins; ties go to the one named
 * first, then to the order of `prefer`, which starts with LANG_DEFAULT.
 */
enum lang
lang_from_accept_language(const char *header)
{
	static const enum lang prefer[LANG_COUNT] = {LANG_RU, LANG_KK, LANG_EN};
	_Static_assert(LANG_DEFAULT == LANG_RU, "prefer[] starts with default");
	int q[LANG_COUNT] = {-1, -1, -1}, pos[LANG_COUNT] = {0};
	int i, l, w, best = -1, index = 0, star_q = -1, star_pos = 0;
	const char *p, *t, *end, *e, *range;
	size_t rlen;

	if (header == NULL)
		return LANG_DEFAULT;
	end = header + strnlen(header, ACCEPT_LANGUAGE_MAX);
	for (p = header; p < end; p = e + 1, index++) {
		e = memchr(p, ',', (size_t)(end - p));
		if (e == NULL)
			e = end;
		while (p < e && is_ows(*p))
			p++;
		for (t = e; t > p && is_ows(t[-1]); t--)
			;
		if (!element_parse(p, (size_t)(t - p), &range, &rlen, &w))
			continue;
		if (rlen == 1 && range[0] == '*') {
			if (w > star_q) {
				star_q = w;
				star_pos = index;
			}
		} else if ((l = range_lang(range, rlen)) != -1 && w > q[l]) {
			q[l] = w;
			pos[l] = index;
		}
	}
	for (i = 0; i < LANG_COUNT; i++) {
		l = prefer[i];
		if (q[l] < 0) {
			q[l] = star_q;
			pos[l] = star_pos;
		}
		if (q[l] > 0 && (best == -1 || q[l] > q[best] ||
		                 (q[l] == q[best] && pos[l] < pos[best])))
			best = l;
	}
	return best == -1 ? LANG_DEFAULT : (enum lang)best;
}
