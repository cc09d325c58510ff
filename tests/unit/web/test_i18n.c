/*
 * The .mo reader on the embedded catalogues and on hand-built files of both
 * byte orders, lookups with fallback, and Accept-Language negotiation.
 * Buffers handed to mo_open() are malloc'd to their exact size so ASan
 * catches a read past the end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/embedded.h"
#include "web/i18n.h"

struct entry {
	const char *id, *str;
	size_t id_len, str_len; /* 0: strlen; set for plural entries */
};

static void
put32(unsigned char *p, uint32_t v, bool big_endian)
{
	int i;

	for (i = 0; i < 4; i++)
		p[big_endian ? i : 3 - i] = (unsigned char)(v >> (24 - 8 * i));
}

/* A .mo file in the layout msgfmt writes, without a hash table. */
static unsigned char *
mo_build(const struct entry *e, uint32_t n, bool big_endian, size_t *size)
{
	size_t total = 28 + (size_t)n * 16, off, len[2];
	const char *s[2];
	unsigned char *mo;
	uint32_t i, t;

	for (i = 0; i < n; i++)
		total += (e[i].id_len ? e[i].id_len : strlen(e[i].id)) +
		         (e[i].str_len ? e[i].str_len : strlen(e[i].str)) + 2;
	mo = calloc(1, total);
	assert_non_null(mo);
	put32(mo, 0x950412de, big_endian);
	put32(mo + 8, n, big_endian);
	put32(mo + 12, 28, big_endian);
	put32(mo + 16, 28 + n * 8, big_endian);
	off = 28 + (size_t)n * 16;
	for (t = 0; t < 2; t++) {
		for (i = 0; i < n; i++) {
			s[0] = e[i].id;
			s[1] = e[i].str;
			len[0] = e[i].id_len ? e[i].id_len : strlen(s[0]);
			len[1] = e[i].str_len ? e[i].str_len : strlen(s[1]);
			put32(mo + 28 + t * n * 8 + i * 8, (uint32_t)len[t],
			      big_endian);
			put32(mo + 28 + t * n * 8 + i * 8 + 4, (uint32_t)off,
			      big_endian);
			memcpy(mo + off, s[t], len[t]);
			off += len[t] + 1;
		}
	}
	*size = total;
	return mo;
}

#define LEN(s) (sizeof(s) - 1)

/* Sorted as msgfmt sorts: by strcmp, so "Pear" < "file". */
static const struct entry sample[] = {
        {"", "Content-Type: text/plain; charset=UTF-8\n", 0, 0},
        {"Apple", "Яблоко", 0, 0},
        {"Empty", "", 0, 0},
        {"Pear", "Груша", 0, 0},
        {"file\0files", "файл\0файла\0файлов", LEN("file\0files"),
         LEN("файл\0файла\0файлов")},
        {"zebra", "зебра", 0, 0},
};

static void
test_mo_both_byte_orders(void **state)
{
	struct mo_catalogue mo;
	unsigned char *data;
	size_t size;
	int be;

	(void)state;
	for (be = 0; be < 2; be++) {
		data = mo_build(sample, 6, be, &size);
		assert_int_equal(mo_open(&mo, data, size), 0);
		assert_int_equal(mo.big_endian, be);
		assert_int_equal(mo.count, 6);
		assert_string_equal(mo_lookup(&mo, "Apple"), "Яблоко");
		assert_string_equal(mo_lookup(&mo, "Pear"), "Груша");
		assert_string_equal(mo_lookup(&mo, "zebra"), "зебра");
		assert_string_equal(mo_lookup(&mo, "file"), "файл");
		assert_null(mo_lookup(&mo, "Empty"));
		assert_null(mo_lookup(&mo, "Aardvark"));
		assert_null(mo_lookup(&mo, "Banana"));
		assert_null(mo_lookup(&mo, "zzz"));
		assert_null(mo_lookup(&mo, "files"));
		free(data);
	}
}

/* Copies `size` bytes of `src` to a buffer of exactly that size. */
static int
mo_open_copy(const unsigned char *src, size_t size)
{
	struct mo_catalogue mo;
	unsigned char *copy = malloc(size ? size : 1);
	int rc;

	assert_non_null(copy);
	memcpy(copy, src, size);
	rc = mo_open(&mo, copy, size);
	if (rc == -1)
		assert_int_equal(mo.count, 0);
	free(copy);
	return rc;
}

static void
test_mo_malformed(void **state)
{
	static const struct entry unsorted[] = {
	        {"", "h", 0, 0}, {"b", "B", 0, 0}, {"a", "A", 0, 0}};
	static const struct entry twice[] = {
	        {"", "h", 0, 0}, {"a", "A", 0, 0}, {"a", "A", 0, 0}};
	struct mo_catalogue mo;
	unsigned char *data;
	size_t size;

	(void)state;
	assert_int_equal(mo_open(&mo, NULL, 0), -1);
	data = mo_build(sample, 6, false, &size);
	assert_int_equal(mo_open_copy(data, size), 0);

	data[0] ^= 1; /* magic */
	assert_int_equal(mo_open_copy(data, size), -1);
	data[0] ^= 1;
	put32(data + 4, 2u << 16, false); /* unknown major revision */
	assert_int_equal(mo_open_copy(data, size), -1);
	put32(data + 4, 1u << 16, false); /* revision 1 is readable */
	assert_int_equal(mo_open_copy(data, size), 0);
	put32(data + 8, 0x20000000, false); /* count beyond the file */
	assert_int_equal(mo_open_copy(data, size), -1);
	put32(data + 8, 6, false);
	put32(data + 16, (uint32_t)size - 8, false); /* table runs off */
	assert_int_equal(mo_open_copy(data, size), -1);
	put32(data + 16, 28 + 6 * 8, false);
	put32(data + 28 + 8 + 4, (uint32_t)size, false); /* string offset */
	assert_int_equal(mo_open_copy(data, size), -1);
	put32(data + 28 + 8 + 4, 0xfffffff0u, false);
	assert_int_equal(mo_open_copy(data, size), -1);
	free(data);

	/* "Apple" said to be 6 bytes long: its 7th byte is not a NUL. */
	data = mo_build(sample, 6, false, &size);
	put32(data + 28 + 8, 6, false);
	assert_int_equal(mo_open_copy(data, size), -1);
	free(data);

	data = mo_build(unsorted, 3, false, &size);
	assert_int_equal(mo_open_copy(data, size), -1);
	free(data);
	data = mo_build(twice, 3, true, &size);
	assert_int_equal(mo_open_copy(data, size), -1);
	free(data);
}

static void
test_mo_truncated(void **state)
{
	const struct embedded_file *f;
	size_t n;

	(void)state;
	f = embedded_find(embedded_catalogues, "ru.mo");
	assert_non_null(f);
	assert_int_equal(mo_open_copy(f->data, f->size), 0);
	for (n = 0; n < f->size; n++)
		assert_int_equal(mo_open_copy(f->data, n), -1);
}

static void
test_embedded_catalogues(void **state)
{
	static const char *const names[] = {"kk.mo", "ru.mo", "en.mo"};
	const struct embedded_file *f;
	struct mo_catalogue mo;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		f = embedded_find(embedded_catalogues, names[i]);
		assert_non_null(f);
		assert_int_equal(mo_open(&mo, f->data, f->size), 0);
		assert_true(mo.count >= 1);
		assert_non_null(strstr(mo_lookup(&mo, ""), "charset=UTF-8"));
	}
	assert_int_equal(i18n_init(), 0);
}

static void
test_translations(void **state)
{
	(void)state;
	assert_string_equal(i18n_get(LANG_KK, "Sign in"), "Кіру");
	assert_string_equal(i18n_get(LANG_RU, "Sign in"), "Войти");
	assert_string_equal(i18n_get(LANG_EN, "Sign in"), "Sign in");
	assert_string_equal(i18n_get(LANG_KK, "Password"), "Құпиясөз");
	assert_string_equal(i18n_get(LANG_RU, "Password"), "Пароль");
	assert_string_equal(i18n_get(LANG_RU, "Log out"), "Выйти");
}

static void
test_missing_falls_back(void **state)
{
	static const char msgid[] = "No catalogue has this sentence";
	static const char sign_in[] = "Sign in";
	int l;

	(void)state;
	for (l = 0; l < LANG_COUNT; l++) {
		assert_ptr_equal(i18n_get((enum lang)l, msgid), msgid);
		/* "" is the header's key: it must not leak the header. */
		assert_string_equal(i18n_get((enum lang)l, ""), "");
	}
	assert_ptr_equal(i18n_get((enum lang)LANG_COUNT, sign_in), sign_in);
	assert_string_equal(i18n_get(LANG_RU, "sign in"), "sign in");
}

static void
test_accept_language(void **state)
{
	static const struct {
		const char *header;
		enum lang want;
	} cases[] = {
	        {"ru-RU,ru;q=0.9,en;q=0.8", LANG_RU},
	        {"kk", LANG_KK},
	        {"KK-kz", LANG_KK},
	        {"en-GB", LANG_EN},
	        {"en-US,en;q=0.9", LANG_EN},
	        {"*", LANG_RU},
	        {"garbage", LANG_RU},
	        {";;;,,,==", LANG_RU},
	        {"", LANG_RU},
	        {"de-DE,de;q=0.9", LANG_RU},
	        {"de-DE, en;q=0.1", LANG_EN},
	        {"en;q=0.5, kk;q=0.8", LANG_KK},
	        {"en;q=0.8,kk;q=0.8", LANG_EN},
	        {"kk;q=0.8 , en ; q=0.8", LANG_KK},
	        {"en;q=0, *", LANG_RU},
	        {"ru;q=0, *;q=0.5", LANG_KK},
	        {"ru;q=0, kk;q=0, *", LANG_EN},
	        {"en;q=1.5, kk;q=0.2", LANG_KK},
	        {"en;q=0.0001, kk;q=0.001", LANG_KK},
	        {"en;q=0.000", LANG_RU},
	        {"en;q=1.000", LANG_EN},
	        {"en;q=1.001, kk;q=0.1", LANG_KK},
	        {"en;q = 0.5, kk;q=0.1", LANG_KK},
	        {"en_US, kk;q=0.3", LANG_KK},
	        {"kkk, eng, rus", LANG_RU},
	        {"en-, kk-toolongsubtag1", LANG_RU},
	        {"ru-RU-x-private;q=0.2,en;q=0.1", LANG_RU},
	        {"en-GB;q=0.2, en;q=0.9, ru;q=0.5", LANG_EN},
	};
	char *big;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (lang_from_accept_language(cases[i].header) != cases[i].want)
			fail_msg("Accept-Language \"%s\": got %s, want %s",
			         cases[i].header,
			         lang_code(lang_from_accept_language(
			                 cases[i].header)),
			         lang_code(cases[i].want));
	}
	assert_int_equal(lang_from_accept_language(NULL), LANG_RU);

	/* Past ACCEPT_LANGUAGE_MAX nothing is read, not even "kk". */
	len = ACCEPT_LANGUAGE_MAX + 16;
	big = malloc(len + 1);
	assert_non_null(big);
	memset(big, ' ', len);
	memcpy(big + len - 2, "kk", 3);
	assert_int_equal(lang_from_accept_language(big), LANG_RU);
	memcpy(big + ACCEPT_LANGUAGE_MAX - 2, ",kk", 3); /* cut to "k" */
	assert_int_equal(lang_from_accept_language(big), LANG_RU);
	memcpy(big + ACCEPT_LANGUAGE_MAX - 4, ",kk", 3);
	big[ACCEPT_LANGUAGE_MAX - 1] = ' ';
	assert_int_equal(lang_from_accept_language(big), LANG_KK);
	free(big);
}

static void
test_lang_codes(void **state)
{
	static const char *const bad[] = {"", "KK", "kz", "rus", "en-US", "e"};
	enum lang l = LANG_EN;
	size_t i;

	(void)state;
	for (i = 0; i < LANG_COUNT; i++) {
		assert_true(lang_from_code(lang_code((enum lang)i), &l));
		assert_int_equal(l, i);
	}
	assert_string_equal(lang_code(LANG_KK), "kk");
	assert_string_equal(lang_code(LANG_RU), "ru");
	assert_string_equal(lang_code(LANG_EN), "en");
	assert_string_equal(lang_code((enum lang)LANG_COUNT), "ru");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(lang_from_code(bad[i], &l));
	assert_false(lang_from_code(NULL, &l));
	assert_int_equal(l, LANG_EN);
}

static int
setup(void **state)
{
	(void)state;
	return i18n_init();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_mo_both_byte_orders),
	        cmocka_unit_test(test_mo_malformed),
	        cmocka_unit_test(test_mo_truncated),
	        cmocka_unit_test(test_embedded_catalogues),
	        cmocka_unit_test(test_translations),
	        cmocka_unit_test(test_missing_falls_back),
	        cmocka_unit_test(test_accept_language),
	        cmocka_unit_test(test_lang_codes),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
