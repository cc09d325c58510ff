/*
 * Shared by escort.c and escort_store.c only: the kindergarten's queries.
 * Every function returns an access_rc (or ACCESS_NOT_KINDERGARTEN where
 * said) and logs a database failure itself, by what was being done, never
 * with a name, a phone or an identifier value.
 */
#ifndef QORGAN_ACCESS_ESCORT_INTERNAL_H
#define QORGAN_ACCESS_ESCORT_INTERNAL_H

#include "access/access.h"

/* An escort identifier row, as the decision needs it. */
struct es_identifier {
	int64_t id, school_id, escort_id;
	bool active;
};

/* A child as the rules need it. */
struct es_child {
	int64_t school_id, class_id;
	bool left;
};

/* One handover to store. */
struct es_handover {
	const struct access_handover *in;
	int64_t escort_id, identifier_id, student_id; /* 0: none */
	bool allow;
	const char *reason, *device_at, *now;
};

/* The school's kindergarten row; no row reads as off with since "". */
int es_kindergarten_get(struct store *db, int64_t school_id, bool *on,
                        char *since, size_t sincelen);
int es_kindergarten_set(struct store *db, int64_t school_id, bool on,
                        const char *now, int64_t user_id);

/* ACCESS_NOT_FOUND for no such student. */
int es_child(struct store *db, int64_t student_id, struct es_child *out);
/* Whether the user teaches the class (user_classes). */
int es_teaches(struct store *db, int64_t user_id, int64_t class_id, bool *yes);

int es_escort_school(struct store *db, int64_t escort_id, int64_t *school);
/* The school's escort with this phone (the oldest); ACCESS_NOT_FOUND. */
int es_escort_by_phone(struct store *db, int64_t school_id, const char *phone,
                       int64_t *escort_id);
int es_escort_insert(struct store *db, int64_t school_id, const char *full_name,
                     const char *phone, const char *now, int64_t user_id,
                     int64_t *id);
/* NULL leaves a field as it is; a phone of "" removes it. */
int es_escort_update(struct store *db, int64_t escort_id, const char *full_name,
                     const char *phone);

/* The link's rights (relation points into static storage);
 * ACCESS_NOT_FOUND when the escort is not the child's. */
int es_link_get(struct store *db, int64_t student_id, int64_t escort_id,
                struct access_escort_rights *out);
int es_link_count(struct store *db, int64_t student_id, int64_t *n);
/* ACCESS_TAKEN when the escort is the child's already. */
int es_link_insert(struct store *db, int64_t student_id, int64_t escort_id,
                   const struct access_escort_rights *r, const char *now,
                   int64_t user_id);
int es_link_update(struct store *db, int64_t student_id, int64_t escort_id,
                   const struct access_escort_rights *r);
int es_link_delete(struct store *db, int64_t student_id, int64_t escort_id);

/* The active row holding `value` anywhere; ACCESS_NOT_FOUND if none. */
int es_ident_active(struct store *db, const char *value,
                    struct es_identifier *out);
/* The newest row with `value` in school_id (0: any). */
int es_ident_newest(struct store *db, const char *value, int64_t school_id,
                    struct es_identifier *out);
/* The escort's newest row with `value` that is active (or blocked). */
int es_ident_of_escort(struct store *db, int64_t escort_id, const char *value,
                       bool active, struct es_identifier *out);
/* ACCESS_TAKEN when the partial unique index refuses it. */
int es_ident_insert(struct store *db, int64_t school_id, int64_t escort_id,
                    const char *kind, const char *value, const char *now,
                    int64_t user_id, int64_t *id);
int es_ident_set_status(struct store *db, int64_t id, bool active,
                        const char *now, int64_t user_id, const char *reason);

/*
 * The active children of the school that the escort may bring ("in") or
 * pick up ("out"): *n gets how many (counting stops at 2), *only the
 * child when there is exactly one.
 */
int es_candidates(struct store *db, int64_t escort_id, int64_t school_id,
                  const char *direction, int64_t *only, int64_t *n);

/* The decision stored for (device, seq); ACCESS_NOT_FOUND if none.
 * *reason points into static storage. */
int es_handover_find(struct store *db, int64_t device_id, int64_t seq,
                     bool *allow, const char **reason);
int es_handover_insert(struct store *db, const struct es_handover *h);

int es_escorts_json(struct store *db, int64_t student_id, json_t **out);
/* Handovers with device times in [lo, hi), compared as RFC 3339 UTC text
 * (a day "YYYY-MM-DD" is a prefix of its times). */
int es_handovers_json(struct store *db, int64_t student_id, const char *lo,
                      const char *hi, json_t **out);

/* The canonical static strings for stored values (NULL if unknown). */
const char *es_reason_static(const char *s);
const char *es_relation_static(const char *s);

#endif
