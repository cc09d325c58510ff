/*
 * The roster import against a real SQLite file: what a good file writes,
 * that every kind of bad row is reported at its line and writes nothing,
 * dry runs, re-imports (update by ref, mark left, never delete), guardian
 * sharing, consent history without duplicates and e-mail subscriptions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fixture.h"

#define S(lit) (lit), (sizeof(lit) - 1)

/* Every table the import may write, summed: a change shows up here. */
static int64_t
rows_total(struct store *db)
{
	return fx_int(db, "SELECT (SELECT COUNT(*) FROM students) + "
	                  "(SELECT COUNT(*) FROM guardians) + "
	                  "(SELECT COUNT(*) FROM student_guardians) + "
	                  "(SELECT COUNT(*) FROM classes) + "
	                  "(SELECT COUNT(*) FROM consents) + "
	                  "(SELECT COUNT(*) FROM subscriptions) + "
	                  "(SELECT COUNT(*) FROM audit_log)");
}

static int
import(struct fx *x, const char *name, const char *data, size_t len,
       bool dry_run, struct roster_report *rep)
{
	return roster_import(x->db, NULL, x->school, name, data, len, dry_run,
	                     rep);
}

static const char *
err_line(const struct roster_report *rep, size_t i)
{
	static char line[512];

	return roster_error_format(rep, i, LANG_EN, line, sizeof(line));
}

static const char *
text(struct store *db, const char *sql, const char *ref)
{
	static char out[512];
	struct store_stmt *st = store_query(db, sql, "t", ref);

	assert_non_null(st);
	out[0] = '\0';
	if (store_step(st) == STORE_ROW && !store_col_null(st, 0))
		snprintf(out, sizeof(out), "%s", store_col_text(st, 0));
	store_reset(st);
	return out;
}

/* A BOM, CRLF, columns out of order, quotes, Kazakh and Russian names. */
static const char good[] =
        "\xEF\xBB\xBF"
        "class,full_name,ref,birth_date,iin,category,consent,guardian_name,"
        "guardian_phone,guardian_email\r\n"
        "5-а,Әлихан Серікұлы Нұрланов,k1,2014-03-01,150301501235,social,"
        "yes,Серік Нұрланов,8 (701) 111-22-33,Serik@Example.KZ\r\n"
        "5А,\"Айгүл Серікқызы Нұрланова\",k2,,,none,yes,Серік Нұрланов,"
        "+77011112233,\r\n"
        "\"10B\",\"Иванов, Пётр \"\"Петя\"\" Сергеевич\",r1,2009-11-05,,,no,"
        "Ирина Иванова,+7 702 555 44 33,\r\n"
        "\r\n"
        "1Ә,Ольга Ким,r2,,,,,,,\r\n";

static void
test_good_file(void **state)
{
	struct fx *x = *state;
	struct roster_report rep;

	assert_int_equal(import(x, "good.csv", S(good), false, &rep),
	                 PEOPLE_OK);
	assert_int_equal(rep.nerrors, 0);
	assert_int_equal(rep.rows, 4);
	assert_int_equal(rep.added, 4);
	assert_int_equal(rep.updated, 0);
	assert_int_equal(rep.left, 0);
	assert_int_equal(rep.classes_added, 3);
	assert_int_equal(rep.guardians_added, 2); /* siblings share one */
	roster_report_free(&rep);

	assert_string_equal(text(x->db,
	                         "SELECT full_name FROM students WHERE ref = ?",
	                         "k1"),
	                    "Әлихан Серікұлы Нұрланов");
	assert_string_equal(text(x->db,
	                         "SELECT full_name FROM students WHERE ref = ?",
	                         "r1"),
	                    "Иванов, Пётр \"Петя\" Сергеевич");
	assert_string_equal(text(x->db,
	                         "SELECT c.name FROM students s JOIN classes c "
	                         "ON c.id = s.class_id WHERE s.ref = ?",
	                         "k2"),
	                    "5А");
	assert_string_equal(text(x->db,
	                         "SELECT category FROM students WHERE ref = ?",
	                         "k1"),
	                    "social");
	assert_string_equal(
	        text(x->db, "SELECT iin FROM students WHERE ref = ?", "k1"),
	        "150301501235");
	assert_string_equal(
	        text(x->db,
	             "SELECT g.phone FROM guardians g JOIN "
	             "student_guardians sg ON sg.guardian_id = g.id "
	             "JOIN students s ON s.id = sg.student_id "
	             "WHERE s.ref = ?",
	             "k1"),
	        "+77011112233");
	assert_string_equal(
	        text(x->db,
	             "SELECT g.email FROM guardians g JOIN "
	             "student_guardians sg ON sg.guardian_id = g.id "
	             "JOIN students s ON s.id = sg.student_id "
	             "WHERE s.ref = ?",
	             "k2"),
	        "serik@example.kz");
	assert_int_equal(fx_int(x->db, "SELECT grade FROM classes "
	                               "WHERE name = '10B'"),
	                 10);
	/* yes → data and notifications for k1, k2; no → both for r1. */
	assert_int_equal(fx_int(x->db, "SELECT COUNT(*) FROM consents"), 6);
	assert_int_equal(fx_int(x->db, "SELECT COUNT(*) FROM consents WHERE "
	                               "document = 'roster:good.csv'"),
	                 6);
	/* The shared guardian has an e-mail: entry and exit for both. */
	assert_int_equal(fx_int(x->db, "SELECT COUNT(*) FROM subscriptions "
	                               "WHERE channel = 'email'"),
	                 4);
	assert_int_equal(fx_int(x->db, "SELECT COUNT(*) FROM audit_log WHERE "
	                               "action = 'roster.import'"),
	                 1);
	assert_int_equal(fx_int(x->db, "SELECT COUNT(*) FROM audit_log WHERE "
	                               "detail LIKE '%Нұрланов%'"),
	                 0);
}

struct bad_case {
	const char *csv;
	const char *want; /* the first error line, exactly */
};

static void
test_bad_rows(void **state)
{
	static const struct bad_case cases[] = {
	        {"ref,full_name,class,nickname\nr1,A B,5A,x\n",
	         "bad.csv:1: unknown column \"nickname\""},
	        {"ref,full_name\nr1,A B\n",
	         "bad.csv:1: required column \"class\" is missing"},
	        {"ref,full_name,class,ref\nr1,A,5A,r1\n",
	         "bad.csv:1: column \"ref\" appears twice"},
	        {"ref,full_name,class\nr1,A B,5A\nr2,,5A\n",
	         "bad.csv:3: required field \"full_name\" is empty"},
	        {"ref,full_name,class,iin\nr1,A B,5A,150301501236\n",
	         "bad.csv:2: iin must be 12 digits with a valid checksum"},
	        {"ref,full_name,class,guardian_name,guardian_phone\n"
	         "r1,A B,5A,C D,+7 701\n",
	         "bad.csv:2: malformed guardian_phone \"+7 701\" (E.164, like "
	         "+77011234567)"},
	        {"ref,full_name,class,guardian_name,guardian_email\n"
	         "r1,A B,5A,C D,not-an-email\n",
	         "bad.csv:2: malformed guardian_email \"not-an-email\""},
	        {"ref,full_name,class\r\nr1,A B,5A\r\nr2,C D,А\r\n",
	         "bad.csv:3: class \"А\" needs a grade and at most one letter, "
	         "like 3A or 10B"},
	        {"ref,full_name,class,birth_date\nr1,A B,5A,2014-02-30\n",
	         "bad.csv:2: malformed birth_date \"2014-02-30\" (YYYY-MM-DD)"},
	        {"ref,full_name,class,category\nr1,A B,5A,poor\n",
	         "bad.csv:2: category must be none or social, not \"poor\""},
	        {"ref,full_name,class,consent\nr1,A B,5A,maybe\n",
	         "bad.csv:2: consent must be yes or no, not \"maybe\""},
	        {"ref,full_name,class\nr1,A B,5A\nr2,C D,5A\nr1,E F,5B\n",
	         "bad.csv:4: ref \"r1\" appears again; first on line 2"},
	        {"ref,full_name,class\nr1,A B,5A,extra\n",
	         "bad.csv:2: the row has a different number of fields than "
	         "the header"},
	        {"ref,full_name,class\nr 1,A B,5A\n",
	         "bad.csv:2: malformed ref \"r 1\" (1 to 64 of A-Z a-z 0-9 . _ "
	         "-)"},
	        {"ref,full_name,class\nr1,\"A\tB\",5A\n",
	         "bad.csv:2: full_name must be 1 to 200 characters without "
	         "control characters"},
	        {"ref,full_name,class,guardian_phone\nr1,A B,5A,+77011112233\n",
	         "bad.csv:2: guardian_name is required with a guardian_phone "
	         "or guardian_email"},
	        {"ref,full_name,class\nr1,\"A B,5A\n",
	         "bad.csv:2: malformed CSV: "},
	        {"", "bad.csv:1: the file is empty"},
	        {"ref,full_name,class\r\n",
	         "bad.csv:1: the file has a header but no students"},
	};
	struct fx *x = *state;
	struct roster_report rep;
	int64_t before;
	size_t i;

	/* Something to lose: a first good import. */
	assert_int_equal(import(x, "good.csv", S(good), false, &rep),
	                 PEOPLE_OK);
	roster_report_free(&rep);
	before = rows_total(x->db);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(import(x, "bad.csv", cases[i].csv,
		                        strlen(cases[i].csv), false, &rep),
		                 PEOPLE_INVALID);
		assert_true(rep.nerrors >= 1);
		if (strncmp(err_line(&rep, 0), cases[i].want,
		            strlen(cases[i].want)) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i,
			         err_line(&rep, 0), cases[i].want);
		assert_int_equal(rep.added + rep.updated + rep.left, 0);
		roster_report_free(&rep);
		assert_int_equal(rows_total(x->db), before);
	}
	assert_int_equal(fx_int(x->db, "SELECT COUNT(*) FROM students "
	                               "WHERE status = 'left'"),
	                 0);
}

/* Every bad row and every bad field is reported, not just the first. */
static void
test_all_errors_reported(void **state)
{
	static const char csv[] =
	        "ref,full_name,class,iin,guardian_name,guardian_email\n"
	        "r1,Good Name,5A,,,\n"
	        "r2,,5A,123,,\n"
	        "r3,Third,5A,,Mum,bad@\n"
	        "r4,Fourth,XX,,,\n";
	struct fx *x = *state;
	struct roster_report rep;
	char many[200 * 24 + 64];
	size_t i, off;

	assert_int_equal(import(x, "m.csv", S(csv), false, &rep),
	                 PEOPLE_INVALID);
	assert_int_equal(rep.nerrors, 4);
	assert_string_equal(err_line(&rep, 0),
	                    "m.csv:3: required field \"full_name\" is empty");
	assert_string_equal(err_line(&rep, 1),
	                    "m.csv:3: iin must be 12 digits with a valid "
	                    "checksum");
	assert_string_equal(err_line(&rep, 2),
	                    "m.csv:4: malformed guardian_email \"bad@\"");
	assert_string_equal(err_line(&rep, 3),
	                    "m.csv:5: class \"XX\" needs a grade and at most "
	                    "one letter, like 3A or 10B");
	roster_report_free(&rep);
	assert_int_equal(fx_int(x->db, "SELECT COUNT(*) FROM students"), 0);

	/* 200 bad rows: the report stops at the cap and says so. */
	off = (size_t)snprintf(many, sizeof(many), "ref,full_name,class\n");
	for (i = 0; i < 200; i++)
		off += (size_t)snprintf(many + off, sizeof(many) - off,
		                        "r%zu,N,nograde\n", i);
	assert_int_equal(import(x, "big.csv", many, off, false, &rep),
	                 PEOPLE_INVALID);
	assert_int_equal(rep.nerrors, ROSTER_MAX_ERRORS);
	assert_non_null(strstr(err_line(&rep, ROSTER_MAX_ERRORS - 1),
	                       "too many errors"));
	roster_report_free(&rep);
}

static void
test_dry_run(void **state)
{
	static const char second[] = "ref,full_name,class\n"
	                             "k1,Әлихан Нұрланов,6А\n"
	                             "new1,Жаңа Оқушы,6А\n";
	struct fx *x = *state;
	struct roster_report rep;
	int64_t before = rows_total(x->db);

	assert_int_equal(import(x, "good.csv", S(good), true, &rep), PEOPLE_OK);
	assert_true(rep.dry_run);
	assert_int_equal(rep.added, 4);
	assert_int_equal(rep.classes_added, 3);
	assert_int_equal(rep.guardians_added, 2);
	roster_report_free(&rep);
	assert_int_equal(rows_total(x->db), before);

	assert_int_equal(import(x, "good.csv", S(good), false, &rep),
	                 PEOPLE_OK);
	roster_report_free(&rep);
	before = rows_total(x->db);
	assert_int_equal(import(x, "second.csv", S(second), true, &rep),
	                 PEOPLE_OK);
	assert_int_equal(rep.added, 1);
	assert_int_equal(rep.updated, 1);
	assert_int_equal(rep.left, 3);
	assert_int_equal(rep.classes_added, 1);
	roster_report_free(&rep);
	assert_int_equal(rows_total(x->db), before);
	assert_int_equal(fx_int(x->db, "SELECT COUNT(*) FROM students "
	                               "WHERE status = 'left'"),
	                 0);
}

static void
test_reimport(void **state)
{
	static const char first[] = "ref,full_name,class,birth_date\n"
	                            "a,Анна Ли,3А,2016-01-02\n"
	                            "b,Бекзат Ахметов,3А,\n"
	                            "c,Сергей Ким,4Б,\n";
	static const char second[] = "ref,full_name,class\n"
	                             "a,Анна Ли,4А\n"
	                             "b,Бекзат Ахметов,3А\n"
	                             "d,Дана Омар,4А\n";
	struct fx *x = *state;
	struct roster_report rep;

	assert_int_equal(import(x, "r.csv", S(first), false, &rep), PEOPLE_OK);
	roster_report_free(&rep);
	assert_int_equal(import(x, "r.csv", S(second), false, &rep), PEOPLE_OK);
	assert_int_equal(rep.added, 1);
	assert_int_equal(rep.updated, 1);
	assert_int_equal(rep.unchanged, 1);
	assert_int_equal(rep.left, 1);
	assert_int_equal(rep.classes_added, 1);
	roster_report_free(&rep);
	assert_int_equal(fx_int(x->db, "SELECT COUNT(*) FROM students"), 4);
	assert_string_equal(
	        text(x->db, "SELECT status FROM students WHERE ref = ?", "c"),
	        "left");
	assert_true(*text(x->db, "SELECT left_at FROM students WHERE ref = ?",
	                  "c") != '\0');
	/* The second file has no birth_date column: the date stays. */
	assert_string_equal(
	        text(x->db, "SELECT birth_date FROM students WHERE ref = ?",
	             "a"),
	        "2016-01-02");
	assert_string_equal(text(x->db,
	                         "SELECT c.name FROM students s JOIN classes c "
	                         "ON c.id = s.class_id WHERE s.ref = ?",
	                         "a"),
	                    "4А");

	/* The first file again: c is back, d has left; nothing deleted. */
	assert_int_equal(import(x, "r.csv", S(first), false, &rep), PEOPLE_OK);
	assert_int_equal(rep.added, 0);
	assert_int_equal(rep.updated, 2); /* a moved back, c returned */
	assert_int_equal(rep.unchanged, 1);
	assert_int_equal(rep.left, 1);
	roster_report_free(&rep);
	assert_string_equal(
	        text(x->db, "SELECT status FROM students WHERE ref = ?", "c"),
	        "active");
	assert_string_equal(text(x->db,
	                         "SELECT COALESCE(left_at, '') FROM students "
	                         "WHERE ref = ?",
	                         "c"),
	                    "");
	assert_string_equal(
	        text(x->db, "SELECT status FROM students WHERE ref = ?", "d"),
	        "left");
	assert_int_equal(fx_int(x->db, "SELECT COUNT(*) FROM students"), 4);

	/* The same file once more changes nothing at all. */
	assert_int_equal(import(x, "r.csv", S(first), false, &rep), PEOPLE_OK);
	assert_int_equal(rep.unchanged, 3);
	assert_int_equal(rep.updated + rep.added + rep.left, 0);
	roster_report_free(&rep);
}

static void
test_guardian_dedup(void **state)
{
	static const char one[] =
	        "ref,full_name,class,guardian_name,guardian_phone\n"
	        "s1,Ерлан Сейтов,2А,Гүлнар Сейтова,+7 701 999 88 77\n";
	static const char two[] =
	        "ref,full_name,class,guardian_name,guardian_phone\n"
	        "s1,Ерлан Сейтов,2А,Гүлнар Сейтова,87019998877\n"
	        "s2,Ерке Сейтова,4А,Гүлнар Сейтова,+77019998877\n"
	        "s3,Саша Белов,4А,Мария Белова,\n";
	struct fx *x = *state;
	struct roster_report rep;

	assert_int_equal(import(x, "g.csv", S(one), false, &rep), PEOPLE_OK);
	assert_int_equal(rep.guardians_added, 1);
	roster_report_free(&rep);
	assert_int_equal(import(x, "g.csv", S(two), false, &rep), PEOPLE_OK);
	assert_int_equal(rep.guardians_added, 1); /* only Мария Белова */
	roster_report_free(&rep);
	assert_int_equal(fx_int(x->db, "SELECT COUNT(*) FROM guardians"), 2);
	assert_int_equal(fx_int(x->db, "SELECT COUNT(*) FROM student_guardians "
	                               "WHERE guardian_id = (SELECT id FROM "
	                               "guardians WHERE phone = "
	                               "'+77019998877')"),
	                 2);
	/* A guardian without phone or e-mail is found again by name. */
	assert_int_equal(import(x, "g.csv", S(two), false, &rep), PEOPLE_OK);
	assert_int_equal(rep.guardians_added, 0);
	assert_int_equal(rep.unchanged, 3);
	roster_report_free(&rep);
	assert_int_equal(fx_int(x->db, "SELECT COUNT(*) FROM guardians"), 2);
}

static void
test_consent_and_subscriptions(void **state)
{
	static const char yes[] =
	        "ref,full_name,class,consent,guardian_name,guardian_email\n"
	        "c1,Асель Ким,7А,yes,Ольга Ким,olga@example.kz\n"
	        "c2,Тимур Ким,7А,yes,Ольга Ким,olga@example.kz\n"
	        "c3,Бота Ли,7А,no,Ли Мин,li@example.kz\n";
	static const char no[] =
	        "ref,full_name,class,consent,guardian_name,guardian_email\n"
	        "c1,Асель Ким,7А,no,Ольга Ким,olga@example.kz\n"
	        "c2,Тимур Ким,7А,yes,Ольга Ким,olga@example.kz\n"
	        "c3,Бота Ли,7А,no,Ли Мин,li@example.kz\n";
	struct fx *x = *state;
	struct roster_report rep;
	int64_t c1;

	assert_int_equal(import(x, "c.csv", S(yes), false, &rep), PEOPLE_OK);
	assert_int_equal(rep.guardians_added, 2);
	roster_report_free(&rep);
	assert_int_equal(fx_int(x->db, "SELECT COUNT(*) FROM consents"), 6);
	assert_int_equal(fx_int(x->db, "SELECT COUNT(*) FROM subscriptions"),
	                 4);
	assert_int_equal(fx_int(x->db, "SELECT COUNT(*) FROM subscriptions s "
	                               "JOIN guardians g ON g.id = "
	                               "s.guardian_id WHERE g.email = "
	                               "'li@example.kz'"),
	                 0);
	assert_int_equal(people_student_find(x->db, x->school, "c1", &c1),
	                 PEOPLE_OK);
	assert_true(people_consent_current(x->db, c1, "data"));
	assert_true(people_consent_current(x->db, c1, "notifications"));
	assert_false(people_consent_current(x->db, c1, "biometrics"));

	/* The same file again: no new consent or subscription rows. */
	assert_int_equal(import(x, "c.csv", S(yes), false, &rep), PEOPLE_OK);
	assert_int_equal(rep.unchanged, 3);
	roster_report_free(&rep);
	assert_int_equal(fx_int(x->db, "SELECT COUNT(*) FROM consents"), 6);
	assert_int_equal(fx_int(x->db, "SELECT COUNT(*) FROM subscriptions"),
	                 4);

	/* Withdrawn for c1: two new rows, in force at once. */
	assert_int_equal(import(x, "c.csv", S(no), false, &rep), PEOPLE_OK);
	assert_int_equal(rep.updated, 1);
	assert_int_equal(rep.unchanged, 2);
	roster_report_free(&rep);
	assert_int_equal(fx_int(x->db, "SELECT COUNT(*) FROM consents"), 8);
	assert_false(people_consent_current(x->db, c1, "data"));
	assert_false(people_consent_current(x->db, c1, "notifications"));

	/* Someone who unsubscribed is not subscribed again by a re-import
	 * that changes nothing for them. */
	assert_int_equal(store_execf(x->db,
	                             "DELETE FROM subscriptions WHERE "
	                             "student_id = (SELECT id FROM students "
	                             "WHERE ref = 'c2')",
	                             ""),
	                 STORE_OK);
	assert_int_equal(import(x, "c.csv", S(no), false, &rep), PEOPLE_OK);
	roster_report_free(&rep);
	assert_int_equal(fx_int(x->db, "SELECT COUNT(*) FROM subscriptions "
	                               "WHERE student_id = (SELECT id FROM "
	                               "students WHERE ref = 'c2')"),
	                 0);
	/* Consent given again: c1's guardian is subscribed, once. */
	assert_int_equal(import(x, "c.csv", S(yes), false, &rep), PEOPLE_OK);
	roster_report_free(&rep);
	assert_int_equal(fx_int(x->db, "SELECT COUNT(*) FROM subscriptions "
	                               "WHERE student_id = (SELECT id FROM "
	                               "students WHERE ref = 'c1')"),
	                 2);
	assert_int_equal(fx_int(x->db, "SELECT COUNT(*) FROM consents"), 10);
}

static void
test_sample_file(void **state)
{
	struct fx *x = *state;
	struct roster_report rep;
	char path[PATH_MAX], *data, *cut;
	FILE *fp;
	long n;

	/* This file is tests/unit/people/test_roster.c; the data is beside
	 * tests/unit. */
	snprintf(path, sizeof(path), "%s", __FILE__);
	cut = strstr(path, "/unit/people/");
	assert_non_null(cut);
	snprintf(cut, sizeof(path) - (size_t)(cut - path),
	         "/data/roster_demo.csv");
	fp = fopen(path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	data = malloc((size_t)n);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	assert_int_equal(
	        import(x, "roster_demo.csv", data, (size_t)n, false, &rep),
	        PEOPLE_OK);
	assert_int_equal(rep.added, 10);
	roster_report_free(&rep);
	free(data);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_good_file, fx_setup,
	                                        fx_teardown),
	        cmocka_unit_test_setup_teardown(test_bad_rows, fx_setup,
	                                        fx_teardown),
	        cmocka_unit_test_setup_teardown(test_all_errors_reported,
	                                        fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_dry_run, fx_setup,
	                                        fx_teardown),
	        cmocka_unit_test_setup_teardown(test_reimport, fx_setup,
	                                        fx_teardown),
	        cmocka_unit_test_setup_teardown(test_guardian_dedup, fx_setup,
	                                        fx_teardown),
	        cmocka_unit_test_setup_teardown(test_consent_and_subscriptions,
	                                        fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_sample_file, fx_setup,
	                                        fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
