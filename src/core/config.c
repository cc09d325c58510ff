/*
 * A table of typed options, in the shape of Redis's static_configs[]: adding
 * an option is one line here and a field in struct config.
 */
#include "core/config.h"

#include <errno.h>
#include <ini.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "http/http.h"

enum option_type { OPT_STRING, OPT_SIZE, OPT_UINT };

struct option {
	const char *key;
	enum option_type type;
	size_t offset;
	const char *default_value;
	bool secret; /* may hold a password or token */
};

#define STR(x)  #x
#define XSTR(x) STR(x)

static const struct option options[] = {
        {"db", OPT_STRING, offsetof(struct config, db), "var/qorgan.db", false},
        {"listen", OPT_STRING, offsetof(struct config, listen),
         "127.0.0.1:8080", false},
        {"base_url", OPT_STRING, offsetof(struct config, base_url),
         "http://127.0.0.1:8080", false},
        {"smtp_url", OPT_STRING, offsetof(struct config, smtp_url), NULL, true},
        {"smtp_from", OPT_STRING, offsetof(struct config, smtp_from),
         "qorgan@localhost", false},
        {"telegram_api", OPT_STRING, offsetof(struct config, telegram_api),
         NULL, true},
        {"sms_url", OPT_STRING, offsetof(struct config, sms_url), NULL, true},
        {"log_level", OPT_STRING, offsetof(struct config, log_level), "info",
         false},
        {"max_body", OPT_SIZE, offsetof(struct config, max_body),
         XSTR(HTTP_MAX_BODY_DEFAULT), false},
        {"max_upload", OPT_SIZE, offsetof(struct config, max_upload),
         XSTR(HTTP_MAX_UPLOAD_DEFAULT), false},
        {"max_header", OPT_SIZE, offsetof(struct config, max_header),
         XSTR(HTTP_MAX_HEADER_DEFAULT), false},
        {"max_connections", OPT_UINT, offsetof(struct config, max_connections),
         XSTR(HTTP_MAX_CONNECTIONS_DEFAULT), false},
        {"timeout", OPT_UINT, offsetof(struct config, timeout),
         XSTR(HTTP_TIMEOUT_DEFAULT), false},
        {"threads", OPT_UINT, offsetof(struct config, threads),
         XSTR(HTTP_THREADS_DEFAULT), false},
};

#define NOPTIONS (sizeof(options) / sizeof(options[0]))

static const struct option *
option_find(const char *key)
{
	size_t i;

	for (i = 0; i < NOPTIONS; i++)
		if (strcmp(options[i].key, key) == 0)
			return &options[i];
	return NULL;
}

/* Numbers may be products like "(1024 * 1024)": the defaults are macros. */
static int
parse_number(const char *s, uint64_t *out)
{
	uint64_t value = 1, term;
	char *end;

	while (*s == '(' || *s == ' ')
		s++;
	for (;;) {
		if (*s < '0' || *s > '9')
			return -1;
		errno = 0;
		term = strtoull(s, &end, 10);
		if (errno != 0 || (term != 0 && value > UINT64_MAX / term))
			return -1;
		value *= term;
		s = end;
		while (*s == ' ' || *s == ')')
			s++;
		if (*s == '\0')
			break;
		if (*s != '*')
			return -1;
		s++;
		while (*s == ' ')
			s++;
	}
	*out = value;
	return 0;
}

static int
option_set(struct config *c, const struct option *o, const char *value)
{
	char *field = (char *)c + o->offset;
	uint64_t n;
	char *copy;

	switch (o->type) {
	case OPT_STRING:
		copy = value ? strdup(value) : NULL;
		if (value != NULL && copy == NULL)
			return -1;
		free(*(char **)(void *)field);
		*(char **)(void *)field = copy;
		return 0;
	case OPT_SIZE:
		if (parse_number(value, &n) == -1 || n == 0 || n > SIZE_MAX)
			return -1;
		*(size_t *)(void *)field = (size_t)n;
		return 0;
	case OPT_UINT:
		if (parse_number(value, &n) == -1 || n == 0 || n > 65535)
			return -1;
		*(unsigned *)(void *)field = (unsigned)n;
		return 0;
	}
	return -1;
}

struct ini_state {
	struct config *c;
	char reason[128];
	bool failed;
	bool has_secret;
};

/*
 * Debian's inih does not pass line numbers to the handler, but returns the
 * line of the first entry the handler refused; the message is kept here and
 * the line is added when ini_parse_file() returns.
 */
static int
on_ini_entry(void *user, const char *section, const char *name,
             const char *value)
{
	struct ini_state *st = user;
	const struct option *o;

	if (st->failed)
		return 0; /* keep the first reason: its line is the one returned
		           */
	if (section[0] != '\0' && strcmp(section, "qorgan") != 0) {
		snprintf(st->reason, sizeof(st->reason), "unknown section [%s]",
		         section);
		st->failed = true;
		return 0;
	}
	o = option_find(name);
	if (o == NULL) {
		snprintf(st->reason, sizeof(st->reason), "unknown key '%s'",
		         name);
		st->failed = true;
		return 0;
	}
	if (option_set(st->c, o, value) == -1) {
		snprintf(st->reason, sizeof(st->reason), "bad value for '%s'",
		         name);
		st->failed = true;
		return 0;
	}
	if (o->secret)
		st->has_secret = true;
	return 1;
}

static int
config_read_file(struct config *c, const char *file, char *err, size_t errlen)
{
	struct ini_state st = {.c = c};
	struct stat sb;
	FILE *f;
	int rc;

	f = fopen(file, "r");
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", file, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &sb) == -1) {
		snprintf(err, errlen, "%s: %s", file, strerror(errno));
		fclose(f);
		return -1;
	}
	rc = ini_parse_file(f, on_ini_entry, &st);
	fclose(f);
	if (rc != 0) {
		snprintf(err, errlen, "%s:%d: %s", file, rc,
		         st.failed ? st.reason : "cannot parse this line");
		return -1;
	}
	if (st.has_secret && (sb.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		snprintf(err, errlen,
		         "%s: holds secrets but others may read it "
		         "(chmod 600 %s)",
		         file, file);
		return -1;
	}
	return 0;
}

static int
config_read_env(struct config *c, char *err, size_t errlen)
{
	char name[64], *p;
	const char *value;
	size_t i;

	for (i = 0; i < NOPTIONS; i++) {
		snprintf(name, sizeof(name), "QORGAN_%s", options[i].key);
		for (p = name; *p != '\0'; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 'a' + 'A');
		value = getenv(name);
		if (value == NULL || *value == '\0')
			continue;
		if (option_set(c, &options[i], value) == -1) {
			snprintf(err, errlen, "bad value in %s", name);
			return -1;
		}
	}
	return 0;
}

int
config_load(struct config *c, const char *file, char *err, size_t errlen)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < NOPTIONS; i++)
		if (options[i].default_value != NULL &&
		    option_set(c, &options[i], options[i].default_value) ==
		            -1) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	if (file == NULL)
		file = getenv("QORGAN_CONFIG");
	if (file != NULL && *file != '\0' &&
	    config_read_file(c, file, err, errlen) == -1)
		return -1;
	return config_read_env(c, err, errlen);
}

int
config_set(struct config *c, const char *key, const char *value, char *err,
           size_t errlen)
{
	const struct option *o = option_find(key);

	if (o == NULL || value == NULL || option_set(c, o, value) == -1) {
		snprintf(err, errlen, "bad value for %s", key);
		return -1;
	}
	return 0;
}

void
config_free(struct config *c)
{
	size_t i;

	for (i = 0; i < NOPTIONS; i++)
		if (options[i].type == OPT_STRING)
			free(*(char **)(void *)((char *)c + options[i].offset));
	memset(c, 0, sizeof(*c));
}

int
config_log_level(const struct config *c, enum log_level *out)
{
	if (strcmp(c->log_level, "warn") == 0)
		*out = LOG_LEVEL_WARN;
	else if (strcmp(c->log_level, "info") == 0)
		*out = LOG_LEVEL_INFO;
	else if (strcmp(c->log_level, "debug") == 0)
		*out = LOG_LEVEL_DEBUG;
	else
		return -1;
	return 0;
}
