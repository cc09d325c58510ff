/*
 * Shared inside src/admin/ only: the module's queries (admin_store.c) and
 * the registration of its pages.  Other modules include
 * admin/admin.h.
 */
#ifndef QORGAN_ADMIN_ADMIN_INTERNAL_H
#define QORGAN_ADMIN_ADMIN_INTERNAL_H

#include "admin/admin.h"

/* A staff user as the rule sees them. */
struct admin_target {
	int64_t id;
	enum role role;
	int64_t region_id;   /* 0 when none */
	int64_t *school_ids; /* owned; admin_target_free() */
	size_t nschools;
};

/* ADMIN_OK, ADMIN_NOT_FOUND or ADMIN_ERROR (logged). */
int admin_target_find(struct store *db, const char *login,
                      struct admin_target *t);
void admin_target_free(struct admin_target *t);

/* The code of region `id` into out: ADMIN_OK, ADMIN_NOT_FOUND, ADMIN_ERROR. */
int admin_region_code(struct store *db, int64_t id, char *out, size_t outlen);

/* Regions by code, [{id, code, name}]; region_id 0 lists all of them. */
int admin_region_rows(struct store *db, int64_t region_id, json_t **out);

/* The page routes: /admin and its posts (admin_pages.c), and the classes
 * of one school (admin_classes.c). */
struct http_server;
int admin_pages_register(struct http_server *srv);
int admin_class_pages_register(struct http_server *srv);

/* The HTTP status for an admin_rc refusal (500 for ADMIN_ERROR). */
int admin_status(int rc);

#endif
