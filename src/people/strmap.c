/*
 * A string → int64 map for the roster import, which looks up 100,000 refs
 * and a few dozen class names and must not go back to the database for
 * each.  Open addressing with linear probing, kept at most half full; keys
 * are borrowed (they live in the import's arena).
 */
#include "people/people_internal.h"

#include <stdlib.h>
#include <string.h>

#define STRMAP_MIN 64

static size_t
str_hash(const char *s)
{
	uint64_t h = 1469598103934665603u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return (size_t)h;
}

int
strmap_init(struct strmap *m, size_t hint)
{
	size_t cap = STRMAP_MIN;

	while (cap < hint * 2)
		cap *= 2;
	m->slots = calloc(cap, sizeof(*m->slots));
	m->cap = m->slots ? cap : 0;
	m->n = 0;
	return m->slots ? 0 : -1;
}

void
strmap_free(struct strmap *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->n = 0;
}

static struct strmap_slot *
find_slot(struct strmap_slot *slots, size_t cap, const char *key)
{
	size_t i = str_hash(key) & (cap - 1);

	while (slots[i].key != NULL && strcmp(slots[i].key, key) != 0)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static int
grow(struct strmap *m)
{
	struct strmap_slot *slots, *s;
	size_t i, cap = m->cap * 2;

	slots = calloc(cap, sizeof(*slots));
	if (slots == NULL)
		return -1;
	for (i = 0; i < m->cap; i++) {
		if (m->slots[i].key == NULL)
			continue;
		s = find_slot(slots, cap, m->slots[i].key);
		*s = m->slots[i];
	}
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	return 0;
}

int
strmap_put(struct strmap *m, const char *key, int64_t val)
{
	struct strmap_slot *s;

	if ((m->n + 1) * 2 > m->cap && grow(m) == -1)
		return -1;
	s = find_slot(m->slots, m->cap, key);
	if (s->key == NULL) {
		s->key = key;
		m->n++;
	}
	s->val = val;
	return 0;
}

bool
strmap_get(const struct strmap *m, const char *key, int64_t *val)
{
	const struct strmap_slot *s;

	if (m->cap == 0)
		return false;
	s = find_slot(m->slots, m->cap, key);
	if (s->key == NULL)
		return false;
	if (val != NULL)
		*val = s->val;
	return true;
}
