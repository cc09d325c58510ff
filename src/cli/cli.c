/*
 * `qorgan COMMAND [options]`: the command table, help, and what every
 * command shares (configuration, --db, the database, reading files).
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_internal.h"
#include "core/log.h"

static const struct cli_command commands[] = {
        {"init", NULL, cmd_init, "init [--db URL]",
         "create or migrate the schema; running it again changes nothing"},
        {"serve", NULL, cmd_serve,
         "serve [--listen HOST:PORT] [--demo] [--check-config] [--config FILE]",
         "run the server (QORGAN_LISTEN also sets the address)"},
        {"school", "add", cmd_school_add,
         "school add CODE --name NAME [--region R] [--district D]",
         "add a school"},
        {"user", "add", cmd_user_add,
         "user add LOGIN --role ROLE [--school CODE]... [--region R] "
         "[--class NAME]...",
         "add a staff user; the password is read from stdin"},
        {"roster", "import", cmd_roster_import,
         "roster import CODE FILE.csv [--dry-run]",
         "import or update the school's students and guardians"},
        {"device", "add", cmd_device_add,
         "device add CODE --kind gate|till|kiosk --name NAME",
         "register a device; prints its token, one line"},
        {"card", "bind", cmd_card_bind,
         "card bind CODE REF IDENTIFIER "
         "[--kind card|bracelet|fob|phone|magnetic|biometric]",
         "bind an identifier to a student"},
        {"card", "block", cmd_card_block,
         "card block CODE IDENTIFIER [--reason TEXT]",
         "block a lost identifier; the student's account stays"},
        {"card", "unblock", cmd_card_unblock, "card unblock CODE IDENTIFIER",
         "make a blocked identifier active again"},
        {"emergency", "on", cmd_emergency_on,
         "emergency on CODE [--reason TEXT]",
         "fire alarm: open every gate of the school, allow every pass"},
        {"emergency", "off", cmd_emergency_off,
         "emergency off CODE [--reason TEXT]",
         "end the school's emergency mode"},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

void
cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("qorgan: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void
print_help(FILE *out)
{
	size_t i;

	fprintf(out, "usage: qorgan COMMAND [options]\n\n"
	             "Every command takes --db URL (or QORGAN_DB) and "
	             "--config FILE (or QORGAN_CONFIG).\n\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-60s\n      %s\n", commands[i].usage,
		        commands[i].summary);
	fprintf(out, "  %-60s\n      %s\n", "help [COMMAND]",
	        "show this text, or one command's");
}

int
cli_usage(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			fprintf(stderr, "usage: qorgan %s\n",
			        commands[i].usage);
	return CLI_USAGE;
}

static int
cmd_help(int argc, char **argv)
{
	size_t i;
	bool found = false;

	if (argc < 3) {
		print_help(stdout);
		return CLI_OK;
	}
	for (i = 0; i < NCOMMANDS; i++) {
		if (strcmp(commands[i].name, argv[2]) != 0)
			continue;
		printf("usage: qorgan %s\n    %s\n", commands[i].usage,
		       commands[i].summary);
		found = true;
	}
	if (!found) {
		cli_error("unknown command '%s'", argv[2]);
		return CLI_USAGE;
	}
	return CLI_OK;
}

int
cli_getopt(struct cli_env *env, int argc, char **argv,
           const struct option *longopts, int *index)
{
	char err[256];
	int c;

	for (;;) {
		c = getopt_long(argc, argv, "", longopts, index);
		if (c != CLI_OPT_DB && c != CLI_OPT_CONFIG)
			return c;
		if (c == CLI_OPT_DB && config_set(&env->cfg, "db", optarg, err,
		                                  sizeof(err)) == -1) {
			cli_error("%s", err);
			return '?';
		}
		/* --config was read before the command ran; see cli_main(). */
	}
}

int
cli_open_db(struct cli_env *env)
{
	char err[512];
	int applied;

	env->db = store_open(env->cfg.db, err, sizeof(err));
	if (env->db == NULL) {
		cli_error("%s", err);
		return -1;
	}
	if (store_migrate(env->db, &applied) != STORE_OK) {
		cli_error("cannot create the schema: %s",
		          store_errmsg(env->db));
		return -1;
	}
	return 0;
}

char *
cli_read_file(const char *path, size_t max, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t cap = 65536, n = 0, got;
	char *data = NULL, *p;

	if (f == NULL) {
		cli_error("%s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		p = realloc(data, cap + 1);
		if (p == NULL)
			goto fail;
		data = p;
		got = fread(data + n, 1, cap - n, f);
		n += got;
		if (n > max) {
			cli_error("%s: larger than %zu bytes", path, max);
			goto fail;
		}
		if (n < cap)
			break;
		cap *= 2;
	}
	if (ferror(f)) {
		cli_error("%s: read error", path);
		goto fail;
	}
	if (f != stdin)
		fclose(f);
	data[n] = '\0';
	*len = n;
	return data;
fail:
	if (f != stdin)
		fclose(f);
	free(data);
	return NULL;
}

/* Finds --config FILE before the command parses its own options. */
static const char *
find_config_flag(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc - 1; i++)
		if (strcmp(argv[i], "--config") == 0)
			return argv[i + 1];
	for (i = 1; i < argc; i++)
		if (strncmp(argv[i], "--config=", 9) == 0)
			return argv[i] + 9;
	return NULL;
}

static const struct cli_command *
find_command(int argc, char **argv, int *shift)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++) {
		if (strcmp(commands[i].name, argv[1]) != 0)
			continue;
		if (commands[i].sub == NULL) {
			*shift = 1;
			return &commands[i];
		}
		if (argc > 2 && strcmp(commands[i].sub, argv[2]) == 0) {
			*shift = 2;
			return &commands[i];
		}
	}
	return NULL;
}

int
cli_main(int argc, char **argv)
{
	const struct cli_command *cmd;
	struct cli_env env;
	enum log_level level;
	char err[512];
	int rc, shift;

	if (argc < 2) {
		print_help(stderr);
		return CLI_USAGE;
	}
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)
		return cmd_help(argc, argv);
	cmd = find_command(argc, argv, &shift);
	if (cmd == NULL) {
		cli_error("unknown command '%s%s%s' (see qorgan help)", argv[1],
		          argc > 2 ? " " : "", argc > 2 ? argv[2] : "");
		return CLI_USAGE;
	}
	memset(&env, 0, sizeof(env));
	if (config_load(&env.cfg, find_config_flag(argc, argv), err,
	                sizeof(err)) == -1) {
		cli_error("%s", err);
		config_free(&env.cfg);
		return CLI_FAIL;
	}
	if (config_log_level(&env.cfg, &level) == -1) {
		cli_error("log_level must be warn, info or debug");
		config_free(&env.cfg);
		return CLI_FAIL;
	}
	log_init(level);
	env.arena = arena_new();
	if (env.arena == NULL) {
		cli_error("out of memory");
		config_free(&env.cfg);
		return CLI_FAIL;
	}
	/* The command sees argv starting at its own name, as getopt expects. */
	optind = 1;
	rc = cmd->run(&env, argc - shift, argv + shift);
	store_close(env.db);
	arena_free(env.arena);
	config_free(&env.cfg);
	return rc;
}
