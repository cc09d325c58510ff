/*
 * Access control from the command line: `qorgan card bind|block|unblock`
 * (identifiers of a school's students) and `qorgan emergency on|off` (the
 * school's fire-alarm mode, for the person at the server's console when
 * the web pages cannot be reached).  Each is one transaction with its
 * audit line (actor "cli"); access.c does the work and the rules.  The
 * identifier value is echoed back only to the person who typed it, on
 * this terminal.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "access/access.h"
#include "cli/cli.h"
#include "cli/cli_internal.h"
#include "people/people.h"

/* Opens the database and finds the school; prints why not. */
static int
open_school(struct cli_env *env, const char *code, int64_t *school_id)
{
	if (cli_open_db(env) == -1)
		return -1;
	if (people_school_find(env->db, code, school_id) != PEOPLE_OK) {
		cli_error("unknown school '%s'", code);
		return -1;
	}
	return 0;
}

/*
 * The shape `block` and `emergency` share: CODE, then `positional` - 1
 * more arguments, and an optional --reason.  Opens the school.  CLI_OK,
 * or the exit status to return (after saying why).
 */
static int
reason_args(struct cli_env *env, int argc, char **argv, const char *usage,
            int positional, const char **reason, int64_t *school_id)
{
	static const struct option longopts[] = {
	        {"reason", required_argument, NULL, 'r'},
	        {"db", required_argument, NULL, CLI_OPT_DB},
	        {"config", required_argument, NULL, CLI_OPT_CONFIG},
	        {NULL, 0, NULL, 0},
	};
	int c;

	*reason = NULL;
	while ((c = cli_getopt(env, argc, argv, longopts, NULL)) != -1) {
		if (c != 'r')
			return cli_usage(usage);
		*reason = optarg;
	}
	if (optind != argc - positional)
		return cli_usage(usage);
	if (*reason != NULL && !access_reason_valid(*reason)) {
		cli_error("--reason: 1 to %d characters, no control characters",
		          ACCESS_REASON_MAX);
		return CLI_USAGE;
	}
	return open_school(env, argv[optind], school_id) == -1 ? CLI_FAIL
	                                                       : CLI_OK;
}

int
cmd_card_bind(struct cli_env *env, int argc, char **argv)
{
	static const struct option longopts[] = {
	        {"kind", required_argument, NULL, 'k'},
	        {"db", required_argument, NULL, CLI_OPT_DB},
	        {"config", required_argument, NULL, CLI_OPT_CONFIG},
	        {NULL, 0, NULL, 0},
	};
	const char *kind = "card", *ref, *value;
	char holder[ACCESS_REF_SIZE];
	int64_t school_id, student_id;
	int c, rc;

	while ((c = cli_getopt(env, argc, argv, longopts, NULL)) != -1) {
		if (c != 'k')
			return cli_usage("card");
		kind = optarg;
	}
	if (optind != argc - 3)
		return cli_usage("card");
	if (!access_kind_valid(kind)) {
		cli_error("--kind must be card, bracelet, fob, phone, magnetic "
		          "or biometric");
		return CLI_USAGE;
	}
	ref = argv[optind + 1];
	value = argv[optind + 2];
	if (!access_identifier_valid(value)) {
		cli_error("bad identifier: 1 to %d of A-Z a-z 0-9 : _ -",
		          ACCESS_IDENTIFIER_MAX);
		return CLI_FAIL;
	}
	if (open_school(env, argv[optind], &school_id) == -1)
		return CLI_FAIL;
	if (people_student_find(env->db, school_id, ref, &student_id) !=
	    PEOPLE_OK) {
		cli_error("no student '%s' in school %s", ref, argv[optind]);
		return CLI_FAIL;
	}
	rc = access_bind(env->db, NULL, school_id, student_id, value, kind,
	                 holder, sizeof(holder), NULL, NULL);
	if (rc == ACCESS_TAKEN && holder[0] == '\0')
		cli_error("identifier %s is active on a kindergarten escort; "
		          "block it first",
		          value);
	else if (rc == ACCESS_TAKEN)
		cli_error("identifier %s is active on student %s; block it "
		          "first",
		          value, holder);
	else if (rc != ACCESS_OK)
		cli_error("cannot bind: %s", access_strerror(rc));
	else
		printf("%s %s bound to %s/%s\n", kind, value, argv[optind],
		       ref);
	return rc == ACCESS_OK ? CLI_OK : CLI_FAIL;
}

int
cmd_card_block(struct cli_env *env, int argc, char **argv)
{
	const char *reason;
	int64_t school_id;
	int rc;

	if ((rc = reason_args(env, argc, argv, "card", 2, &reason,
	                      &school_id)) != CLI_OK)
		return rc;
	rc = access_block(env->db, NULL, school_id, argv[optind + 1], reason);
	if (rc == ACCESS_NOT_FOUND)
		cli_error("no active identifier %s in school %s",
		          argv[optind + 1], argv[optind]);
	else if (rc != ACCESS_OK)
		cli_error("cannot block: %s", access_strerror(rc));
	else
		printf("identifier %s blocked\n", argv[optind + 1]);
	return rc == ACCESS_OK ? CLI_OK : CLI_FAIL;
}

int
cmd_card_unblock(struct cli_env *env, int argc, char **argv)
{
	static const struct option longopts[] = {
	        {"db", required_argument, NULL, CLI_OPT_DB},
	        {"config", required_argument, NULL, CLI_OPT_CONFIG},
	        {NULL, 0, NULL, 0},
	};
	int64_t school_id;
	int rc;

	if (cli_getopt(env, argc, argv, longopts, NULL) != -1 ||
	    optind != argc - 2)
		return cli_usage("card");
	if (open_school(env, argv[optind], &school_id) == -1)
		return CLI_FAIL;
	rc = access_unblock(env->db, NULL, school_id, argv[optind + 1]);
	if (rc == ACCESS_NOT_FOUND)
		cli_error("no blocked identifier %s in school %s",
		          argv[optind + 1], argv[optind]);
	else if (rc == ACCESS_TAKEN)
		cli_error("identifier %s has been bound to a student since",
		          argv[optind + 1]);
	else if (rc != ACCESS_OK)
		cli_error("cannot unblock: %s", access_strerror(rc));
	else
		printf("identifier %s unblocked\n", argv[optind + 1]);
	return rc == ACCESS_OK ? CLI_OK : CLI_FAIL;
}

/* `emergency on|off CODE [--reason TEXT]`. */
static int
emergency_switch(struct cli_env *env, int argc, char **argv, bool on)
{
	const char *reason;
	int64_t school_id;
	bool changed = false;
	int rc;

	if ((rc = reason_args(env, argc, argv, "emergency", 1, &reason,
	                      &school_id)) != CLI_OK)
		return rc;
	rc = access_emergency_set(env->db, NULL, school_id, on, reason,
	                          &changed);
	if (rc != ACCESS_OK) {
		cli_error("cannot switch: %s", access_strerror(rc));
		return CLI_FAIL;
	}
	if (!changed)
		printf("%s: emergency mode was already %s\n", argv[optind],
		       on ? "on" : "off");
	else
		printf("%s: emergency mode %s\n", argv[optind],
		       on ? "on: every gate opens" : "ended");
	return CLI_OK;
}

int
cmd_emergency_on(struct cli_env *env, int argc, char **argv)
{
	return emergency_switch(env, argc, argv, true);
}

int
cmd_emergency_off(struct cli_env *env, int argc, char **argv)
{
	return emergency_switch(env, argc, argv, false);
}
