/*
 * Building responses: JSON, RFC 9457 problems, redirects, plain bodies; and
 * reading a JSON body under the depth limit.
 */
#include "http/http.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int
http_add_header(struct http_response *res, const char *name, const char *value)
{
	if (res->nheaders == HTTP_MAX_RESPONSE_HEADERS)
		return -1;
	res->headers[res->nheaders].name = name;
	res->headers[res->nheaders].value = value;
	res->nheaders++;
	return 0;
}

int
http_text(struct http_response *res, int status, const char *type,
          const char *text, size_t len)
{
	res->status = status;
	res->content_type = type;
	buf_reset(&res->body);
	return buf_append(&res->body, text, len);
}

int
http_json(struct http_response *res, int status, json_t *body)
{
	char *text;
	int rc;

	text = json_dumps(body, JSON_COMPACT);
	if (text == NULL)
		return http_problem(res, 500, "could not encode the answer");
	rc = http_text(res, status, "application/json", text, strlen(text));
	free(text);
	return rc;
}

const char *
http_status_title(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 201:
		return "Created";
	case 204:
		return "No Content";
	case 303:
		return "See Other";
	case 304:
		return "Not Modified";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 409:
		return "Conflict";
	case 413:
		return "Content Too Large";
	case 415:
		return "Unsupported Media Type";
	case 422:
		return "Unprocessable Content";
	case 429:
		return "Too Many Requests";
	case 503:
		return "Service Unavailable";
	default:
		return status >= 500 ? "Internal Server Error" : "Error";
	}
}

int
http_problem(struct http_response *res, int status, const char *detail)
{
	json_t *body;
	char *text;
	int rc;

	res->problem = arena_strdup(res->arena, detail);
	body = json_pack("{s:s, s:s, s:i, s:s}", "type", "about:blank", "title",
	                 http_status_title(status), "status", status, "detail",
	                 detail);
	if (body == NULL)
		return -1;
	text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	if (text == NULL)
		return -1;
	rc = http_text(res, status, "application/problem+json", text,
	               strlen(text));
	free(text);
	if (status == 401)
		http_add_header(res, "WWW-Authenticate", "Bearer");
	return rc;
}

int
http_problemf(struct http_response *res, int status, const char *fmt, ...)
{
	char detail[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	return http_problem(res, status, detail);
}

char *
http_url_encode(struct arena *a, const char *s, const char *keep)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t len = strlen(s), i, o = 0;
	char *out;

	out = arena_alloc(a, len * 3 + 1);
	if (out == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		bool plain =
		        keep == NULL
		                ? c > 0x20 && c < 0x7f
		                : isalnum(c) || strchr("-._~", c) != NULL ||
		                          (c != 0 && strchr(keep, c) != NULL);

		if (plain) {
			out[o++] = (char)c;
		} else {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
	return out;
}

int
http_redirect(struct http_response *res, const char *location)
{
	/*
	 * A Location header must be ASCII, but our paths carry class names
	 * such as "3А": encode what is not, once, for every redirect.
	 */
	const char *ascii = http_url_encode(res->arena, location, NULL);

	if (ascii == NULL)
		return -1;
	res->status = 303;
	res->content_type = "text/plain; charset=utf-8";
	buf_reset(&res->body);
	return http_add_header(res, "Location", ascii);
}

/*
 * jansson's own nesting limit is 2048; ours is much lower, so count the
 * nesting before parsing.  Brackets inside strings do not count.
 */
static bool
json_depth_ok(const char *s, size_t len, int max)
{
	bool in_string = false, escaped = false;
	int depth = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (in_string) {
			if (escaped)
				escaped = false;
			else if (c == '\\')
				escaped = true;
			else if (c == '"')
				in_string = false;
			continue;
		}
		if (c == '"')
			in_string = true;
		else if (c == '{' || c == '[') {
			if (++depth > max)
				return false;
		} else if (c == '}' || c == ']')
			depth--;
	}
	return true;
}

static bool
is_json_type(const char *type)
{
	size_t n = strlen("application/json");

	return type != NULL && strncasecmp(type, "application/json", n) == 0 &&
	       (type[n] == '\0' || type[n] == ';' || type[n] == ' ');
}

int
http_json_parse(const char *body, size_t len, json_t **out, char *err,
                size_t errlen)
{
	json_error_t error;
	json_t *root;

	*out = NULL;
	if (!json_depth_ok(body, len, HTTP_MAX_JSON_DEPTH)) {
		snprintf(err, errlen, "JSON nested deeper than %d levels",
		         HTTP_MAX_JSON_DEPTH);
		return 400;
	}
	root = json_loadb(body ? body : "", len,
	                  JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &error);
	if (root == NULL) {
		snprintf(err, errlen, "malformed JSON at line %d column %d: %s",
		         error.line, error.column, error.text);
		return 400;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		snprintf(err, errlen, "the body must be a JSON object");
		return 422;
	}
	*out = root;
	return 0;
}

json_t *
http_json_body(struct http_request *req, struct http_response *res)
{
	char err[256];
	json_t *root;
	int status;

	if (!is_json_type(http_header_in(req, "Content-Type"))) {
		http_problem(res, 415, "the body must be application/json");
		return NULL;
	}
	status = http_json_parse(req->body, req->body_len, &root, err,
	                         sizeof(err));
	if (status != 0) {
		http_problem(res, status, err);
		return NULL;
	}
	return root;
}
