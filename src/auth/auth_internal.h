/* Shared between the files of src/auth only: tokens, their hashes, time. */
#ifndef QORGAN_AUTH_AUTH_INTERNAL_H
#define QORGAN_AUTH_AUTH_INTERNAL_H

#include <stdbool.h>
#include <time.h>

#include "auth/auth.h"

/* Hex of a BLAKE2b-256 hash and its NUL. */
#define AUTH_HASH_HEX_SIZE 65
/* "YYYY-MM-DDTHH:MM:SSZ" and its NUL. */
#define AUTH_TIME_SIZE 21

/*
 * A new token of AUTH_TOKEN_BYTES random bytes as base64url without padding
 * (in `arena`, into *token) and the hex of its hash, the only form stored.
 * Returns 0 or -1.
 */
int auth_token_new(struct arena *arena, char **token,
                   char hash[AUTH_HASH_HEX_SIZE]);

/* The stored form of a token; false when it is not shaped like one. */
bool auth_token_hash(const char *token, char hash[AUTH_HASH_HEX_SIZE]);

/* `t` as RFC 3339 UTC to the second; lexical order is time order. */
void auth_time_format(time_t t, char out[AUTH_TIME_SIZE]);
/* The reverse, for values auth_time_format() wrote; -1 when malformed. */
time_t auth_time_parse(const char *s);

/* Opens a transaction unless the caller has one; *own says which. */
int auth_txn_begin(struct store *db, bool *own);
/* Commits (ok) or rolls back our own transaction; 0 or -1. */
int auth_txn_end(struct store *db, bool own, bool ok);

#endif
