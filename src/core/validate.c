/*
 * The character classes are spelled out instead of using <ctype.h>: isalpha()
 * and friends follow the process locale, and a validator must give the same
 * answer in every process.
 */
#include "core/validate.h"

#include <string.h>

#include "core/utf8.h"

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool
is_alpha(char c)
{
	return is_lower(c) || (c >= 'A' && c <= 'Z');
}

static bool
is_alnum(char c)
{
	return is_alpha(c) || is_digit(c);
}

/* Whether s is min..max bytes, each of them in `extra` or accepted by cls. */
static bool
all_of(const char *s, size_t min, size_t max, bool (*cls)(char),
       const char *extra)
{
	size_t i;

	if (s == NULL)
		return false;
	for (i = 0; s[i] != '\0'; i++) {
		if (i >= max)
			return false;
		if (!cls(s[i]) && strchr(extra, s[i]) == NULL)
			return false;
	}
	return i >= min;
}

/* The number in s[0..n) (all digits, n small). */
static int
digits_value(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static int
iin_checksum(const char *s, const int weights[11])
{
	int sum = 0, i;

	for (i = 0; i < 11; i++)
		sum += (s[i] - '0') * weights[i];
	return sum % 11;
}

bool
validate_iin(const char *s)
{
	/* Government decree No. 565 of 11 June 2003: when the first weighting
	 * gives 10 the second decides, and a number for which it gives 10 too
	 * is never issued (no digit equals 10, so the compare rejects it). */
	static const int w1[11] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
	static const int w2[11] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};
	int month, day, check;

	if (!all_of(s, VALIDATE_IIN_LEN, VALIDATE_IIN_LEN, is_digit, ""))
		return false;
	month = digits_value(s + 2, 2);
	day = digits_value(s + 4, 2);
	if (month < 1 || month > 12 || day < 1 || day > 31)
		return false;
	if (s[6] < '1' || s[6] > '6')
		return false;
	check = iin_checksum(s, w1);
	if (check == 10)
		check = iin_checksum(s, w2);
	return check == s[11] - '0';
}

bool
validate_phone_e164(const char *s)
{
	if (s == NULL || s[0] != '+' || s[1] == '0')
		return false;
	return all_of(s + 1, 8, 15, is_digit, "");
}

int
normalize_phone(const char *in, char *out, size_t outlen)
{
	char digits[VALIDATE_PHONE_MAX];
	size_t n = 0, i;
	bool plus = false;

	if (in == NULL || out == NULL || outlen < VALIDATE_PHONE_MAX + 1)
		return -1;
	for (i = 0; in[i] != '\0'; i++) {
		if (is_digit(in[i])) {
			if (n == sizeof(digits) - 1)
				return -1;
			digits[n++] = in[i];
		} else if (in[i] == '+' && n == 0 && !plus) {
			plus = true;
		} else if (strchr(" -()", in[i]) == NULL) {
			return -1;
		}
	}
	if (!plus) {
		/* 8 is the trunk prefix for calls inside the +7 zone. */
		if (n != 11 || (digits[0] != '7' && digits[0] != '8'))
			return -1;
		digits[0] = '7';
	} else if (n > 0 && digits[0] == '7' && n != 11) {
		/* Every +7 number has ten digits after the country code. */
		return -1;
	}
	out[0] = '+';
	memcpy(out + 1, digits, n);
	out[n + 1] = '\0';
	return validate_phone_e164(out) ? 0 : -1;
}

static bool
is_atext(char c)
{
	return is_alnum(c) || (c != '\0' && strchr("!#$%&'*+/=?^_`{|}~-", c));
}

static bool
is_label_char(char c)
{
	return is_alnum(c) || c == '-';
}

/* A dot-separated run of non-empty atoms of chars accepted by cls. */
static bool
dot_atoms(const char *s, size_t len, bool (*cls)(char))
{
	size_t i;

	if (len == 0 || s[0] == '.' || s[len - 1] == '.')
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (s[i + 1] == '.')
				return false;
		} else if (!cls(s[i])) {
			return false;
		}
	}
	return true;
}

bool
validate_email(const char *s)
{
	const char *at, *dom, *label, *dot;
	size_t len, llen, i;
	bool numeric = true;

	if (s == NULL)
		return false;
	len = strnlen(s, VALIDATE_EMAIL_MAX + 1);
	if (len > VALIDATE_EMAIL_MAX)
		return false;
	at = strchr(s, '@');
	if (at == NULL || strchr(at + 1, '@') != NULL)
		return false;
	if ((size_t)(at - s) > VALIDATE_EMAIL_LOCAL_MAX ||
	    !dot_atoms(s, (size_t)(at - s), is_atext))
		return false;
	dom = at + 1;
	if (!dot_atoms(dom, strlen(dom), is_label_char))
		return false;
	if (strchr(dom, '.') == NULL)
		return false;
	for (label = dom;; label = dot + 1) {
		dot = strchr(label, '.');
		llen = dot ? (size_t)(dot - label) : strlen(label);
		if (llen > VALIDATE_EMAIL_LABEL_MAX || label[0] == '-' ||
		    label[llen - 1] == '-')
			return false;
		if (dot == NULL)
			break;
	}
	/* An all-digit top label is an IP address typed without brackets. */
	for (i = 0; i < llen; i++)
		numeric = numeric && is_digit(label[i]);
	return !numeric;
}

/* The upper-case form of a letter allowed in a class name, or 0. */
static uint32_t
class_letter_upper(uint32_t cp)
{
	/* Kazakh letters outside the Russian block, as upper/lower pairs
	 * (Ә Ғ Қ Ң Ө Ұ Ү Һ І); Ё/ё is here because it too sits outside
	 * А..я. */
	static const uint32_t pairs[][2] = {
	        {0x04D8, 0x04D9}, {0x0492, 0x0493}, {0x049A, 0x049B},
	        {0x04A2, 0x04A3}, {0x04E8, 0x04E9}, {0x04B0, 0x04B1},
	        {0x04AE, 0x04AF}, {0x04BA, 0x04BB}, {0x0406, 0x0456},
	        {0x0401, 0x0451},
	};
	size_t i;

	if (cp >= 'A' && cp <= 'Z')
		return cp;
	if (cp >= 'a' && cp <= 'z')
		return cp - 'a' + 'A';
	if (cp >= 0x0410 && cp <= 0x042F)
		return cp;
	if (cp >= 0x0430 && cp <= 0x044F)
		return cp - 0x20;
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		if (cp == pairs[i][0] || cp == pairs[i][1])
			return pairs[i][0];
	return 0;
}

int
parse_class_name(const char *s, int *grade, char *letter, size_t letterlen)
{
	char enc[UTF8_MAX_SEQ];
	size_t len, nd = 0, n = 0;
	uint32_t cp = 0;
	int g;

	if (s == NULL)
		return -1;
	while (*s == ' ')
		s++;
	len = strlen(s);
	while (len > 0 && s[len - 1] == ' ')
		len--;
	while (nd < len && is_digit(s[nd]))
		nd++;
	/* No digits is a class without a grade ("А3", "Б"). */
	if (nd == 0 || nd > 2 || (nd == 2 && s[0] == '0'))
		return -1;
	g = digits_value(s, nd);
	if (g > VALIDATE_GRADE_MAX)
		return -1;
	s += nd;
	len -= nd;
	if (len > 0 && (s[0] == ' ' || s[0] == '-')) {
		s++;
		len--;
		if (len == 0)
			return -1;
	}
	if (len > 0) {
		n = utf8_decode(s, len, &cp);
		if (n == 0 || n != len)
			return -1;
		cp = class_letter_upper(cp);
		if (cp == 0)
			return -1;
		n = utf8_encode(cp, enc);
	}
	if (letter != NULL) {
		if (letterlen < n + 1)
			return -1;
		memcpy(letter, enc, n);
		letter[n] = '\0';
	}
	if (grade != NULL)
		*grade = g;
	return 0;
}

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool
validate_date(const char *s)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30,
	                              31, 31, 30, 31, 30, 31};
	int y, m, d, last;
	size_t i;

	if (s == NULL || strlen(s) != 10)
		return false;
	for (i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return false;
		} else if (!is_digit(s[i])) {
			return false;
		}
	}
	y = digits_value(s, 4);
	m = digits_value(s + 5, 2);
	d = digits_value(s + 8, 2);
	if (y < 1900 || y > 2100 || m < 1 || m > 12)
		return false;
	last = mdays[m - 1] + (m == 2 && is_leap(y));
	return d >= 1 && d <= last;
}

bool
validate_ref(const char *s)
{
	return all_of(s, 1, VALIDATE_REF_MAX, is_alnum, "._-");
}

static bool
is_lower_alnum(char c)
{
	return is_lower(c) || is_digit(c);
}

bool
validate_code(const char *s)
{
	return all_of(s, 1, VALIDATE_CODE_MAX, is_lower_alnum, "-") &&
	       s[0] != '-';
}

bool
validate_login(const char *s)
{
	return all_of(s, VALIDATE_LOGIN_MIN, VALIDATE_LOGIN_MAX, is_lower_alnum,
	              "._-");
}
