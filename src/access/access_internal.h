/*
 * Shared inside src/access/ only: the queries of access_store.c.  Other
 * modules include access/access.h.  Every function returns an access_rc and
 * logs a database failure (without the identifier value) itself.
 */
#ifndef QORGAN_ACCESS_INTERNAL_H
#define QORGAN_ACCESS_INTERNAL_H

#include "access/access.h"

/* An identifier row, as the logic needs it. */
struct as_identifier {
	int64_t id, school_id, student_id;
	bool active;
	bool student_left;
};

/* The active row holding `value` anywhere; ACCESS_NOT_FOUND if none. */
int as_active(struct store *db, const char *value, struct as_identifier *out);
/* The newest row with `value` (active or blocked) in school_id (0: any). */
int as_newest(struct store *db, const char *value, int64_t school_id,
              bool blocked_only, struct as_identifier *out);
/* "CODE/REF" of a student. */
int as_student_label(struct store *db, int64_t student_id, char *out,
                     size_t outlen);
int as_student_school(struct store *db, int64_t student_id, int64_t *school);
int as_insert(struct store *db, int64_t school_id, int64_t student_id,
              const char *kind, const char *value, const char *now,
              int64_t user_id, int64_t *id);
/* Sets status; blocking records when, by whom and why. */
int as_set_status(struct store *db, int64_t id, bool active, const char *now,
                  int64_t user_id, const char *reason);
int as_identifiers_json(struct store *db, int64_t student_id, json_t *list);

/* The decision recorded for (device, seq): ACCESS_NOT_FOUND if none;
 * *reason points into static storage. */
int as_pass_find(struct store *db, int64_t device_id, int64_t seq, bool *allow,
                 const char **reason);
int as_pass_insert(struct store *db, const struct access_pass *in,
                   int64_t student_id, bool allow, const char *reason,
                   const char *device_at, const char *now);
int as_passes_json(struct store *db, int64_t student_id, const char *from,
                   const char *to, json_t **out);

/* A manual pass (no device, no seq) of an active student. */
int as_manual_insert(struct store *db, int64_t school_id, int64_t student_id,
                     const char *direction, int64_t user_id, const char *now);

/* The school's mode row; an absent row reads as normal with since "". */
int as_mode_get(struct store *db, int64_t school_id, struct access_mode *out);
/* Upserts the school's mode; user_id or device_id is 0 when not the one. */
int as_mode_set(struct store *db, int64_t school_id, bool emergency,
                const char *now, int64_t user_id, int64_t device_id,
                const char *reason);
/* Appends the ids of schools in emergency mode to `ids` (at most max);
 * *n gets the count. */
int as_emergency_schools(struct store *db, int64_t *ids, size_t max, size_t *n);

/* Guardians of one student told of one pass, at most. */
#define ACCESS_GUARDIANS_MAX 16

/* The student's guardians subscribed to `event` ("entry", "exit") on any
 * channel, at most max; *n gets the count. */
int as_subscribed_guardians(struct store *db, int64_t student_id,
                            const char *event, int64_t *ids, size_t max,
                            size_t *n);
/* The student's first name (people_first_name() of the full name). */
int as_student_first_name(struct store *db, int64_t student_id, char *out,
                          size_t outlen);

/* The canonical static string for a stored reason (NULL if unknown). */
const char *access_reason_static(const char *s);

#endif
