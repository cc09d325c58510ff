/* Shared by the files of src/cli only. */
#ifndef QORGAN_CLI_INTERNAL_H
#define QORGAN_CLI_INTERNAL_H

#include <getopt.h>
#include <stdbool.h>

#include "core/arena.h"
#include "core/config.h"
#include "store/store.h"

/* What every command gets: configuration, an arena, and the database. */
struct cli_env {
	struct config cfg;
	struct arena *arena;
	struct store *db; /* opened by cli_open_db() */
};

struct cli_command {
	const char *name;
	const char *sub; /* second word ("add"), or NULL */
	int (*run)(struct cli_env *env, int argc, char **argv);
	const char *usage;
	const char *summary;
};

/* Prints "qorgan: message" to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int cli_usage(const char *name);
/* Opens and migrates the database named by --db / QORGAN_DB. */
int cli_open_db(struct cli_env *env);
/* getopt_long over the command's own options plus --db and --config. */
int cli_getopt(struct cli_env *env, int argc, char **argv,
               const struct option *longopts, int *index);
/* Reads all of stdin or a file (NUL-terminated, malloc'd). */
char *cli_read_file(const char *path, size_t max, size_t *len);

int cmd_init(struct cli_env *env, int argc, char **argv);
int cmd_serve(struct cli_env *env, int argc, char **argv);
int cmd_school_add(struct cli_env *env, int argc, char **argv);
int cmd_user_add(struct cli_env *env, int argc, char **argv);
int cmd_roster_import(struct cli_env *env, int argc, char **argv);
int cmd_device_add(struct cli_env *env, int argc, char **argv);
int cmd_card_bind(struct cli_env *env, int argc, char **argv);
int cmd_card_block(struct cli_env *env, int argc, char **argv);
int cmd_card_unblock(struct cli_env *env, int argc, char **argv);
int cmd_emergency_on(struct cli_env *env, int argc, char **argv);
int cmd_emergency_off(struct cli_env *env, int argc, char **argv);

/*
 * The ticker of `serve` (serve_ticker.c): a thread on its own database
 * connection that escalates unacknowledged alarms and checkpoints the
 * database's write-ahead log (store_checkpoint()) every SERVE_TICK_SECONDS.
 * Start it once the database is migrated; serve_ticker_stop() wakes it,
 * waits for it and closes its connection (safe when it never started).
 */
#define SERVE_TICK_SECONDS 5
int serve_ticker_start(const char *db_url);
void serve_ticker_stop(void);

#define CLI_OPT_DB     0x1000
#define CLI_OPT_CONFIG 0x1001

#endif
