/*
 * One log for every command, in the OpenBSD daemon shape: log_warn() adds
 * strerror(errno), log_warnx() does not; fatal()/fatalx() are for start-up
 * and broken invariants only.  Lines are key=value after a short message.
 *
 * Never log a name, an IIN, report text, a token or an IP address: the log is
 * read by people who must not see children's data.
 */
#ifndef QORGAN_CORE_LOG_H
#define QORGAN_CORE_LOG_H

#include <stdbool.h>

enum log_level { LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };

void log_init(enum log_level level);
void log_set_level(enum log_level level);
bool log_enabled(enum log_level level);

void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void fatal(const char *fmt, ...)
        __attribute__((format(printf, 1, 2)));
_Noreturn void fatalx(const char *fmt, ...)
        __attribute__((format(printf, 1, 2)));

#endif
