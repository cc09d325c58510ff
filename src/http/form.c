/*
 * Form bodies (application/x-www-form-urlencoded and multipart/form-data)
 * through libmicrohttpd's post processor, fed from the body we already
 * buffered under its limit.  Values may arrive in pieces, so each field
 * grows in a buffer until the body is done, then moves to the arena.
 */
#include "http/server_internal.h"

#include <string.h>
#include <strings.h>

#include "core/log.h"

#define FORM_PP_BUFFER 4096

struct form_state {
	struct http_request *req;
	struct buf values[HTTP_MAX_FORM_FIELDS];
	bool overflow;
};

static enum MHD_Result
form_iterate(void *cls, enum MHD_ValueKind kind, const char *key,
             const char *filename, const char *content_type,
             const char *transfer_encoding, const char *data, uint64_t off,
             size_t size)
{
	struct form_state *fs = cls;
	struct http_request *req = fs->req;
	struct http_form_field *f = NULL;
	size_t i;

	(void)kind;
	(void)content_type;
	(void)transfer_encoding;
	/* A field continues while its offset is not zero. */
	if (off > 0 && req->nform > 0 &&
	    strcmp(req->form[req->nform - 1].name, key) == 0)
		f = &req->form[req->nform - 1];
	if (f == NULL) {
		if (req->nform == HTTP_MAX_FORM_FIELDS) {
			fs->overflow = true;
			return MHD_NO;
		}
		f = &req->form[req->nform++];
		f->name = arena_strdup(req->arena, key);
		f->filename =
		        filename ? arena_strdup(req->arena, filename) : NULL;
		if (f->name == NULL)
			return MHD_NO;
	}
	i = (size_t)(f - req->form);
	if (buf_append(&fs->values[i], data, size) == -1)
		return MHD_NO;
	return MHD_YES;
}

static bool
is_form_type(const char *type)
{
	return type != NULL &&
	       (strncasecmp(type, "application/x-www-form-urlencoded", 33) ==
	                0 ||
	        strncasecmp(type, "multipart/form-data", 19) == 0);
}

/*
 * Fills req->form when the body is a form.  Returns 0 (also for a body that
 * is not a form) or -1 for a form that could not be read.
 */
int
form_parse(struct http_request *req, struct MHD_Connection *conn)
{
	struct MHD_PostProcessor *pp;
	struct form_state fs;
	int rc = 0;
	size_t i;

	if (!is_form_type(http_header_in(req, "Content-Type")) ||
	    req->body_len == 0)
		return 0;
	memset(&fs, 0, sizeof(fs));
	fs.req = req;
	req->form = arena_calloc(req->arena, HTTP_MAX_FORM_FIELDS,
	                         sizeof(*req->form));
	if (req->form == NULL)
		return -1;
	pp = MHD_create_post_processor(conn, FORM_PP_BUFFER, form_iterate, &fs);
	if (pp == NULL)
		return -1;
	if (MHD_post_process(pp, req->body, req->body_len) != MHD_YES)
		rc = -1;
	if (MHD_destroy_post_processor(pp) != MHD_YES)
		rc = -1;
	for (i = 0; i < req->nform; i++) {
		struct buf *b = &fs.values[i];

		req->form[i].len = b->len;
		req->form[i].value = arena_strndup(
		        req->arena, b->data ? b->data : "", b->len);
		if (req->form[i].value == NULL || b->failed)
			rc = -1;
		buf_free(b);
	}
	if (fs.overflow)
		rc = -1;
	return rc;
}

const struct http_form_field *
http_form(struct http_request *req, const char *name)
{
	size_t i;

	for (i = 0; i < req->nform; i++)
		if (strcmp(req->form[i].name, name) == 0)
			return &req->form[i];
	return NULL;
}

const char *
http_form_value(struct http_request *req, const char *name)
{
	const struct http_form_field *f = http_form(req, name);

	return f != NULL ? f->value : NULL;
}
