/*
 * A Mustache subset written here because Debian packages no C library for
 * Mustache, and the part we need (escaped values, sections, partials) is
 * small.  We add {{_ text}} for translations and {{> @body}} for pages in a
 * layout, and leave out unescaped output on purpose (see template.h).
 *
 * Each template is parsed once, at start-up, into a tree of nodes; text and
 * names point into the template's private copy of its source, where the
 * parser NUL-terminates names in place.  Linking resolves partials to
 * indices and bounds the nesting, so rendering cannot recurse without end.
 * After template_set_link() a set is only read: a render keeps its state
 * (the context stack) on its own C stack, so threads may render at once.
 */
#include "web/template.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/embedded.h"
#include "core/log.h"

enum node_kind {
	NODE_TEXT,      /* str[0..len) copied as is */
	NODE_VALUE,     /* {{name}} */
	NODE_SECTION,   /* {{#name}} children {{/name}} */
	NODE_INVERTED,  /* {{^name}} children {{/name}} */
	NODE_TRANSLATE, /* {{_ msgid}} */
	NODE_PARTIAL,   /* {{> name}}, resolved to `partial` by linking */
	NODE_BODY,      /* {{> @body}} */
};

struct node;

struct nodes {
	struct node *v;
	size_t n, cap;
};

struct node {
	enum node_kind kind;
	unsigned line;
	const char *str; /* NUL-terminated except for NODE_TEXT */
	size_t len;
	struct nodes children;
	size_t partial;
};

enum link_state { LINK_NONE, LINK_BUSY, LINK_DONE };

struct template
{
	char *name;   /* without ".html" */
	char *source; /* private copy; nodes point into it */
	struct nodes root;
	enum link_state state;
	unsigned depth;
};

struct template_set {
	struct template *v;
	size_t n, cap;
	bool linked;
	char error[256];
};

struct parser {
	struct template_set *set;
	const char *name;
	char *s;
	size_t len, pos;
	unsigned line, depth;
};

struct render {
	const struct template_set *set;
	const struct template *page;
	enum lang lang;
	struct buf *out;
	const json_t *stack[TEMPLATE_MAX_DEPTH + 1];
	size_t top;
	unsigned depth;
};

/* The set used by template_render(); replaced only by template_init(). */
static struct template_set *templates;

static void set_error(struct template_set *set, const char *name, unsigned line,
                      const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

static void
set_error(struct template_set *set, const char *name, unsigned line,
          const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(set->error, sizeof(set->error), "%s.html:%u: ", name,
	             line);
	if (n < 0 || (size_t)n >= sizeof(set->error))
		return;
	va_start(ap, fmt);
	vsnprintf(set->error + n, sizeof(set->error) - (size_t)n, fmt, ap);
	va_end(ap);
}

static void
nodes_free(struct nodes *ns)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		nodes_free(&ns->v[i].children);
	free(ns->v);
	memset(ns, 0, sizeof(*ns));
}

/* A new zeroed node at the end of `ns`, or NULL when out of memory. */
static struct node *
nodes_push(struct nodes *ns, enum node_kind kind, unsigned line)
{
	struct node *v;
	size_t cap;

	if (ns->n == ns->cap) {
		cap = ns->cap ? ns->cap * 2 : 8;
		v = reallocarray(ns->v, cap, sizeof(*v));
		if (v == NULL)
			return NULL;
		ns->v = v;
		ns->cap = cap;
	}
	v = &ns->v[ns->n++];
	memset(v, 0, sizeof(*v));
	v->kind = kind;
	v->line = line;
	return v;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static bool
template_name_ok(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!is_name_char(s[i]))
			return false;
	return len > 0;
}

/* "." or dot-separated segments of name characters. */
static bool
value_name_ok(const char *s, size_t len)
{
	size_t i, run = 0;

	if (len == 1 && s[0] == '.')
		return true;
	for (i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (run == 0)
				return false;
			run = 0;
		} else if (is_name_char(s[i])) {
			run++;
		} else {
			return false;
		}
	}
	return run > 0;
}

static unsigned
count_lines(const char *s, size_t len)
{
	unsigned n = 0;

	while (len-- > 0)
		if (*s++ == '\n')
			n++;
	return n;
}

static int parse_block(struct parser *p, struct nodes *out, const char *open,
                       unsigned open_line);

/*
 * One tag's inside, `s` of `len` bytes.  Returns 0, 1 when it is the
 * {{/open}} that ends the current block, or -1 with the set's error.
 */
static int
parse_tag(struct parser *p, struct nodes *out, char *s, size_t len,
          unsigned line, const char *open, unsigned open_line)
{
	char sigil = len > 0 ? s[0] : '\0';
	enum node_kind kind = NODE_VALUE;
	struct node *n;

	if (sigil != '\0' && strchr("!{&=_#^/>", sigil) != NULL) {
		s++;
		len--;
	}
	while (len > 0 && is_space(s[0])) {
		s++;
		len--;
	}
	while (len > 0 && is_space(s[len - 1]))
		len--;

	switch (sigil) {
	case '!':
		return 0;
	case '{':
	case '&':
		set_error(p->set, p->name, line,
		          "unescaped output is not supported");
		return -1;
	case '=':
		set_error(p->set, p->name, line,
		          "changing delimiters is not supported");
		return -1;
	case '_':
		if (len == 0 || memchr(s, '\n', len) != NULL) {
			set_error(p->set, p->name, line,
			          "{{_ text}} needs text on one line");
			return -1;
		}
		kind = NODE_TRANSLATE;
		break;
	case '/':
		if (open == NULL) {
			set_error(p->set, p->name, line,
			          "{{/%.*s}} closes no section", (int)len, s);
			return -1;
		}
		if (strlen(open) != len || memcmp(open, s, len) != 0) {
			set_error(p->set, p->name, line,
			          "{{/%.*s}} does not close {{%s}} of line %u",
			          (int)len, s, open, open_line);
			return -1;
		}
		return 1;
	case '>':
		if (len == 5 && memcmp(s, "@body", 5) == 0) {
			kind = NODE_BODY;
			break;
		}
		if (!template_name_ok(s, len)) {
			set_error(p->set, p->name, line, "bad partial name");
			return -1;
		}
		kind = NODE_PARTIAL;
		break;
	case '#':
	case '^':
		kind = sigil == '#' ? NODE_SECTION : NODE_INVERTED;
		/* FALLTHROUGH */
	default:
		if (!value_name_ok(s, len)) {
			set_error(p->set, p->name, line, "bad name '%.*s'",
			          (int)len, s);
			return -1;
		}
		break;
	}

	if ((n = nodes_push(out, kind, line)) == NULL) {
		set_error(p->set, p->name, line, "out of memory");
		return -1;
	}
	s[len] = '\0'; /* at most the first '}' of this tag's "}}" */
	n->str = s;
	n->len = len;
	if (kind != NODE_SECTION && kind != NODE_INVERTED)
		return 0;
	if (p->depth >= TEMPLATE_MAX_DEPTH) {
		set_error(p->set, p->name, line,
		          "sections nested deeper than %d", TEMPLATE_MAX_DEPTH);
		return -1;
	}
	p->depth++;
	if (parse_block(p, &n->children, n->str, line) == -1)
		return -1;
	p->depth--;
	return 0;
}

/* Nodes up to the {{/open}} tag, or to the end when `open` is NULL. */
static int
parse_block(struct parser *p, struct nodes *out, const char *open,
            unsigned open_line)
{
	char *tag, *end;
	struct node *n;
	unsigned line;
	int rc;

	for (;;) {
		tag = memmem(p->s + p->pos, p->len - p->pos, "{{", 2);
		end = tag != NULL ? tag : p->s + p->len;
		if (end > p->s + p->pos) {
			if ((n = nodes_push(out, NODE_TEXT, p->line)) == NULL) {
				set_error(p->set, p->name, p->line,
				          "out of memory");
				return -1;
			}
			n->str = p->s + p->pos;
			n->len = (size_t)(end - n->str);
			p->line += count_lines(n->str, n->len);
		}
		if (tag == NULL) {
			if (open == NULL)
				return 0;
			set_error(p->set, p->name, open_line,
			          "{{%s}} is not closed", open);
			return -1;
		}
		line = p->line;
		end = memmem(tag + 2, (size_t)(p->s + p->len - tag - 2), "}}",
		             2);
		if (end == NULL) {
			set_error(p->set, p->name, line, "tag is not closed");
			return -1;
		}
		p->line += count_lines(tag, (size_t)(end - tag));
		p->pos = (size_t)(end + 2 - p->s);
		rc = parse_tag(p, out, tag + 2, (size_t)(end - tag - 2), line,
		               open, open_line);
		if (rc == -1)
			return -1;
		if (rc == 1)
			return 0;
	}
}

struct template_set *
template_set_new(void)
{
	return calloc(1, sizeof(struct template_set));
}

void
template_set_free(struct template_set *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++) {
		nodes_free(&set->v[i].root);
		free(set->v[i].source);
		free(set->v[i].name);
	}
	free(set->v);
	free(set);
}

static struct template *
set_find(const struct template_set *set, const char *name)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (strcmp(set->v[i].name, name) == 0)
			return &set->v[i];
	return NULL;
}

int
template_set_add(struct template_set *set, const char *name, const char *text,
                 size_t len)
{
	struct parser p;
	struct template *t, *v;
	size_t cap;

	set->error[0] = '\0';
	set->linked = false;
	if (!template_name_ok(name, strlen(name)) ||
	    set_find(set, name) != NULL) {
		set_error(set, name, 0, "bad or duplicate template name");
		return -1;
	}
	if (set->n == set->cap) {
		cap = set->cap ? set->cap * 2 : 16;
		v = reallocarray(set->v, cap, sizeof(*v));
		if (v == NULL)
			goto oom;
		set->v = v;
		set->cap = cap;
	}
	t = &set->v[set->n];
	memset(t, 0, sizeof(*t));
	if ((t->name = strdup(name)) == NULL ||
	    (t->source = strndup(text, len)) == NULL) {
		free(t->name);
		goto oom;
	}
	memset(&p, 0, sizeof(p));
	p.set = set;
	p.name = t->name;
	p.s = t->source;
	p.len = strlen(t->source);
	p.line = 1;
	if (parse_block(&p, &t->root, NULL, 0) == -1) {
		nodes_free(&t->root);
		free(t->source);
		free(t->name);
		return -1;
	}
	set->n++;
	return 0;
oom:
	set_error(set, name, 0, "out of memory");
	return -1;
}

static int link_template(struct template_set *set, struct template *t);

/* Resolves partials below `ns` and sets `*depth` to their deepest nesting. */
static int
link_nodes(struct template_set *set, struct template *t, struct nodes *ns,
           unsigned *depth)
{
	struct template *target;
	struct node *n;
	unsigned d;
	size_t i;

	*depth = 0;
	for (i = 0; i < ns->n; i++) {
		n = &ns->v[i];
		switch (n->kind) {
		case NODE_SECTION:
		case NODE_INVERTED:
			if (link_nodes(set, t, &n->children, &d) == -1)
				return -1;
			d++;
			break;
		case NODE_PARTIAL:
			target = set_find(set, n->str);
			if (target == NULL) {
				set_error(set, t->name, n->line,
				          "unknown partial '%s'", n->str);
				return -1;
			}
			if (target->state == LINK_BUSY) {
				set_error(set, t->name, n->line,
				          "partial '%s' includes itself",
				          n->str);
				return -1;
			}
			if (target->state == LINK_NONE &&
			    link_template(set, target) == -1)
				return -1;
			n->partial = (size_t)(target - set->v);
			d = target->depth + 1;
			break;
		case NODE_BODY:
			d = 1;
			break;
		default:
			d = 0;
			break;
		}
		if (d > TEMPLATE_MAX_DEPTH) {
			set_error(set, t->name, n->line,
			          "nesting deeper than %d", TEMPLATE_MAX_DEPTH);
			return -1;
		}
		if (d > *depth)
			*depth = d;
	}
	return 0;
}

static int
link_template(struct template_set *set, struct template *t)
{
	t->state = LINK_BUSY;
	if (link_nodes(set, t, &t->root, &t->depth) == -1)
		return -1;
	t->state = LINK_DONE;
	return 0;
}

int
template_set_link(struct template_set *set)
{
	size_t i;

	set->error[0] = '\0';
	set->linked = false;
	for (i = 0; i < set->n; i++)
		set->v[i].state = LINK_NONE;
	for (i = 0; i < set->n; i++)
		if (set->v[i].state == LINK_NONE &&
		    link_template(set, &set->v[i]) == -1)
			return -1;
	set->linked = true;
	return 0;
}

const char *
template_set_error(const struct template_set *set)
{
	return set->error;
}

/*
 * Mustache lookup: the first segment is searched from the innermost context
 * outwards, the rest only inside what the first one found.
 */
static const json_t *
lookup(const struct render *r, const char *name)
{
	const json_t *v = NULL;
	const char *dot;
	size_t i, len;

	if (strcmp(name, ".") == 0)
		return r->top > 0 ? r->stack[r->top - 1] : NULL;
	dot = strchrnul(name, '.');
	len = (size_t)(dot - name);
	for (i = r->top; i > 0 && v == NULL; i--)
		if (json_is_object(r->stack[i - 1]))
			v = json_object_getn(r->stack[i - 1], name, len);
	while (v != NULL && *dot == '.') {
		name = dot + 1;
		dot = strchrnul(name, '.');
		v = json_is_object(v)
		            ? json_object_getn(v, name, (size_t)(dot - name))
		            : NULL;
	}
	return v;
}

static bool
truthy(const json_t *v)
{
	switch (v != NULL ? json_typeof(v) : JSON_NULL) {
	case JSON_TRUE:
	case JSON_OBJECT:
		return true;
	case JSON_STRING:
		return json_string_length(v) > 0;
	case JSON_INTEGER:
		return json_integer_value(v) != 0;
	case JSON_REAL:
		return json_real_value(v) != 0.0;
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	default:
		return false;
	}
}

static int
put_value(struct buf *out, const json_t *v)
{
	switch (v != NULL ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING:
		return buf_put_html(out, json_string_value(v),
		                    json_string_length(v));
	case JSON_INTEGER:
		return buf_printf(out, "%" JSON_INTEGER_FORMAT,
		                  json_integer_value(v));
	case JSON_REAL:
		return buf_printf(out, "%.15g", json_real_value(v));
	case JSON_TRUE:
		return buf_puts(out, "true");
	case JSON_FALSE:
		return buf_puts(out, "false");
	default:
		return 0;
	}
}

static int render_nodes(struct render *r, const struct nodes *ns);

/* Renders `ns` one level deeper, with `ctx` (if not NULL) pushed. */
static int
render_nested(struct render *r, const struct nodes *ns, const json_t *ctx)
{
	int rc;

	if (r->depth >= TEMPLATE_MAX_DEPTH) {
		log_warnx("template: nesting deeper than %d",
		          TEMPLATE_MAX_DEPTH);
		return -1;
	}
	r->depth++;
	if (ctx != NULL)
		r->stack[r->top++] = ctx;
	rc = render_nodes(r, ns);
	if (ctx != NULL)
		r->top--;
	r->depth--;
	return rc;
}

static int
render_section(struct render *r, const struct node *n)
{
	const json_t *v = lookup(r, n->str);
	size_t i;

	if (n->kind == NODE_INVERTED)
		return truthy(v) ? 0 : render_nested(r, &n->children, NULL);
	if (!json_is_array(v))
		return truthy(v) ? render_nested(r, &n->children, v) : 0;
	for (i = 0; i < json_array_size(v); i++)
		if (render_nested(r, &n->children, json_array_get(v, i)) == -1)
			return -1;
	return 0;
}

static int
render_nodes(struct render *r, const struct nodes *ns)
{
	const struct node *n;
	const char *s;
	size_t i;
	int rc = 0;

	for (i = 0; i < ns->n && rc == 0; i++) {
		n = &ns->v[i];
		switch (n->kind) {
		case NODE_TEXT:
			rc = buf_append(r->out, n->str, n->len);
			break;
		case NODE_VALUE:
			rc = put_value(r->out, lookup(r, n->str));
			break;
		case NODE_SECTION:
		case NODE_INVERTED:
			rc = render_section(r, n);
			break;
		case NODE_TRANSLATE:
			s = i18n_get(r->lang, n->str);
			rc = buf_put_html(r->out, s, strlen(s));
			break;
		case NODE_PARTIAL:
			rc = render_nested(r, &r->set->v[n->partial].root,
			                   NULL);
			break;
		case NODE_BODY:
			if (r->page == NULL) {
				log_warnx("template: {{> @body}} without a "
				          "page");
				return -1;
			}
			rc = render_nested(r, &r->page->root, NULL);
			break;
		}
	}
	return rc;
}

int
template_set_render(const struct template_set *set, const char *name,
                    const char *page, const json_t *ctx, enum lang lang,
                    struct buf *out)
{
	const struct template *t;
	struct render r;
	size_t start = out->len;

	memset(&r, 0, sizeof(r));
	r.set = set;
	r.lang = lang;
	r.out = out;
	if (set == NULL || !set->linked) {
		log_warnx("template: set not linked");
		return -1;
	}
	if ((t = set_find(set, name)) == NULL ||
	    (page != NULL && (r.page = set_find(set, page)) == NULL)) {
		log_warnx("template: unknown template name=%s",
		          t == NULL ? name : page);
		return -1;
	}
	if (ctx != NULL)
		r.stack[r.top++] = ctx;
	if (render_nodes(&r, &t->root) == -1 || out->failed) {
		if (out->data != NULL) {
			out->len = start;
			out->data[start] = '\0';
		}
		return -1;
	}
	return 0;
}

int
template_render(const char *name, const json_t *ctx, enum lang lang,
                struct buf *out)
{
	return template_set_render(templates, name, NULL, ctx, lang, out);
}

int
template_render_page(const char *layout, const char *page, const json_t *ctx,
                     enum lang lang, struct buf *out)
{
	return template_set_render(templates, layout, page, ctx, lang, out);
}

int
template_init(void)
{
	const struct embedded_file *f;
	struct template_set *set;
	char name[128];
	size_t len;

	if ((set = template_set_new()) == NULL) {
		log_warnx("template: out of memory");
		return -1;
	}
	for (f = embedded_templates; f->name != NULL; f++) {
		len = strlen(f->name);
		if (len < 5 || strcmp(f->name + len - 5, ".html") != 0)
			continue;
		if (len - 5 >= sizeof(name)) {
			snprintf(set->error, sizeof(set->error),
			         "%s: name too long", f->name);
			goto fail;
		}
		memcpy(name, f->name, len - 5);
		name[len - 5] = '\0';
		if (template_set_add(set, name, (const char *)f->data,
		                     f->size) == -1)
			goto fail;
	}
	if (template_set_link(set) == -1)
		goto fail;
	template_shutdown();
	templates = set;
	return 0;
fail:
	log_warnx("template: %s", set->error);
	template_set_free(set);
	return -1;
}

void
template_shutdown(void)
{
	template_set_free(templates);
	templates = NULL;
}
