/*
 * `qorgan serve`: opens the database pool, registers every module's routes
 * and serves until SIGINT or SIGTERM, then finishes the requests in flight.
 * Signals are blocked before libmicrohttpd starts its threads, so only the
 * main thread, waiting in sigwait(), ever sees them.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/access.h"
#include "access/attendance.h"
#include "admin/admin.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "cli/cli.h"
#include "cli/cli_internal.h"
#include "core/log.h"
#include "demo/demo.h"
#include "http/http.h"
#include "notify/notify.h"
#include "people/people.h"
#include "web/i18n.h"
#include "web/page.h"
#include "web/template.h"
#include "web/web.h"

static int
parse_listen(const char *listen, char *host, size_t hostlen, uint16_t *port)
{
	const char *colon = strrchr(listen, ':');
	unsigned long p;
	char *end;

	if (colon == NULL || (size_t)(colon - listen) >= hostlen ||
	    colon == listen)
		return -1;
	p = strtoul(colon + 1, &end, 10);
	if (*end != '\0' || end == colon + 1 || p > 65535)
		return -1;
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	*port = (uint16_t)p;
	return 0;
}

static int
register_routes(struct http_server *srv)
{
	http_set_auth(srv, auth_authenticate, auth_csrf_ok);
	http_set_error_page(srv, page_error);
	page_set_decorator(auth_page_decorate);
	people_set_identifiers_provider(access_student_identifiers);
	page_set_alert_provider(access_page_alert);
	if (web_http_register(srv) == -1 || auth_http_register(srv) == -1 ||
	    people_http_register(srv) == -1 || audit_http_register(srv) == -1 ||
	    admin_http_register(srv) == -1 || access_http_register(srv) == -1)
		return -1;
	if (attendance_http_register(srv) == -1 ||
	    notify_http_register(srv) == -1)
		return -1;
	if (access_duty_http_register(srv) == -1 ||
	    access_alarm_http_register(srv) == -1)
		return -1;
	if (access_escorts_http_register(srv) == -1)
		return -1;
	return 0;
}

static void
limits_from_config(const struct config *cfg, struct http_limits *l)
{
	http_limits_default(l);
	l->max_body = cfg->max_body;
	l->max_upload = cfg->max_upload;
	l->max_header = cfg->max_header;
	l->max_connections = cfg->max_connections;
	l->timeout = cfg->timeout;
	l->threads = cfg->threads;
}

static int
wait_for_signal(void)
{
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigwait(&set, &sig) != 0)
		return -1;
	return sig;
}

static int
init_subsystems(void)
{
	if (i18n_init() == -1) {
		cli_error("the translation catalogues are broken");
		return -1;
	}
	if (template_init() == -1) {
		cli_error("the page templates are broken");
		return -1;
	}
	if (auth_init() == -1) {
		cli_error("cannot initialise the crypto library");
		return -1;
	}
	return 0;
}

int
cmd_serve(struct cli_env *env, int argc, char **argv)
{
	static const struct option longopts[] = {
	        {"listen", required_argument, NULL, 'l'},
	        {"demo", no_argument, NULL, 'd'},
	        {"check-config", no_argument, NULL, 'c'},
	        {"db", required_argument, NULL, CLI_OPT_DB},
	        {"config", required_argument, NULL, CLI_OPT_CONFIG},
	        {NULL, 0, NULL, 0},
	};
	struct http_server *srv = NULL;
	struct store_pool *pool = NULL;
	struct store_group *writes = NULL;
	struct http_limits limits;
	bool demo = false, check = false;
	char host[64], err[512];
	int c, rc = CLI_FAIL, sig;
	sigset_t set;
	uint16_t port;

	while ((c = cli_getopt(env, argc, argv, longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (config_set(&env->cfg, "listen", optarg, err,
			               sizeof(err)) == -1)
				return cli_usage("serve");
			break;
		case 'd':
			demo = true;
			break;
		case 'c':
			check = true;
			break;
		default:
			return cli_usage("serve");
		}
	}
	if (optind != argc)
		return cli_usage("serve");
	if (parse_listen(env->cfg.listen, host, sizeof(host), &port) == -1) {
		cli_error("bad listen address '%s' (HOST:PORT)",
		          env->cfg.listen);
		return CLI_USAGE;
	}
	if (init_subsystems() == -1)
		return CLI_FAIL;
	if (check) {
		printf("configuration ok\n");
		return CLI_OK;
	}
	if (cli_open_db(env) == -1)
		return CLI_FAIL;
	if (demo && demo_ensure(env->db, env->arena, stdout) == -1) {
		cli_error("cannot create the demo data");
		return CLI_FAIL;
	}
	limits_from_config(&env->cfg, &limits);
	pool = store_pool_open(env->cfg.db, (int)limits.threads + 1, err,
	                       sizeof(err));
	if (pool == NULL) {
		cli_error("%s", err);
		return CLI_FAIL;
	}
	/* Before any thread exists, so that every thread inherits the mask. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (audit_writer_start(env->cfg.db) == -1) {
		cli_error("cannot start the audit writer");
		goto out;
	}
	/* Passes share commits: SQLite has one writer at a time anyway. */
	if ((writes = store_group_open(env->cfg.db, err, sizeof(err))) ==
	    NULL) {
		cli_error("%s", err);
		goto out;
	}
	access_use_group(writes);
	if (serve_ticker_start(env->cfg.db) == -1) {
		cli_error("cannot start the ticker");
		goto out;
	}
	srv = http_server_new(pool, &limits);
	if (srv != NULL)
		http_set_tls(srv,
		             strncmp(env->cfg.base_url, "https://", 8) == 0);
	if (srv == NULL || register_routes(srv) == -1) {
		cli_error("cannot set up the server");
		goto out;
	}
	if (http_server_start(srv, host, &port) == -1) {
		cli_error("cannot listen on %s", env->cfg.listen);
		goto out;
	}
	printf("serving http://%s:%u/\n", host, port);
	fflush(stdout);
	log_info("serving port=%u db=%s", port, store_driver_name(env->db));
	sig = wait_for_signal();
	log_info("stopping signal=%d", sig);
	http_server_stop(srv);
	rc = CLI_OK;
out:
	http_server_free(srv);
	serve_ticker_stop(); /* before the database closes */
	access_use_group(NULL);
	store_group_close(writes); /* after the server: nothing queues now */
	audit_writer_stop();
	store_pool_close(pool);
	template_shutdown();
	return rc;
}
