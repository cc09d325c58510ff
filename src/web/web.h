/*
 * The routes every deployment has: health, metrics, static files, the
 * language switch and the home page.
 */
#ifndef QORGAN_WEB_WEB_H
#define QORGAN_WEB_WEB_H

#include "http/http.h"

int web_http_register(struct http_server *srv);

/* True when `next` is a path on this site ("/x", not "//host" or "x"). */
bool web_local_path(const char *next);

#endif
