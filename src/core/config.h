/*
 * Configuration: defaults, then an INI file (libinih), then environment
 * variables, each overriding the one before.  The same keys everywhere: the
 * file's `db = ...` is the environment's QORGAN_DB.  An unknown key is an
 * error with file:line; a file holding secrets that others can read is
 * refused.
 */
#ifndef QORGAN_CORE_CONFIG_H
#define QORGAN_CORE_CONFIG_H

#include <stddef.h>

#include "core/log.h"

struct config {
	char *db;
	char *listen;
	char *base_url;
	char *smtp_url;
	char *smtp_from;
	char *telegram_api;
	char *sms_url;
	char *log_level;
	size_t max_body;
	size_t max_upload;
	size_t max_header;
	unsigned max_connections;
	unsigned timeout;
	unsigned threads;
};

/*
 * Fills `c` from defaults, `file` (may be NULL: then QORGAN_CONFIG, if set)
 * and the environment.  On failure returns -1 with a message in err.
 * Free with config_free() either way.
 */
int config_load(struct config *c, const char *file, char *err, size_t errlen);
void config_free(struct config *c);
/* Replaces one string option (for command-line flags such as --db). */
int config_set(struct config *c, const char *key, const char *value, char *err,
               size_t errlen);
int config_log_level(const struct config *c, enum log_level *out);

#endif
