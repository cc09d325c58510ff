/*
 * Configuration in its three layers (defaults, INI file, environment), the
 * errors a person must be able to act on (file:line for an unknown key or
 * section, the variable for a bad environment value), numbers that are not
 * numbers, and the refusal of a secrets file that others can read.
 *
 * Every test starts from an environment without QORGAN_* settings, and
 * writes its files in a directory of its own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"
#include "http/http.h"

static const char *const env_names[] = {
        "QORGAN_CONFIG",          "QORGAN_DB",         "QORGAN_LISTEN",
        "QORGAN_BASE_URL",        "QORGAN_SMTP_URL",   "QORGAN_SMTP_FROM",
        "QORGAN_TELEGRAM_API",    "QORGAN_SMS_URL",    "QORGAN_LOG_LEVEL",
        "QORGAN_MAX_BODY",        "QORGAN_MAX_UPLOAD", "QORGAN_MAX_HEADER",
        "QORGAN_MAX_CONNECTIONS", "QORGAN_TIMEOUT",    "QORGAN_THREADS",
};

struct fx {
	char dir[PATH_MAX];
	char path[PATH_MAX + 32];
	struct config c;
	char err[512];
};

static void
clear_env(void)
{
	size_t i;

	for (i = 0; i < sizeof(env_names) / sizeof(env_names[0]); i++)
		unsetenv(env_names[i]);
}

static int
setup(void **state)
{
	const char *base = getenv("QORGAN_TEST_TMP");
	struct fx *x = calloc(1, sizeof(*x));

	if (x == NULL)
		return -1;
	if (base == NULL || *base == '\0')
		base = "/tmp";
	if (mkdir(base, 0700) == -1 && errno != EEXIST)
		return -1;
	snprintf(x->dir, sizeof(x->dir), "%s/config-XXXXXX", base);
	if (mkdtemp(x->dir) == NULL)
		return -1;
	snprintf(x->path, sizeof(x->path), "%s/qorgan.ini", x->dir);
	clear_env();
	*state = x;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *x = *state;

	config_free(&x->c);
	unlink(x->path);
	rmdir(x->dir);
	clear_env();
	free(x);
	return 0;
}

/* Writes the test's INI file with `mode` (set explicitly: umask aside). */
static const char *
write_ini(struct fx *x, const char *text, mode_t mode)
{
	FILE *f = fopen(x->path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(x->path, mode), 0);
	return x->path;
}

/* Loads and expects failure; the message must mention `want`. */
static void
load_fails(struct fx *x, const char *file, const char *want)
{
	x->err[0] = '\0';
	assert_int_equal(config_load(&x->c, file, x->err, sizeof(x->err)), -1);
	if (strstr(x->err, want) == NULL)
		fail_msg("error \"%s\" does not contain \"%s\"", x->err, want);
	config_free(&x->c);
}

/* "PATH:LINE: " as the error must begin. */
static const char *
at_line(struct fx *x, int line)
{
	static char where[PATH_MAX + 64];

	snprintf(where, sizeof(where), "%s:%d: ", x->path, line);
	return where;
}

static void
test_defaults(void **state)
{
	struct fx *x = *state;
	enum log_level level = LOG_LEVEL_DEBUG;

	assert_int_equal(config_load(&x->c, NULL, x->err, sizeof(x->err)), 0);
	assert_string_equal(x->c.db, "var/qorgan.db");
	assert_string_equal(x->c.listen, "127.0.0.1:8080");
	assert_string_equal(x->c.base_url, "http://127.0.0.1:8080");
	assert_null(x->c.smtp_url);
	assert_string_equal(x->c.smtp_from, "qorgan@localhost");
	assert_null(x->c.telegram_api);
	assert_null(x->c.sms_url);
	assert_string_equal(x->c.log_level, "info");
	/* The named limits of http.h, not copies of their values. */
	assert_int_equal(x->c.max_body, HTTP_MAX_BODY_DEFAULT);
	assert_int_equal(x->c.max_upload, HTTP_MAX_UPLOAD_DEFAULT);
	assert_int_equal(x->c.max_header, HTTP_MAX_HEADER_DEFAULT);
	assert_int_equal(x->c.max_connections, HTTP_MAX_CONNECTIONS_DEFAULT);
	assert_int_equal(x->c.timeout, HTTP_TIMEOUT_DEFAULT);
	assert_int_equal(x->c.threads, HTTP_THREADS_DEFAULT);
	assert_int_equal(config_log_level(&x->c, &level), 0);
	assert_int_equal(level, LOG_LEVEL_INFO);
}

static void
test_file_overrides_defaults(void **state)
{
	struct fx *x = *state;
	const char *file = write_ini(x,
	                             "; qorgan settings\n"
	                             "db = /srv/qorgan/school.db\n"
	                             "\n"
	                             "[qorgan]\n"
	                             "threads = 8\n"
	                             "max_body = 2 * 1024\n"
	                             "max_upload = (64 * 1024 * 1024)\n"
	                             "log_level = debug\n",
	                             0644);

	assert_int_equal(config_load(&x->c, file, x->err, sizeof(x->err)), 0);
	assert_string_equal(x->c.db, "/srv/qorgan/school.db");
	assert_int_equal(x->c.threads, 8);
	assert_int_equal(x->c.max_body, 2048);
	assert_int_equal(x->c.max_upload, 64 * 1024 * 1024);
	assert_string_equal(x->c.log_level, "debug");
	/* What the file does not name keeps its default. */
	assert_string_equal(x->c.listen, "127.0.0.1:8080");
	assert_int_equal(x->c.timeout, HTTP_TIMEOUT_DEFAULT);
}

static void
test_config_env_names_the_file(void **state)
{
	struct fx *x = *state;

	write_ini(x, "listen = 0.0.0.0:9000\n", 0600);
	setenv("QORGAN_CONFIG", x->path, 1);
	assert_int_equal(config_load(&x->c, NULL, x->err, sizeof(x->err)), 0);
	assert_string_equal(x->c.listen, "0.0.0.0:9000");
	config_free(&x->c);
	/* An explicit file wins over QORGAN_CONFIG. */
	setenv("QORGAN_CONFIG", "/nonexistent/qorgan.ini", 1);
	assert_int_equal(config_load(&x->c, x->path, x->err, sizeof(x->err)),
	                 0);
	assert_string_equal(x->c.listen, "0.0.0.0:9000");
}

static void
test_env_overrides_file(void **state)
{
	struct fx *x = *state;
	const char *file = write_ini(x,
	                             "db = from-file.db\n"
	                             "threads = 8\n"
	                             "listen = 127.0.0.1:1111\n"
	                             "base_url = https://file.example\n",
	                             0644);

	setenv("QORGAN_DB", "from-env.db", 1);
	setenv("QORGAN_THREADS", "16", 1);
	setenv("QORGAN_MAX_HEADER", "4096", 1);
	setenv("QORGAN_BASE_URL", "https://env.example", 1);
	setenv("QORGAN_LISTEN", "", 1); /* empty: as if unset */
	assert_int_equal(config_load(&x->c, file, x->err, sizeof(x->err)), 0);
	assert_string_equal(x->c.db, "from-env.db");
	assert_int_equal(x->c.threads, 16);
	assert_int_equal(x->c.max_header, 4096);
	assert_string_equal(x->c.base_url, "https://env.example");
	assert_string_equal(x->c.listen, "127.0.0.1:1111");
}

static void
test_unknown_key_names_file_and_line(void **state)
{
	struct fx *x = *state;
	const char *file = write_ini(x,
	                             "db = a.db\n"
	                             "\n"
	                             "; a comment\n"
	                             "colour = red\n"
	                             "listen = 1.2.3.4:5\n"
	                             "shape = round\n",
	                             0644);
	char want[PATH_MAX + 128];

	/* The first bad line is reported, with the key. */
	snprintf(want, sizeof(want), "%sunknown key 'colour'", at_line(x, 4));
	load_fails(x, file, want);
}

static void
test_unknown_section(void **state)
{
	struct fx *x = *state;
	const char *file = write_ini(x,
	                             "[qorgan]\n"
	                             "db = a.db\n"
	                             "[server]\n"
	                             "listen = 1.2.3.4:5\n",
	                             0644);
	char want[PATH_MAX + 128];

	snprintf(want, sizeof(want), "%sunknown section [server]",
	         at_line(x, 4));
	load_fails(x, file, want);
	/* Section names are exact. */
	file = write_ini(x, "[Qorgan]\ndb = a.db\n", 0644);
	load_fails(x, file, "unknown section [Qorgan]");
}

static void
test_unparsable_line(void **state)
{
	struct fx *x = *state;
	const char *file =
	        write_ini(x, "db = a.db\nthis line has no equals\n", 0644);

	load_fails(x, file, at_line(x, 2));
}

static void
test_missing_file(void **state)
{
	struct fx *x = *state;

	load_fails(x, "/nonexistent/dir/qorgan.ini",
	           "/nonexistent/dir/qorgan.ini: No such file");
}

static void
test_bad_numbers(void **state)
{
	static const char *const bad[] = {
	        "threads = abc\n",
	        "threads = 0\n",
	        "threads = 65536\n",
	        "threads = -1\n",
	        "threads = 4x\n",
	        "threads = 4.5\n",
	        "threads =\n",
	        "timeout = 10 20\n",
	        "max_body = 1024 *\n",
	        "max_body = * 1024\n",
	        "max_body = 0\n",
	        "max_body = 4 * 0\n",
	        "max_body = 99999999999999999999999\n",
	        "max_body = 4294967296 * 4294967296\n",
	        "max_connections = 1e3\n",
	};
	struct fx *x = *state;
	char want[PATH_MAX + 128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char key[32];

		write_ini(x, bad[i], 0644);
		snprintf(key, sizeof(key), "%.*s", (int)strcspn(bad[i], " ="),
		         bad[i]);
		snprintf(want, sizeof(want), "%sbad value for '%s'",
		         at_line(x, 1), key);
		load_fails(x, x->path, want);
	}
	/* The largest accepted values. */
	write_ini(x, "threads = 65535\nmax_body = 1073741824\n", 0644);
	assert_int_equal(config_load(&x->c, x->path, x->err, sizeof(x->err)),
	                 0);
	assert_int_equal(x->c.threads, 65535);
	assert_int_equal(x->c.max_body, 1073741824);
}

static void
test_bad_env_number(void **state)
{
	struct fx *x = *state;

	setenv("QORGAN_TIMEOUT", "soon", 1);
	load_fails(x, NULL, "QORGAN_TIMEOUT");
	setenv("QORGAN_TIMEOUT", "0", 1);
	load_fails(x, NULL, "QORGAN_TIMEOUT");
	unsetenv("QORGAN_TIMEOUT");
	setenv("QORGAN_MAX_UPLOAD", "-5", 1);
	load_fails(x, NULL, "QORGAN_MAX_UPLOAD");
}

static void
test_secret_file_readable_by_others_refused(void **state)
{
	struct fx *x = *state;
	const char *text = "db = a.db\nsmtp_url = smtp://user:pw@mail\n";

	write_ini(x, text, 0644);
	load_fails(x, x->path, "chmod 600");
	write_ini(x, text, 0640); /* the group alone is too many */
	load_fails(x, x->path, "chmod 600");
	write_ini(x, text, 0604);
	load_fails(x, x->path, "chmod 600");
	/* The other secret keys too. */
	write_ini(x, "telegram_api = https://api/bot123:ABC\n", 0644);
	load_fails(x, x->path, "holds secrets");
	write_ini(x, "sms_url = https://u:p@sms\n", 0644);
	load_fails(x, x->path, "holds secrets");

	write_ini(x, text, 0600);
	assert_int_equal(config_load(&x->c, x->path, x->err, sizeof(x->err)),
	                 0);
	assert_string_equal(x->c.smtp_url, "smtp://user:pw@mail");
	config_free(&x->c);
	write_ini(x, text, 0400);
	assert_int_equal(config_load(&x->c, x->path, x->err, sizeof(x->err)),
	                 0);
}

static void
test_secret_free_file_may_be_readable(void **state)
{
	struct fx *x = *state;

	write_ini(x, "db = a.db\nsmtp_from = school@example.kz\n", 0644);
	assert_int_equal(config_load(&x->c, x->path, x->err, sizeof(x->err)),
	                 0);
	assert_string_equal(x->c.smtp_from, "school@example.kz");
}

static void
test_config_set(void **state)
{
	struct fx *x = *state;

	assert_int_equal(config_load(&x->c, NULL, x->err, sizeof(x->err)), 0);
	assert_int_equal(
	        config_set(&x->c, "db", "/tmp/flag.db", x->err, sizeof(x->err)),
	        0);
	assert_string_equal(x->c.db, "/tmp/flag.db");
	assert_int_equal(config_set(&x->c, "db", "/tmp/again.db", x->err,
	                            sizeof(x->err)),
	                 0);
	assert_string_equal(x->c.db, "/tmp/again.db");
	assert_int_equal(
	        config_set(&x->c, "threads", "12", x->err, sizeof(x->err)), 0);
	assert_int_equal(x->c.threads, 12);
	assert_int_equal(config_set(&x->c, "max_body", "2 * 1024", x->err,
	                            sizeof(x->err)),
	                 0);
	assert_int_equal(x->c.max_body, 2048);

	x->err[0] = '\0';
	assert_int_equal(
	        config_set(&x->c, "colour", "red", x->err, sizeof(x->err)), -1);
	assert_non_null(strstr(x->err, "colour"));
	x->err[0] = '\0';
	assert_int_equal(
	        config_set(&x->c, "threads", "zero", x->err, sizeof(x->err)),
	        -1);
	assert_non_null(strstr(x->err, "threads"));
	assert_int_equal(x->c.threads, 12); /* unchanged */
}

static void
test_log_levels(void **state)
{
	static const struct {
		const char *name;
		enum log_level level;
	} good[] = {
	        {"warn", LOG_LEVEL_WARN},
	        {"info", LOG_LEVEL_INFO},
	        {"debug", LOG_LEVEL_DEBUG},
	};
	static const char *const bad[] = {"verbose", "", "warning", "info "};
	struct fx *x = *state;
	enum log_level level;
	size_t i;

	assert_int_equal(config_load(&x->c, NULL, x->err, sizeof(x->err)), 0);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(config_set(&x->c, "log_level", good[i].name,
		                            x->err, sizeof(x->err)),
		                 0);
		level = (enum log_level) - 1;
		assert_int_equal(config_log_level(&x->c, &level), 0);
		assert_int_equal(level, good[i].level);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(config_set(&x->c, "log_level", bad[i], x->err,
		                            sizeof(x->err)),
		                 0);
		assert_int_equal(config_log_level(&x->c, &level), -1);
	}
	config_free(&x->c);
	setenv("QORGAN_LOG_LEVEL", "warn", 1);
	assert_int_equal(config_load(&x->c, NULL, x->err, sizeof(x->err)), 0);
	assert_int_equal(config_log_level(&x->c, &level), 0);
	assert_int_equal(level, LOG_LEVEL_WARN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_file_overrides_defaults,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(test_config_env_names_the_file,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(test_env_overrides_file, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(
	                test_unknown_key_names_file_and_line, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_unknown_section, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_unparsable_line, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_missing_file, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_bad_numbers, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_bad_env_number, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(
	                test_secret_file_readable_by_others_refused, setup,
	                teardown),
	        cmocka_unit_test_setup_teardown(
	                test_secret_free_file_may_be_readable, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_config_set, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_log_levels, setup,
	                                        teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
