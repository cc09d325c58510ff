/*
 * Page templates: a logic-less subset of Mustache, compiled once at start-up
 * from the files embedded from src/web/templates/ and rendered with a jansson
 * object as context.
 *
 *   {{name}} {{a.b.c}} {{.}}   the value, HTML-escaped; integers and reals
 *                              printed, true/false as words, null, arrays,
 *                              objects and missing names as nothing
 *   {{#name}}...{{/name}}      once per element of an array, or once for a
 *                              true, non-zero, non-empty-string or object
 *                              value; the element/value is the innermost
 *                              context and lookups fall back outwards
 *   {{^name}}...{{/name}}      once when missing, null, false, 0, "" or []
 *   {{_ English text}}         i18n_get(lang, "English text"), HTML-escaped;
 *                              one line, outer spaces trimmed
 *   {{> name}}                 the template name.html, same context
 *   {{> @body}}                the page given to template_render_page()
 *   {{! comment}}              nothing
 *
 * There is deliberately no unescaped output ({{{x}}}, {{& x}}): markup comes
 * only from template files, so a value can never inject HTML.  Set-delimiter
 * tags and standalone-line trimming are not supported.  A template's name is
 * its file name without ".html".
 */
#ifndef QORGAN_WEB_TEMPLATE_H
#define QORGAN_WEB_TEMPLATE_H

#include <jansson.h>

#include "core/buf.h"
#include "web/i18n.h"

/* Nesting of sections, partials and @body; deeper templates fail to link. */
#define TEMPLATE_MAX_DEPTH 16

/*
 * Compiles every embedded template.  Returns 0, or -1 after logging the first
 * error as "file:line: message" (bad syntax, unknown or recursive partial,
 * nesting too deep).  Calling it again replaces the set; not thread-safe.
 */
int template_init(void);
void template_shutdown(void);

/*
 * Appends template `name` rendered with `ctx` (borrowed, read only) in
 * `lang` to `out`.  Returns 0, or -1 for an unknown template, a {{> @body}}
 * without a page, or an allocation failure; `out` is then left as it was.
 * Safe to call from many threads at once after template_init().
 */
int template_render(const char *name, const json_t *ctx, enum lang lang,
                    struct buf *out);

/* The same, rendering `layout` with the template `page` at {{> @body}}. */
int template_render_page(const char *layout, const char *page,
                         const json_t *ctx, enum lang lang, struct buf *out);

/*
 * A set of templates that include one another.  The functions above use one
 * built from the embedded files; tests and tools can build their own.
 * Owned by the caller of template_set_new(); free with template_set_free().
 */
struct template_set;

struct template_set *template_set_new(void);
void template_set_free(struct template_set *set);

/*
 * Compiles `len` bytes of `text` (copied) as template `name`.  Returns 0, or
 * -1 with template_set_error() telling "name.html:line: message".
 */
int template_set_add(struct template_set *set, const char *name,
                     const char *text, size_t len);

/*
 * Resolves partials and checks for cycles and depth; required after the
 * last template_set_add() and before rendering.  Returns 0 or -1 as above.
 */
int template_set_link(struct template_set *set);

/* The last error of add or link, or "" when there was none. */
const char *template_set_error(const struct template_set *set);

/* As template_render_page(); `page` may be NULL when there is no body. */
int template_set_render(const struct template_set *set, const char *name,
                        const char *page, const json_t *ctx, enum lang lang,
                        struct buf *out);

#endif
