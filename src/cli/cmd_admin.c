/*
 * Administrative commands: init, school add, user add, device add.  Each is
 * one transaction: it is done whole or not at all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "cli/cli.h"
#include "cli/cli_internal.h"
#include "people/people.h"

int
cmd_init(struct cli_env *env, int argc, char **argv)
{
	static const struct option longopts[] = {
	        {"db", required_argument, NULL, CLI_OPT_DB},
	        {"config", required_argument, NULL, CLI_OPT_CONFIG},
	        {NULL, 0, NULL, 0},
	};
	if (cli_getopt(env, argc, argv, longopts, NULL) != -1 || optind != argc)
		return cli_usage("init");
	if (cli_open_db(env) == -1)
		return CLI_FAIL;
	printf("schema version %d\n", store_schema_version(env->db));
	return CLI_OK;
}

int
cmd_school_add(struct cli_env *env, int argc, char **argv)
{
	static const struct option longopts[] = {
	        {"name", required_argument, NULL, 'n'},
	        {"region", required_argument, NULL, 'r'},
	        {"district", required_argument, NULL, 'd'},
	        {"db", required_argument, NULL, CLI_OPT_DB},
	        {"config", required_argument, NULL, CLI_OPT_CONFIG},
	        {NULL, 0, NULL, 0},
	};
	const char *name = NULL, *region = NULL, *district = NULL;
	int64_t id;
	int c, rc;

	while ((c = cli_getopt(env, argc, argv, longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			name = optarg;
			break;
		case 'r':
			region = optarg;
			break;
		case 'd':
			district = optarg;
			break;
		default:
			return cli_usage("school");
		}
	}
	if (optind != argc - 1 || name == NULL)
		return cli_usage("school");
	if (district != NULL && region == NULL) {
		cli_error("--district needs --region");
		return CLI_USAGE;
	}
	if (cli_open_db(env) == -1)
		return CLI_FAIL;
	if (store_begin(env->db) != STORE_OK)
		goto fail;
	rc = people_school_add(env->db, NULL, argv[optind], name, region,
	                       district, &id);
	if (rc != PEOPLE_OK) {
		store_rollback(env->db);
		if (rc == PEOPLE_DUPLICATE)
			cli_error("school %s exists already", argv[optind]);
		else if (rc == PEOPLE_INVALID)
			cli_error("bad school code, region or district "
			          "(codes: a-z, 0-9, '-', up to 32)");
		else
			goto fail;
		return CLI_FAIL;
	}
	if (store_commit(env->db) != STORE_OK)
		goto fail;
	printf("school %s added\n", argv[optind]);
	return CLI_OK;
fail:
	store_rollback(env->db);
	cli_error("database error: %s", store_errmsg(env->db));
	return CLI_FAIL;
}

/* The password comes from stdin: one line, without the newline. */
static char *
read_password(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	n = getline(&line, &cap, stdin);
	if (n <= 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

#define CLI_MAX_SCHOOLS 64
#define CLI_MAX_CLASSES 16

/*
 * The class named `name` in exactly one of the user's schools; an error
 * for a person and -1 when it is in none or in several.
 */
static int
class_of(struct cli_env *env, const char *name, const int64_t *school_ids,
         size_t nschools, int64_t *class_id)
{
	int64_t id;
	size_t i, found = 0;

	for (i = 0; i < nschools; i++) {
		if (people_class_find(env->db, school_ids[i], name, &id) !=
		    PEOPLE_OK)
			continue;
		*class_id = id;
		found++;
	}
	if (found == 1)
		return 0;
	cli_error(found == 0 ? "no class '%s' in the user's schools"
	                     : "class '%s' is in more than one --school",
	          name);
	return -1;
}

int
cmd_user_add(struct cli_env *env, int argc, char **argv)
{
	static const struct option longopts[] = {
	        {"role", required_argument, NULL, 'r'},
	        {"school", required_argument, NULL, 's'},
	        {"region", required_argument, NULL, 'g'},
	        {"class", required_argument, NULL, 'c'},
	        {"db", required_argument, NULL, CLI_OPT_DB},
	        {"config", required_argument, NULL, CLI_OPT_CONFIG},
	        {NULL, 0, NULL, 0},
	};
	const char *schools[CLI_MAX_SCHOOLS], *role_arg = NULL, *region = NULL;
	const char *classes[CLI_MAX_CLASSES];
	int64_t school_ids[CLI_MAX_SCHOOLS], region_id = 0, user_id;
	int64_t class_ids[CLI_MAX_CLASSES];
	size_t nschools = 0, nclasses = 0, i;
	char *password = NULL;
	char object[24], detail[64];
	const char *why;
	int added;
	enum role role;
	int c, rc = CLI_FAIL;

	while ((c = cli_getopt(env, argc, argv, longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			role_arg = optarg;
			break;
		case 'g':
			region = optarg;
			break;
		case 's':
			if (nschools == CLI_MAX_SCHOOLS) {
				cli_error("too many --school");
				return CLI_USAGE;
			}
			schools[nschools++] = optarg;
			break;
		case 'c':
			if (nclasses == CLI_MAX_CLASSES) {
				cli_error("too many --class");
				return CLI_USAGE;
			}
			classes[nclasses++] = optarg;
			break;
		default:
			return cli_usage("user");
		}
	}
	if (optind != argc - 1 || role_arg == NULL)
		return cli_usage("user");
	if (!role_from_name(role_arg, &role)) {
		cli_error("unknown role '%s' (see qorgan help user)", role_arg);
		return CLI_USAGE;
	}
	if (nclasses > 0 && role != ROLE_CLASS_TEACHER) {
		cli_error("--class is for a class_teacher only");
		return CLI_USAGE;
	}
	if (cli_open_db(env) == -1)
		return CLI_FAIL;
	for (i = 0; i < nschools; i++)
		if (people_school_find(env->db, schools[i], &school_ids[i]) !=
		    PEOPLE_OK) {
			cli_error("unknown school '%s'", schools[i]);
			return CLI_FAIL;
		}
	if (region != NULL &&
	    people_region_find(env->db, region, &region_id) != PEOPLE_OK) {
		cli_error("unknown region '%s'", region);
		return CLI_FAIL;
	}
	for (i = 0; i < nclasses; i++)
		if (class_of(env, classes[i], school_ids, nschools,
		             &class_ids[i]) == -1)
			return CLI_FAIL;
	password = read_password();
	if (password == NULL) {
		cli_error("no password on stdin");
		return CLI_FAIL;
	}
	why = auth_user_invalid(argv[optind], role, password, nschools,
	                        region_id);
	if (why != NULL) {
		cli_error("cannot add user '%s': %s", argv[optind], why);
		goto out;
	}
	if (store_begin(env->db) != STORE_OK)
		goto out;
	added = auth_user_add(env->db, argv[optind], role, password, school_ids,
	                      nschools, region_id, &user_id);
	if (added != 0) {
		store_rollback(env->db);
		if (added == AUTH_ADD_EXISTS)
			cli_error("login '%s' is taken", argv[optind]);
		else
			cli_error("cannot add user '%s': %s", argv[optind],
			          store_errmsg(env->db));
		goto out;
	}
	for (i = 0; i < nclasses; i++)
		if (auth_user_bind_class(env->db, user_id, class_ids[i]) != 0) {
			store_rollback(env->db);
			cli_error("cannot bind class '%s' to '%s'", classes[i],
			          argv[optind]);
			goto out;
		}
	snprintf(object, sizeof(object), "%lld", (long long)user_id);
	snprintf(detail, sizeof(detail), "role=%s classes=%zu", role_name(role),
	         nclasses);
	if (audit_record(env->db, NULL, "user.add",
	                 nschools ? school_ids[0] : 0, "user", object,
	                 detail) != 0 ||
	    store_commit(env->db) != STORE_OK) {
		store_rollback(env->db);
		cli_error("database error: %s", store_errmsg(env->db));
		goto out;
	}
	printf("user %s added\n", argv[optind]);
	rc = CLI_OK;
out:
	if (password != NULL) {
		explicit_bzero(password, strlen(password));
		free(password);
	}
	return rc;
}

int
cmd_device_add(struct cli_env *env, int argc, char **argv)
{
	static const struct option longopts[] = {
	        {"kind", required_argument, NULL, 'k'},
	        {"name", required_argument, NULL, 'n'},
	        {"db", required_argument, NULL, CLI_OPT_DB},
	        {"config", required_argument, NULL, CLI_OPT_CONFIG},
	        {NULL, 0, NULL, 0},
	};
	const char *kind = NULL, *name = NULL;
	int64_t school_id, device_id;
	char *token;
	int c;

	while ((c = cli_getopt(env, argc, argv, longopts, NULL)) != -1) {
		switch (c) {
		case 'k':
			kind = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		default:
			return cli_usage("device");
		}
	}
	if (optind != argc - 1 || kind == NULL || name == NULL)
		return cli_usage("device");
	if (strcmp(kind, "gate") != 0 && strcmp(kind, "till") != 0 &&
	    strcmp(kind, "kiosk") != 0) {
		cli_error("--kind must be gate, till or kiosk");
		return CLI_USAGE;
	}
	if (cli_open_db(env) == -1)
		return CLI_FAIL;
	if (people_school_find(env->db, argv[optind], &school_id) !=
	    PEOPLE_OK) {
		cli_error("unknown school '%s'", argv[optind]);
		return CLI_FAIL;
	}
	if (store_begin(env->db) != STORE_OK)
		goto fail;
	if (auth_device_add(env->db, env->arena, school_id, kind, name, &token,
	                    &device_id) != 0) {
		store_rollback(env->db);
		cli_error("cannot add device '%s': the name is taken at this "
		          "school or invalid",
		          name);
		return CLI_FAIL;
	}
	if (audit_record(env->db, NULL, "device.add", school_id, "device", name,
	                 kind) != 0 ||
	    store_commit(env->db) != STORE_OK)
		goto fail;
	printf("%s\n", token);
	return CLI_OK;
fail:
	store_rollback(env->db);
	cli_error("database error: %s", store_errmsg(env->db));
	return CLI_FAIL;
}
