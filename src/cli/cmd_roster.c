/* `qorgan roster import CODE FILE.csv [--dry-run]`. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "cli/cli_internal.h"
#include "http/http.h"
#include "people/people.h"

static void
print_report(const struct roster_report *rep)
{
	printf("%s%ld rows: %ld added, %ld updated, %ld unchanged, %ld marked "
	       "left; %ld guardians added, %ld classes added\n",
	       rep->dry_run ? "dry run, nothing written: " : "", rep->rows,
	       rep->added, rep->updated, rep->unchanged, rep->left,
	       rep->guardians_added, rep->classes_added);
}

int
cmd_roster_import(struct cli_env *env, int argc, char **argv)
{
	static const struct option longopts[] = {
	        {"dry-run", no_argument, NULL, 'n'},
	        {"db", required_argument, NULL, CLI_OPT_DB},
	        {"config", required_argument, NULL, CLI_OPT_CONFIG},
	        {NULL, 0, NULL, 0},
	};
	struct roster_report rep;
	bool dry_run = false;
	int64_t school_id;
	char line[1024];
	size_t len, i;
	char *data;
	int c, rc;

	while ((c = cli_getopt(env, argc, argv, longopts, NULL)) != -1) {
		if (c != 'n')
			return cli_usage("roster");
		dry_run = true;
	}
	if (optind != argc - 2)
		return cli_usage("roster");
	if (cli_open_db(env) == -1)
		return CLI_FAIL;
	if (people_school_find(env->db, argv[optind], &school_id) !=
	    PEOPLE_OK) {
		cli_error("unknown school '%s'", argv[optind]);
		return CLI_FAIL;
	}
	data = cli_read_file(argv[optind + 1], HTTP_MAX_UPLOAD_DEFAULT, &len);
	if (data == NULL)
		return CLI_FAIL;
	rc = roster_import(env->db, NULL, school_id, argv[optind + 1], data,
	                   len, dry_run, &rep);
	free(data);
	for (i = 0; i < rep.nerrors; i++)
		fprintf(stderr, "%s\n",
		        roster_error_format(&rep, i, LANG_EN, line,
		                            sizeof(line)));
	if (rc == PEOPLE_OK)
		print_report(&rep);
	else if (rep.nerrors == 0)
		cli_error("the import failed: %s", people_strerror(rc));
	else
		cli_error("%zu bad row%s; nothing was written", rep.nerrors,
		          rep.nerrors == 1 ? "" : "s");
	roster_report_free(&rep);
	return rc == PEOPLE_OK ? CLI_OK : CLI_FAIL;
}
