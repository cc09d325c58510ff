/*
 * The template engine on small templates of its own (escaping, sections,
 * lookup, translation, partials, errors with file:line, depth limits) and on
 * the embedded templates the program ships.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/embedded.h"
#include "web/i18n.h"
#include "web/template.h"

static json_t *
ctx_parse(const char *json)
{
	json_error_t err;
	json_t *ctx = json_loads(json, 0, &err);

	if (ctx == NULL)
		fail_msg("bad test JSON: %s", err.text);
	return ctx;
}

/* Renders `text` as template "t" with the JSON context; caller frees. */
static char *
render_lang(const char *text, const char *json, enum lang lang)
{
	struct template_set *set = template_set_new();
	json_t *ctx = ctx_parse(json);
	struct buf out;

	assert_non_null(set);
	if (template_set_add(set, "t", text, strlen(text)) == -1 ||
	    template_set_link(set) == -1)
		fail_msg("%s", template_set_error(set));
	buf_init(&out);
	assert_int_equal(template_set_render(set, "t", NULL, ctx, lang, &out),
	                 0);
	json_decref(ctx);
	template_set_free(set);
	return buf_steal(&out, NULL);
}

static char *
render(const char *text, const char *json)
{
	return render_lang(text, json, LANG_EN);
}

#define assert_renders(text, json, want)                                       \
	do {                                                                   \
		char *got_ = render(text, json);                               \
		assert_string_equal(got_, want);                               \
		free(got_);                                                    \
	} while (0)

/* The error of compiling and linking `text` as "t" (plus partial "p"). */
static char *
compile_error(const char *text, const char *partial)
{
	struct template_set *set = template_set_new();
	char *err;

	assert_non_null(set);
	if (partial != NULL)
		assert_int_equal(
		        template_set_add(set, "p", partial, strlen(partial)),
		        0);
	if (template_set_add(set, "t", text, strlen(text)) == 0 &&
	    template_set_link(set) == 0)
		fail_msg("compiled without error: %s", text);
	err = strdup(template_set_error(set));
	template_set_free(set);
	return err;
}

#define assert_compile_error(text, partial, want)                              \
	do {                                                                   \
		char *err_ = compile_error(text, partial);                     \
		assert_string_equal(err_, want);                               \
		free(err_);                                                    \
	} while (0)

static void
test_escaping(void **state)
{
	(void)state;
	assert_renders("<b>{{v}}</b>", "{\"v\": \"<i>'a' & \\\"b\\\"</i>\"}",
	               "<b>&lt;i&gt;&#39;a&#39; &amp; &quot;b&quot;&lt;/i&gt;"
	               "</b>");
	assert_renders("<a title=\"{{v}}\">", "{\"v\": \"\\\" onclick=x\"}",
	               "<a title=\"&quot; onclick=x\">");
	assert_renders("{{v}}", "{\"v\": \"&amp;\"}", "&amp;amp;");
}

static void
test_value_types(void **state)
{
	(void)state;
	assert_renders(
	        "[{{i}}|{{n}}|{{r}}|{{t}}|{{f}}|{{z}}|{{a}}|{{o}}|{{m}}]",
	        "{\"i\": 42, \"n\": -7, \"r\": 2.5, \"t\": true, "
	        "\"f\": false, \"z\": null, \"a\": [1], \"o\": {}}",
	        "[42|-7|2.5|true|false||||]");
	assert_renders("{{ spaced }}", "{\"spaced\": \"ok\"}", "ok");
	assert_renders("no tags at all", "{}", "no tags at all");
	assert_renders("", "{}", "");
}

static void
test_dotted_names(void **state)
{
	(void)state;
	assert_renders("{{a.b.c}}", "{\"a\": {\"b\": {\"c\": \"deep\"}}}",
	               "deep");
	assert_renders("[{{a.x}}|{{a.b.c.d}}|{{x.y}}]",
	               "{\"a\": {\"b\": {\"c\": 1}}}", "[||]");
	/* Only the first segment falls back to outer contexts. */
	assert_renders("{{#a}}[{{b.c}}|{{c}}]{{/a}}",
	               "{\"b\": {\"c\": \"root\"}, \"c\": \"rc\", "
	               "\"a\": {\"b\": {\"x\": 1}}}",
	               "[|rc]");
	assert_renders("{{#a.list}}{{.}}{{/a.list}}",
	               "{\"a\": {\"list\": [1, 2, 3]}}", "123");
}

static void
test_sections_over_arrays(void **state)
{
	(void)state;
	assert_renders("{{#items}}[{{name}}]{{/items}}",
	               "{\"items\": [{\"name\": \"a\"}, {\"name\": \"<b>\"}]}",
	               "[a][&lt;b&gt;]");
	assert_renders("{{#xs}}{{.}},{{/xs}}",
	               "{\"xs\": [1, \"x\", true, null]}", "1,x,true,,");
	assert_renders("{{#xs}}never{{/xs}}", "{\"xs\": []}", "");
	assert_renders("{{#rows}}{{#cells}}{{.}}{{/cells}};{{/rows}}",
	               "{\"rows\": [{\"cells\": [1, 2]}, {\"cells\": []}, "
	               "{\"cells\": [3]}]}",
	               "12;;3;");
}

static void
test_fallback_to_outer_context(void **state)
{
	(void)state;
	assert_renders("{{#items}}{{n}}{{title}};{{/items}}",
	               "{\"title\": \"T\", \"items\": [{\"n\": 1}, "
	               "{\"n\": 2, \"title\": \"own\"}]}",
	               "1T;2own;");
	assert_renders("{{#user}}{{login}}:{{csrf}}{{/user}}",
	               "{\"csrf\": \"tok\", \"user\": {\"login\": \"a\"}}",
	               "a:tok");
	/* An array of scalars: outer names still resolve. */
	assert_renders("{{#xs}}{{sep}}{{.}}{{/xs}}",
	               "{\"sep\": \"-\", \"xs\": [\"a\", \"b\"]}", "-a-b");
}

static void
test_truthiness(void **state)
{
	static const char *const falsy[] = {
	        "{}",           "{\"v\": null}", "{\"v\": false}", "{\"v\": 0}",
	        "{\"v\": 0.0}", "{\"v\": \"\"}", "{\"v\": []}",
	};
	static const char *const truthy[] = {
	        "{\"v\": true}",  "{\"v\": 1}",  "{\"v\": -0.5}",
	        "{\"v\": \"x\"}", "{\"v\": {}}", "{\"v\": \"0\"}",
	};
	static const char tmpl[] = "{{#v}}yes{{/v}}{{^v}}no{{/v}}";
	size_t i;
	char *got;

	(void)state;
	for (i = 0; i < sizeof(falsy) / sizeof(falsy[0]); i++) {
		got = render(tmpl, falsy[i]);
		if (strcmp(got, "no") != 0)
			fail_msg("%s rendered %s", falsy[i], got);
		free(got);
	}
	for (i = 0; i < sizeof(truthy) / sizeof(truthy[0]); i++) {
		got = render(tmpl, truthy[i]);
		if (strcmp(got, "yes") != 0)
			fail_msg("%s rendered %s", truthy[i], got);
		free(got);
	}
	assert_renders("{{^xs}}none{{/xs}}", "{\"xs\": [1, 2]}", "");
	assert_renders("{{#v}}{{.}}{{/v}}", "{\"v\": \"self\"}", "self");
	assert_renders("{{#o}}{{k}}{{/o}}", "{\"o\": {\"k\": \"in\"}}", "in");
}

static void
test_comments(void **state)
{
	(void)state;
	assert_renders("a{{! note }}b{{!\n many\n lines }}c", "{}", "abc");
}

static void
test_translations(void **state)
{
	char *got;

	(void)state;
	got = render_lang("{{_ Sign in}}|{{_   Password  }}", "{}", LANG_KK);
	assert_string_equal(got, "Кіру|Құпиясөз");
	free(got);
	got = render_lang("{{_ Sign in}}|{{_ Password}}", "{}", LANG_RU);
	assert_string_equal(got, "Войти|Пароль");
	free(got);
	got = render_lang("{{_ Sign in}}|{{_ Password}}", "{}", LANG_EN);
	assert_string_equal(got, "Sign in|Password");
	free(got);
	/* No translation: the msgid, escaped like any text. */
	got = render_lang("{{_ a < b & \"c\"}}", "{}", LANG_KK);
	assert_string_equal(got, "a &lt; b &amp; &quot;c&quot;");
	free(got);
}

static void
test_partials_and_body(void **state)
{
	struct template_set *set = template_set_new();
	json_t *ctx =
	        ctx_parse("{\"who\": \"root\", \"xs\": [{\"who\": \"x\"}]}");
	struct buf out;

	(void)state;
	assert_non_null(set);
	assert_int_equal(template_set_add(set, "p", "<{{who}}>", 9), 0);
	assert_int_equal(
	        template_set_add(set, "t", "{{> p}}{{#xs}}{{> p}}{{/xs}}", 28),
	        0);
	assert_int_equal(template_set_add(set, "layout", "[{{> @body}}]", 13),
	                 0);
	assert_int_equal(template_set_render(set, "t", NULL, ctx, LANG_EN,
	                                     &(struct buf){0}),
	                 -1); /* not linked yet */
	assert_int_equal(template_set_link(set), 0);

	buf_init(&out);
	buf_puts(&out, "kept:");
	assert_int_equal(
	        template_set_render(set, "t", NULL, ctx, LANG_EN, &out), 0);
	assert_string_equal(out.data, "kept:<root><x>");
	assert_int_equal(
	        template_set_render(set, "layout", "t", ctx, LANG_EN, &out), 0);
	assert_string_equal(out.data, "kept:<root><x>[<root><x>]");

	/* Failures leave `out` as it was. */
	buf_reset(&out);
	buf_puts(&out, "kept");
	assert_int_equal(
	        template_set_render(set, "layout", NULL, ctx, LANG_EN, &out),
	        -1);
	assert_string_equal(out.data, "kept");
	assert_int_equal(
	        template_set_render(set, "nope", NULL, ctx, LANG_EN, &out), -1);
	assert_int_equal(
	        template_set_render(set, "layout", "nope", ctx, LANG_EN, &out),
	        -1);
	assert_string_equal(out.data, "kept");
	assert_false(out.failed);
	assert_int_equal(
	        template_set_render(set, "t", NULL, NULL, LANG_EN, &out), 0);
	assert_string_equal(out.data, "kept<>");

	buf_free(&out);
	json_decref(ctx);
	template_set_free(set);
}

static void
test_parse_errors(void **state)
{
	(void)state;
	assert_compile_error("a\nb{{#x}}\n", NULL,
	                     "t.html:2: {{x}} is not closed");
	assert_compile_error("{{#x}}\n{{/y}}", NULL,
	                     "t.html:2: {{/y}} does not close {{x}} of line 1");
	assert_compile_error("\n{{/x}}", NULL,
	                     "t.html:2: {{/x}} closes no section");
	assert_compile_error("{{{x}}}", NULL,
	                     "t.html:1: unescaped output is not supported");
	assert_compile_error("{{& x}}", NULL,
	                     "t.html:1: unescaped output is not supported");
	assert_compile_error("{{=<% %>=}}", NULL,
	                     "t.html:1: changing delimiters is not supported");
	assert_compile_error("\n\n{{x", NULL, "t.html:3: tag is not closed");
	assert_compile_error("{{}}", NULL, "t.html:1: bad name ''");
	assert_compile_error("{{a..b}}", NULL, "t.html:1: bad name 'a..b'");
	assert_compile_error("{{a b}}", NULL, "t.html:1: bad name 'a b'");
	assert_compile_error("{{#.x}}{{/.x}}", NULL, "t.html:1: bad name '.x'");
	assert_compile_error("{{_  }}", NULL,
	                     "t.html:1: {{_ text}} needs text on one line");
	assert_compile_error("{{_ two\nlines}}", NULL,
	                     "t.html:1: {{_ text}} needs text on one line");
	assert_compile_error("{{> ../etc/passwd}}", NULL,
	                     "t.html:1: bad partial name");
	assert_compile_error("{{! one\ntwo\n}}\n{{#x}}", NULL,
	                     "t.html:4: {{x}} is not closed");
	assert_compile_error("{{#a}}\n{{#b}}\n{{/a}}\n{{/b}}", NULL,
	                     "t.html:3: {{/a}} does not close {{b}} of line 2");
}

static void
test_link_errors(void **state)
{
	struct template_set *set = template_set_new();

	(void)state;
	assert_compile_error("x\n{{> nope}}", NULL,
	                     "t.html:2: unknown partial 'nope'");
	assert_compile_error("{{> t}}", NULL,
	                     "t.html:1: partial 't' includes itself");
	assert_compile_error("{{> p}}", "\n{{#s}}{{> t}}{{/s}}",
	                     "t.html:1: partial 'p' includes itself");

	assert_non_null(set);
	assert_int_equal(template_set_add(set, "a", "", 0), 0);
	assert_int_equal(template_set_add(set, "a", "", 0), -1);
	assert_int_equal(template_set_add(set, "a/b", "", 0), -1);
	assert_int_equal(template_set_add(set, "", "", 0), -1);
	template_set_free(set);
}

/* `n` nested sections {{#v}}, optionally around `inner`. */
static char *
nested(int n, const char *inner)
{
	struct buf b;
	int i;

	buf_init(&b);
	for (i = 0; i < n; i++)
		buf_puts(&b, "{{#v}}");
	buf_puts(&b, inner);
	for (i = 0; i < n; i++)
		buf_puts(&b, "{{/v}}");
	assert_false(b.failed);
	return buf_steal(&b, NULL);
}

static void
test_depth_limit(void **state)
{
	struct template_set *set;
	struct buf out;
	json_t *ctx = ctx_parse("{\"v\": true}");
	char *t;

	(void)state;
	t = nested(TEMPLATE_MAX_DEPTH, "deep");
	assert_renders(t, "{\"v\": [1]}", "deep");
	free(t);

	t = nested(TEMPLATE_MAX_DEPTH + 1, "");
	assert_compile_error(t, NULL,
	                     "t.html:1: sections nested deeper than 16");
	free(t);

	/* Sections in a partial count in the template that includes it. */
	t = nested(TEMPLATE_MAX_DEPTH - 1, "");
	assert_compile_error("{{#v}}{{> p}}{{/v}}", t,
	                     "t.html:1: nesting deeper than 16");
	free(t);

	/* A page under a deep layout is only known to be too deep at run time.
	 */
	set = template_set_new();
	assert_non_null(set);
	t = nested(TEMPLATE_MAX_DEPTH - 1, "{{> @body}}");
	assert_int_equal(template_set_add(set, "layout", t, strlen(t)), 0);
	free(t);
	assert_int_equal(template_set_add(set, "flat", "ok", 2), 0);
	assert_int_equal(template_set_add(set, "deep", "{{#v}}x{{/v}}", 13), 0);
	assert_int_equal(template_set_link(set), 0);
	buf_init(&out);
	assert_int_equal(
	        template_set_render(set, "layout", "flat", ctx, LANG_EN, &out),
	        0);
	assert_string_equal(out.data, "ok");
	assert_int_equal(
	        template_set_render(set, "layout", "deep", ctx, LANG_EN, &out),
	        -1);
	assert_string_equal(out.data, "ok");
	buf_free(&out);
	template_set_free(set);
	json_decref(ctx);
}

/* Every shipped template compiles and renders, alone and in the layout. */
static void
test_embedded_templates(void **state)
{
	const struct embedded_file *f;
	json_t *ctx = json_object();
	struct buf out;
	char name[64];
	size_t len;

	(void)state;
	assert_int_equal(template_init(), 0);
	buf_init(&out);
	assert_int_equal(template_render("no-such-page", ctx, LANG_RU, &out),
	                 -1);
	assert_int_equal(template_render("login.html", ctx, LANG_RU, &out), -1);
	/* The layout needs a page for {{> @body}}. */
	assert_int_equal(template_render("layout", ctx, LANG_RU, &out), -1);
	assert_int_equal(out.len, 0);
	assert_non_null(embedded_find(embedded_templates, "login.html"));
	assert_non_null(embedded_find(embedded_templates, "error.html"));
	for (f = embedded_templates; f->name != NULL; f++) {
		len = strlen(f->name) - strlen(".html");
		assert_true(len < sizeof(name));
		memcpy(name, f->name, len);
		name[len] = '\0';
		if (strcmp(name, "layout") == 0)
			continue;
		buf_reset(&out);
		if (template_render(name, ctx, LANG_KK, &out) == -1)
			fail_msg("%s does not render", f->name);
		assert_null(strstr(out.data != NULL ? out.data : "", "{{"));
		buf_reset(&out);
		if (template_render_page("layout", name, ctx, LANG_EN, &out) ==
		    -1)
			fail_msg("%s does not render in the layout", f->name);
		assert_null(strstr(out.data, "{{"));
		assert_non_null(strstr(out.data, "<!doctype html>"));
	}
	buf_free(&out);
	json_decref(ctx);
}

static void
test_login_page(void **state)
{
	json_t *ctx = ctx_parse(
	        "{\"lang\": \"kk\", \"csrf\": \"t\\\"<k\", \"login\": \"<me>\","
	        " \"error\": \"Wrong\", \"next\": \"/a?b=1&c=2\","
	        " \"nav\": [{\"href\": \"/m\", \"label\": \"Meals\","
	        " \"current\": true}, {\"href\": \"/r\", \"label\": \"R\"}]}");
	struct buf out;

	(void)state;
	assert_int_equal(template_init(), 0);
	buf_init(&out);
	assert_int_equal(
	        template_render_page("layout", "login", ctx, LANG_KK, &out), 0);
	assert_non_null(strstr(out.data, "<html lang=\"kk\">"));
	assert_non_null(strstr(out.data, "<h1>Кіру</h1>"));
	assert_non_null(strstr(out.data, "value=\"t&quot;&lt;k\""));
	assert_non_null(strstr(out.data, "value=\"&lt;me&gt;\""));
	assert_non_null(strstr(out.data, "value=\"/a?b=1&amp;c=2\""));
	assert_non_null(strstr(out.data, "action=\"/login\""));
	assert_non_null(strstr(out.data, "role=\"alert\">Wrong</p>"));
	assert_non_null(strstr(
	        out.data, "<a href=\"/m\" aria-current=\"page\">Meals</a>"));
	assert_non_null(strstr(out.data, "<a href=\"/r\">R</a>"));
	assert_non_null(strstr(out.data, "name=\"set\" value=\"ru\""));
	assert_null(strstr(out.data, "/logout"));
	assert_null(strstr(out.data, "banner-alert"));

	json_object_set_new(ctx, "user",
	                    json_pack("{s:s, s:s}", "login", "ivanova", "role",
	                              "Director"));
	json_object_set_new(ctx, "alert", json_string("Fire alarm"));
	buf_reset(&out);
	assert_int_equal(
	        template_render_page("layout", "error", ctx, LANG_RU, &out), 0);
	assert_non_null(strstr(out.data, "action=\"/logout\""));
	assert_non_null(strstr(out.data, "ivanova"));
	assert_non_null(strstr(out.data, "Ошибка"));
	assert_non_null(strstr(out.data, "role=\"alert\">Fire alarm</div>"));
	buf_free(&out);
	json_decref(ctx);
	template_shutdown();
	assert_int_equal(template_render("login", NULL, LANG_RU, &out), -1);
}

struct job {
	const struct template_set *set;
	enum lang lang;
	int failures;
};

static void *
render_many(void *arg)
{
	struct job *job = arg;
	json_t *ctx = json_pack("{s:[i,i,i]}", "xs", 1, 2, 3);
	const char *want =
	        job->lang == LANG_RU ? "Войти:1;2;3;" : "Кіру:1;2;3;";
	struct buf out;
	int i;

	buf_init(&out);
	for (i = 0; i < 2000; i++) {
		buf_reset(&out);
		if (template_set_render(job->set, "t", NULL, ctx, job->lang,
		                        &out) == -1 ||
		    strcmp(out.data, want) != 0)
			job->failures++;
	}
	buf_free(&out);
	json_decref(ctx);
	return NULL;
}

static void
test_concurrent_renders(void **state)
{
	static const char text[] = "{{_ Sign in}}:{{#xs}}{{.}};{{/xs}}";
	struct template_set *set = template_set_new();
	struct job jobs[4];
	pthread_t tid[4];
	int i;

	(void)state;
	assert_non_null(set);
	assert_int_equal(template_set_add(set, "t", text, strlen(text)), 0);
	assert_int_equal(template_set_link(set), 0);
	for (i = 0; i < 4; i++) {
		jobs[i] = (struct job){set, i % 2 ? LANG_RU : LANG_KK, 0};
		assert_int_equal(
		        pthread_create(&tid[i], NULL, render_many, &jobs[i]),
		        0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(tid[i], NULL);
		assert_int_equal(jobs[i].failures, 0);
	}
	template_set_free(set);
}

static int
setup(void **state)
{
	(void)state;
	return i18n_init();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_escaping),
	        cmocka_unit_test(test_value_types),
	        cmocka_unit_test(test_dotted_names),
	        cmocka_unit_test(test_sections_over_arrays),
	        cmocka_unit_test(test_fallback_to_outer_context),
	        cmocka_unit_test(test_truthiness),
	        cmocka_unit_test(test_comments),
	        cmocka_unit_test(test_translations),
	        cmocka_unit_test(test_partials_and_body),
	        cmocka_unit_test(test_parse_errors),
	        cmocka_unit_test(test_link_errors),
	        cmocka_unit_test(test_depth_limit),
	        cmocka_unit_test(test_embedded_templates),
	        cmocka_unit_test(test_login_page),
	        cmocka_unit_test(test_concurrent_renders),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
