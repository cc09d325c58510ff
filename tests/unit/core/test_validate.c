/*
 * The IINs here were built for the tests: the first eleven digits chosen,
 * the twelfth computed with the decree's weights (see validate.c), so none
 * belongs to a person.  Each invalid case changes one thing in a valid one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/validate.h"

static void
test_iin_valid(void **state)
{
	(void)state;
	assert_true(validate_iin("900101300007")); /* 1990-01-01, male */
	assert_true(validate_iin("051231600007")); /* 2005-12-31, female */
	assert_true(validate_iin("000101500001")); /* 2000-01-01 */
	/* The first weighting gives 10, so the second decides. */
	assert_true(validate_iin("800229401801"));
}

static void
test_iin_checksum(void **state)
{
	(void)state;
	assert_false(validate_iin("900101300008"));
	assert_false(validate_iin("900101300000"));
	assert_false(validate_iin("051231600006"));
	/* Check digit computed with the first weights, where the second
	 * weights apply. */
	assert_false(validate_iin("800229401800"));
	/* Both weightings give 10: never a valid number, whatever digit
	 * follows. */
	assert_false(validate_iin("900101300800"));
	assert_false(validate_iin("900101300801"));
	assert_false(validate_iin("900101300809"));
	/* Two digits swapped. */
	assert_false(validate_iin("900101300070"));
}

static void
test_iin_shape(void **state)
{
	(void)state;
	/* Right checksums, wrong dates or century digit. */
	assert_false(validate_iin("901301300007")); /* month 13 */
	assert_false(validate_iin("900001300003")); /* month 00 */
	assert_false(validate_iin("900100300001")); /* day 00 */
	assert_false(validate_iin("900132300006")); /* day 32 */
	assert_false(validate_iin("900101000008")); /* 7th digit 0 */
	assert_false(validate_iin("900101700002")); /* 7th digit 7 */
	/* Length and characters. */
	assert_false(validate_iin(NULL));
	assert_false(validate_iin(""));
	assert_false(validate_iin("90010130000"));
	assert_false(validate_iin("9001013000070"));
	assert_false(validate_iin("90010130000 "));
	assert_false(validate_iin(" 900101300007"));
	assert_false(validate_iin("9001013000O7"));
	assert_false(validate_iin("900101-300007"));
	/* Arabic-Indic digits are not ASCII digits. */
	assert_false(validate_iin("٩٠٠١٠١٣٠٠٠٠٧"));
}

static void
test_phone_e164(void **state)
{
	(void)state;
	assert_true(validate_phone_e164("+77011234567"));
	assert_true(validate_phone_e164("+12025550123"));
	assert_true(validate_phone_e164("+49301234"));          /* 8 digits */
	assert_true(validate_phone_e164("+123456789012345"));   /* 15 */
	assert_false(validate_phone_e164("+4930123"));          /* 7 */
	assert_false(validate_phone_e164("+1234567890123456")); /* 16 */
	assert_false(validate_phone_e164("+07011234567"));
	assert_false(validate_phone_e164("77011234567"));
	assert_false(validate_phone_e164("+7 7011234567"));
	assert_false(validate_phone_e164("+7701123456a"));
	assert_false(validate_phone_e164("++77011234567"));
	assert_false(validate_phone_e164("+"));
	assert_false(validate_phone_e164(""));
	assert_false(validate_phone_e164(NULL));
}

static void
assert_phone(const char *in, const char *want)
{
	char out[VALIDATE_PHONE_MAX + 1];

	memset(out, 'x', sizeof(out));
	assert_int_equal(normalize_phone(in, out, sizeof(out)), 0);
	assert_string_equal(out, want);
}

static void
assert_no_phone(const char *in)
{
	char out[VALIDATE_PHONE_MAX + 1];

	assert_int_equal(normalize_phone(in, out, sizeof(out)), -1);
}

static void
test_normalize_phone(void **state)
{
	char small[VALIDATE_PHONE_MAX];

	(void)state;
	assert_phone("8 701 123 45 67", "+77011234567");
	assert_phone("+7 (701) 123-45-67", "+77011234567");
	assert_phone("87011234567", "+77011234567");
	assert_phone("77011234567", "+77011234567");
	assert_phone("8 (727) 250-00-00", "+77272500000");
	assert_phone("+77011234567", "+77011234567");
	assert_phone(" +7 916 123 45 67 ", "+79161234567");
	assert_phone("+996 555 123 456", "+996555123456");
	assert_phone("+49 30 1234567", "+49301234567");

	assert_no_phone("8 701 123 45 6");   /* a digit short */
	assert_no_phone("8 701 123 45 678"); /* a digit over */
	assert_no_phone("+7 701 123 45 6");  /* +7 needs ten more */
	assert_no_phone("7011234567");       /* country unknown */
	assert_no_phone("0555123456");
	assert_no_phone("97011234567");
	assert_no_phone("+0 701 123 45 67");
	assert_no_phone("+7 701 123 45 67 ext 2");
	assert_no_phone("8 701 123+45 67");
	assert_no_phone("++77011234567");
	assert_no_phone("8.701.123.45.67");
	assert_no_phone("+1234567890123456");
	assert_no_phone("+");
	assert_no_phone("");
	assert_no_phone(" - ");
	assert_no_phone(NULL);
	assert_int_equal(normalize_phone("87011234567", NULL, 20), -1);
	/* A buffer one byte short is refused even for a short number. */
	assert_int_equal(normalize_phone("87011234567", small, sizeof(small)),
	                 -1);
}

static void
test_email(void **state)
{
	char local[80], domain[400], label[80];

	(void)state;
	assert_true(validate_email("parent@example.kz"));
	assert_true(validate_email("a.b-c+tag@mail.example.com"));
	assert_true(validate_email("o'neil!#$%&*/=?^_`{|}~@x-y.org"));
	assert_true(validate_email("a@b.co"));
	assert_true(validate_email("user@123.example"));
	assert_true(validate_email("user@example.xn--p1ai"));

	assert_false(validate_email(NULL));
	assert_false(validate_email(""));
	assert_false(validate_email("parent"));
	assert_false(validate_email("@example.kz"));
	assert_false(validate_email("parent@"));
	assert_false(validate_email("a@b@example.kz"));
	assert_false(validate_email(".a@example.kz"));
	assert_false(validate_email("a.@example.kz"));
	assert_false(validate_email("a..b@example.kz"));
	assert_false(validate_email("a b@example.kz"));
	assert_false(validate_email("\"a\"@example.kz"));
	assert_false(validate_email("a@localhost"));
	assert_false(validate_email("a@-example.kz"));
	assert_false(validate_email("a@example-.kz"));
	assert_false(validate_email("a@example.kz-"));
	assert_false(validate_email("a@example..kz"));
	assert_false(validate_email("a@.example.kz"));
	assert_false(validate_email("a@example.kz."));
	assert_false(validate_email("a@exa_mple.kz"));
	assert_false(validate_email("a@10.0.0.1"));
	assert_false(validate_email("a@[10.0.0.1]"));
	assert_false(validate_email("әлия@example.kz"));
	assert_false(validate_email("a@пример.kz"));
	assert_false(validate_email("a@example.kz\n"));

	/* Local part: 64 bytes pass, 65 do not. */
	memset(local, 'l', sizeof(local));
	snprintf(local + 64, sizeof(local) - 64, "@example.kz");
	assert_true(validate_email(local));
	local[64] = 'l';
	snprintf(local + 65, sizeof(local) - 65, "@example.kz");
	assert_false(validate_email(local));

	/* A label: 63 bytes pass, 64 do not. */
	memset(label, 'd', sizeof(label));
	snprintf(domain, sizeof(domain), "a@%.63s.kz", label);
	assert_true(validate_email(domain));
	snprintf(domain, sizeof(domain), "a@%.64s.kz", label);
	assert_false(validate_email(domain));

	/* The whole address: 254 bytes pass, 255 do not.  "a@", four
	 * 61-byte labels and their dots take 249. */
	snprintf(domain, sizeof(domain), "a@%.61s.%.61s.%.61s.%.61s.abcd",
	         label, label, label, label);
	assert_int_equal(strlen(domain), 254);
	assert_true(validate_email(domain));
	snprintf(domain, sizeof(domain), "a@%.61s.%.61s.%.61s.%.61s.abcde",
	         label, label, label, label);
	assert_int_equal(strlen(domain), 255);
	assert_false(validate_email(domain));
}

static void
assert_class(const char *in, int want_grade, const char *want_letter)
{
	char letter[VALIDATE_CLASS_LETTER_SIZE];
	int grade = -1;

	memset(letter, 'x', sizeof(letter));
	assert_int_equal(parse_class_name(in, &grade, letter, sizeof(letter)),
	                 0);
	assert_int_equal(grade, want_grade);
	assert_string_equal(letter, want_letter);
}

static void
assert_no_class(const char *in)
{
	char letter[VALIDATE_CLASS_LETTER_SIZE];
	int grade = -1;

	assert_int_equal(parse_class_name(in, &grade, letter, sizeof(letter)),
	                 -1);
}

static void
test_class_name(void **state)
{
	char tiny[2];
	int grade = -1;

	(void)state;
	assert_class("3А", 3, "А");
	assert_class("3а", 3, "А");
	assert_class("10B", 10, "B");
	assert_class("10b", 10, "B");
	assert_class("11 Ә", 11, "Ә");
	assert_class("11 ә", 11, "Ә");
	assert_class("5-А", 5, "А");
	assert_class("5-я", 5, "Я");
	assert_class("1", 1, "");
	assert_class("0", 0, "");
	assert_class("0А", 0, "А");
	assert_class("12Б", 12, "Б");
	assert_class(" 7В ", 7, "В");
	assert_class("2ё", 2, "Ё");
	/* Every Kazakh letter, lower case to upper. */
	assert_class("4ғ", 4, "Ғ");
	assert_class("4қ", 4, "Қ");
	assert_class("4ң", 4, "Ң");
	assert_class("4ө", 4, "Ө");
	assert_class("4ұ", 4, "Ұ");
	assert_class("4ү", 4, "Ү");
	assert_class("4һ", 4, "Һ");
	assert_class("4і", 4, "І");
	assert_class("4Қ", 4, "Қ");

	assert_no_class(NULL);
	assert_no_class("");
	assert_no_class(" ");
	assert_no_class("А3"); /* a class without a grade */
	assert_no_class("Б");
	assert_no_class("13А");
	assert_no_class("100");
	assert_no_class("03А");
	assert_no_class("-1");
	assert_no_class("3АБ");
	assert_no_class("3 -А");
	assert_no_class("3  А");
	assert_no_class("3-");
	assert_no_class("3_А");
	assert_no_class("3.");
	assert_no_class("3\xD0");     /* truncated letter */
	assert_no_class("3\xC3\xA9"); /* é: not a class letter */
	assert_no_class("3Ω");
	assert_no_class("3ў"); /* Belarusian, not Kazakh or Russian */
	assert_no_class("31");

	/* Grade and letter are optional outputs; a short buffer fails. */
	assert_int_equal(parse_class_name("3А", NULL, NULL, 0), 0);
	assert_int_equal(parse_class_name("3А", &grade, tiny, sizeof(tiny)),
	                 -1);
	assert_int_equal(parse_class_name("3B", &grade, tiny, sizeof(tiny)), 0);
	assert_string_equal(tiny, "B");
	assert_int_equal(grade, 3);
}

static void
test_date(void **state)
{
	(void)state;
	assert_true(validate_date("2015-09-01"));
	assert_true(validate_date("1900-01-01"));
	assert_true(validate_date("2100-12-31"));
	assert_true(validate_date("2016-02-29"));
	assert_true(validate_date("2000-02-29")); /* divisible by 400 */
	assert_true(validate_date("2015-04-30"));
	assert_false(validate_date("2015-02-29"));
	assert_false(validate_date("1900-02-29")); /* divisible by 100 */
	assert_false(validate_date("2100-02-29"));
	assert_false(validate_date("2015-04-31"));
	assert_false(validate_date("2015-13-01"));
	assert_false(validate_date("2015-00-10"));
	assert_false(validate_date("2015-01-00"));
	assert_false(validate_date("2015-01-32"));
	assert_false(validate_date("1899-12-31"));
	assert_false(validate_date("2101-01-01"));
	assert_false(validate_date("2015-9-01"));
	assert_false(validate_date("2015/09/01"));
	assert_false(validate_date("01.09.2015"));
	assert_false(validate_date("2015-09-01 "));
	assert_false(validate_date("2015-09-0a"));
	assert_false(validate_date(""));
	assert_false(validate_date(NULL));
}

static void
test_ref(void **state)
{
	char s[66];

	(void)state;
	assert_true(validate_ref("S-001"));
	assert_true(validate_ref("a"));
	assert_true(validate_ref("2024.3A_17"));
	assert_false(validate_ref(""));
	assert_false(validate_ref(NULL));
	assert_false(validate_ref("S 001"));
	assert_false(validate_ref("S/001"));
	assert_false(validate_ref("С001")); /* Cyrillic С */
	memset(s, 'r', 64);
	s[64] = '\0';
	assert_true(validate_ref(s));
	s[64] = 'r';
	s[65] = '\0';
	assert_false(validate_ref(s));
}

static void
test_code(void **state)
{
	char s[34];

	(void)state;
	assert_true(validate_code("demo"));
	assert_true(validate_code("school-17"));
	assert_true(validate_code("17"));
	assert_true(validate_code("a"));
	assert_false(validate_code(""));
	assert_false(validate_code(NULL));
	assert_false(validate_code("-demo"));
	assert_false(validate_code("Demo"));
	assert_false(validate_code("demo_1"));
	assert_false(validate_code("demo.kz"));
	assert_false(validate_code("де"));
	memset(s, 'c', 32);
	s[32] = '\0';
	assert_true(validate_code(s));
	s[32] = 'c';
	s[33] = '\0';
	assert_false(validate_code(s));
}

static void
test_login(void **state)
{
	char s[66];

	(void)state;
	assert_true(validate_login("abc"));
	assert_true(validate_login("a.director_2-x"));
	assert_true(validate_login("..."));
	assert_false(validate_login("ab"));
	assert_false(validate_login(""));
	assert_false(validate_login(NULL));
	assert_false(validate_login("Admin"));
	assert_false(validate_login("a b c"));
	assert_false(validate_login("a@b.kz"));
	assert_false(validate_login("әлия"));
	memset(s, 'l', 64);
	s[64] = '\0';
	assert_true(validate_login(s));
	s[64] = 'l';
	s[65] = '\0';
	assert_false(validate_login(s));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_iin_valid),
	        cmocka_unit_test(test_iin_checksum),
	        cmocka_unit_test(test_iin_shape),
	        cmocka_unit_test(test_phone_e164),
	        cmocka_unit_test(test_normalize_phone),
	        cmocka_unit_test(test_email),
	        cmocka_unit_test(test_class_name),
	        cmocka_unit_test(test_date),
	        cmocka_unit_test(test_ref),
	        cmocka_unit_test(test_code),
	        cmocka_unit_test(test_login),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
