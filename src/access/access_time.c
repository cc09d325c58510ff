/*
 * Time for the access module: RFC 3339 timestamps from gates, the window
 * a gate's clock must fall in, and counting days for pass listings.
 *
 * Watch for: parsing is done by hand, not with strptime() and timegm(),
 * because those normalise impossible dates (February 30th becomes March
 * 1st) and ignore offsets; a gate's bad clock must be refused, not guessed.
 */
#include "access/access.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/validate.h"

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t
days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* n ASCII digits at s as a number, or -1. */
static int
digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int
days_in_month(int y, int m)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30,
	                            31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : mdays[m - 1];
}

int
access_time_parse(const char *s, int64_t *epoch)
{
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
	size_t len, i = 19;

	if (s == NULL || (len = strlen(s)) < 20 || len > ACCESS_TIME_INPUT_MAX)
		return -1;
	if (s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') ||
	    s[13] != ':' || s[16] != ':')
		return -1;
	y = digits(s, 4);
	mo = digits(s + 5, 2);
	d = digits(s + 8, 2);
	h = digits(s + 11, 2);
	mi = digits(s + 14, 2);
	sec = digits(s + 17, 2);
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 ||
	    d > days_in_month(y, mo) || h < 0 || h > 23 || mi < 0 || mi > 59 ||
	    sec < 0 || sec > 60)
		return -1;
	if (s[i] == '.') {
		for (i++; s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (s[i - 1] == '.')
			return -1;
	}
	if ((s[i] == 'Z' || s[i] == 'z') && s[i + 1] == '\0') {
		sign = 0;
	} else if ((s[i] == '+' || s[i] == '-') && strlen(s + i) == 6 &&
	           s[i + 3] == ':') {
		sign = s[i] == '+' ? 1 : -1;
		oh = digits(s + i + 1, 2);
		om = digits(s + i + 4, 2);
		if (oh < 0 || oh > 23 || om < 0 || om > 59)
			return -1;
	} else {
		return -1;
	}
	if (sec == 60) /* a leap second: count it as the one before */
		sec = 59;
	*epoch = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
	         sign * (oh * 3600 + om * 60);
	return 0;
}

bool
access_time_valid(const char *s)
{
	int64_t t;

	return access_time_parse(s, &t) == 0;
}

void
access_time_format(int64_t epoch, char out[ACCESS_TIME_SIZE])
{
	time_t t = (time_t)epoch;
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, ACCESS_TIME_SIZE, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, ACCESS_TIME_SIZE, "1970-01-01T00:00:00Z");
}

enum access_when
access_time_window(int64_t at, int64_t now)
{
	if (at > now + ACCESS_FUTURE_SKEW_SECONDS)
		return ACCESS_WHEN_FUTURE;
	if (at < now - ACCESS_PAST_MAX_SECONDS)
		return ACCESS_WHEN_PAST;
	return ACCESS_WHEN_OK;
}

int64_t
access_days_between(const char *from, const char *to, bool *ok)
{
	*ok = validate_date(from) && validate_date(to);
	if (!*ok)
		return -1;
	return days_from_civil(digits(to, 4), digits(to + 5, 2),
	                       digits(to + 8, 2)) -
	       days_from_civil(digits(from, 4), digits(from + 5, 2),
	                       digits(from + 8, 2));
}
