/*
 * libFuzzer driver for the template engine: arbitrary text is compiled as
 * template "t" beside two fixed ones ("part", a partial it may include, and
 * "layout", which places a page at {{> @body}}), linked, and rendered alone
 * and as the page of the layout, with a small fixed JSON context whose
 * strings hold every character HTML escaping must catch.
 *
 * Checked beyond "no crash": a failed add names "t.html:"; a failed link or
 * render explains itself or leaves the output exactly as it was; and when
 * the template text holds no '<', neither does the output, because no value
 * or translation may ever inject markup.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "web/i18n.h"
#include "web/template.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char context_json[] =
        "{\"name\":\"<b>Әлия</b> & \\\"Co\\\" 'x'\","
        " \"n\":3, \"zero\":0, \"pi\":3.25, \"flag\":true, \"off\":false,"
        " \"empty\":\"\", \"none\":null, \"nothing\":[],"
        " \"list\":[{\"a\":1,\"name\":\"<i>\"},{\"a\":\"<two>\"},3,\"<s>\"],"
        " \"obj\":{\"x\":{\"y\":\"<z>\"},\"name\":\"inner<\"}}";

static const char part_text[] = "{{name}}/{{#list}}{{a}}{{.}}{{/list}}";
static const char layout_text[] = "[{{_ Students}}|{{> @body}}]";
#define PREFIX "prefix"

static json_t *context;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	json_error_t err;

	(void)argc;
	(void)argv;
	/* Real translations for {{_ ...}}; the engine works without too. */
	i18n_init();
	context = json_loads(context_json, 0, &err);
	if (context == NULL)
		abort();
	return 0;
}

/* Renders and checks; `no_markup` when the output must hold no '<'. */
static void
render(const struct template_set *set, const char *name, const char *page,
       enum lang lang, bool no_markup)
{
	struct buf out;

	buf_init(&out);
	buf_puts(&out, PREFIX);
	if (template_set_render(set, name, page, context, lang, &out) == -1) {
		/* Left as it was. */
		if (out.len != strlen(PREFIX) || strcmp(out.data, PREFIX) != 0)
			abort();
	} else if (out.failed ||
	           strncmp(out.data, PREFIX, strlen(PREFIX)) != 0 ||
	           (no_markup && memchr(out.data, '<', out.len) != NULL)) {
		abort();
	}
	buf_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct template_set *set;
	bool no_markup;
	enum lang lang = size > 0 ? (enum lang)(data[0] % LANG_COUNT) : LANG_EN;

	/* The engine copies up to a NUL: the check looks at the same bytes. */
	no_markup = memchr(text, '<', strnlen(text, size)) == NULL;
	set = template_set_new();
	if (set == NULL)
		return 0;
	if (template_set_add(set, "part", part_text, strlen(part_text)) == -1 ||
	    template_set_add(set, "layout", layout_text, strlen(layout_text)) ==
	            -1)
		abort();
	if (template_set_add(set, "t", text, size) == -1) {
		if (strncmp(template_set_error(set), "t.html:", 7) != 0)
			abort();
		goto done;
	}
	if (template_set_link(set) == -1) {
		if (template_set_error(set)[0] == '\0')
			abort();
		goto done;
	}
	if (template_set_error(set)[0] != '\0')
		abort();
	render(set, "t", NULL, lang, no_markup);
	render(set, "layout", "t", lang, no_markup);
	/* A page may itself be rendered inside a layout by a partial. */
	render(set, "t", "t", lang, no_markup);
done:
	template_set_free(set);
	return 0;
}
