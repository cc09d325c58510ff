/*
 * Creating the demo school through the same paths an administrator uses:
 * school add, roster import, user add, device add.  One transaction for the
 * staff and devices, so a failed start leaves no half-made demo.
 */
#include <stdio.h>
#include <string.h>

#include "access/access.h"
#include "access/attendance.h"
#include "auth/auth.h"
#include "core/log.h"
#include "demo/demo.h"
#include "people/people.h"

#define DEMO_STUDENTS 594 /* 22 classes of 27 */
#define DEMO_REGION   "almaty"
#define DEMO_DISTRICT "medeu"

struct demo_user {
	const char *login;
	enum role role;
};

/* One staff member of every role; region roles cover the demo's region. */
static const struct demo_user demo_users[] = {
        {"director", ROLE_DIRECTOR},         {"deputy", ROLE_DEPUTY},
        {"psychologist", ROLE_PSYCHOLOGIST}, {"socped", ROLE_SOCIAL_PEDAGOGUE},
        {"teacher", ROLE_CLASS_TEACHER},     {"security", ROLE_SECURITY},
        {"cashier", ROLE_CASHIER},           {"librarian", ROLE_LIBRARIAN},
        {"schooladmin", ROLE_SCHOOL_ADMIN},  {"police", ROLE_POLICE_INSPECTOR},
        {"prosecutor", ROLE_PROSECUTOR},     {"operator", ROLE_OPERATOR},
        {"supervisor", ROLE_SUPERVISOR},     {"edudept", ROLE_EDUCATION_DEPT},
        {"admin", ROLE_PLATFORM_ADMIN},
};

#define NUSERS (sizeof(demo_users) / sizeof(demo_users[0]))

/* The class the demo's class teacher is bound to (see auth_class_visible). */
#define DEMO_TEACHER_CLASS "5А"

/* Adds the staff; *teacher_id gets the class teacher's user id. */
static int
add_staff(struct store *db, int64_t school_id, int64_t region_id,
          int64_t *teacher_id)
{
	int64_t user_id;
	size_t i;

	for (i = 0; i < NUSERS; i++) {
		enum role role = demo_users[i].role;
		bool regional = role_is_regional(role);
		bool platform = role == ROLE_PLATFORM_ADMIN;

		if (auth_user_add(db, demo_users[i].login, role, DEMO_PASSWORD,
		                  regional || platform ? NULL : &school_id,
		                  regional || platform ? 0 : 1,
		                  regional ? region_id : 0, &user_id) != 0)
			return -1;
		if (role == ROLE_CLASS_TEACHER)
			*teacher_id = user_id;
	}
	return 0;
}

static int
add_devices(struct store *db, struct arena *arena, int64_t school_id, FILE *out)
{
	int64_t id;
	char *gate, *till;

	if (auth_device_add(db, arena, school_id, "gate", "Main entrance",
	                    &gate, &id) != 0 ||
	    auth_device_add(db, arena, school_id, "till", "Canteen till 1",
	                    &till, &id) != 0)
		return -1;
	/* Tokens are stored hashed: this is the only time they are shown. */
	fprintf(out,
	        "demo devices (tokens are shown once; keep them):\n"
	        "  gate  Main entrance   %s\n"
	        "  till  Canteen till 1  %s\n",
	        gate, till);
	return 0;
}

/*
 * Many schools teach in two shifts; in the demo grades 2-4 come at 13:30
 * (seed 004: deputy directors on duty per shift).
 */
static int
set_second_shift(struct store *db, int64_t school_id)
{
	static const char *const classes[] = {"2А", "2Б", "3А",
	                                      "3Б", "4А", "4Б"};
	int64_t class_id;
	size_t i;

	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (people_class_find(db, school_id, classes[i], &class_id) !=
		            PEOPLE_OK ||
		    people_class_set_shift(db, NULL, class_id, 2, "13:30") !=
		            PEOPLE_OK)
			return -1;
	return 0;
}

/*
 * The week from the day the demo is made: the deputy answers for the
 * system on the two day shifts, security on the night one (seed 004), so
 * that an alarm from the demo gate reaches the people on duty.  Last
 * night's shift too, which runs until 07:30 this morning.
 */
static int
set_duty(struct store *db, int64_t school_id)
{
	char today[ATTENDANCE_DATE_SIZE], dates[8][ATTENDANCE_DATE_SIZE];
	struct access_duty_entry e[1 + 7 * 3];
	int64_t day;
	size_t d, n = 0;

	if (attendance_today(db, school_id, today) != ATTENDANCE_OK ||
	    attendance_date_day(today, &day) == -1)
		return -1;
	for (d = 0; d < 8; d++)
		attendance_day_date(day - 1 + (int64_t)d, dates[d]);
	e[n++] = (struct access_duty_entry){dates[0], 3, "security"};
	for (d = 1; d < 8; d++) {
		e[n++] = (struct access_duty_entry){dates[d], 1, "deputy"};
		e[n++] = (struct access_duty_entry){dates[d], 2, "deputy"};
		e[n++] = (struct access_duty_entry){dates[d], 3, "security"};
	}
	return access_duty_set(db, NULL, school_id, dates[0], dates[7], e, n,
	                       NULL, 0, NULL) == ACCESS_OK
	               ? 0
	               : -1;
}

static int
create_demo(struct store *db, struct arena *arena, FILE *out)
{
	struct roster_report rep;
	int64_t school_id, region_id, teacher_id = 0, class_id;
	struct buf csv;
	int rc;

	if (store_begin(db) != STORE_OK)
		return -1;
	if (people_school_add(db, NULL, DEMO_SCHOOL, "Демо мектебі №1",
	                      DEMO_REGION, DEMO_DISTRICT,
	                      &school_id) != PEOPLE_OK ||
	    people_region_find(db, DEMO_REGION, &region_id) != PEOPLE_OK ||
	    add_staff(db, school_id, region_id, &teacher_id) == -1 ||
	    add_devices(db, arena, school_id, out) == -1 ||
	    store_commit(db) != STORE_OK) {
		store_rollback(db);
		return -1;
	}
	buf_init(&csv);
	if (demo_roster_csv(&csv, DEMO_STUDENTS, 2026) == -1) {
		buf_free(&csv);
		return -1;
	}
	rc = roster_import(db, NULL, school_id, "demo.csv", csv.data, csv.len,
	                   false, &rep);
	if (rc != PEOPLE_OK)
		log_warnx("demo: roster import failed errors=%zu", rep.nerrors);
	roster_report_free(&rep);
	buf_free(&csv);
	if (rc != PEOPLE_OK || set_second_shift(db, school_id) == -1)
		return -1;
	/* The class teacher sees one class, as a real one would. */
	if (people_class_find(db, school_id, DEMO_TEACHER_CLASS, &class_id) !=
	            PEOPLE_OK ||
	    auth_user_bind_class(db, teacher_id, class_id) != 0 ||
	    set_duty(db, school_id) == -1)
		return -1;
	return 0;
}

int
demo_ensure(struct store *db, struct arena *arena, FILE *out)
{
	int64_t id;
	size_t i;

	if (people_school_find(db, DEMO_SCHOOL, &id) != PEOPLE_OK) {
		fprintf(out, "creating the demo school...\n");
		if (create_demo(db, arena, out) == -1)
			return -1;
	}
	fprintf(out, "demo logins (password %s for each):\n", DEMO_PASSWORD);
	for (i = 0; i < NUSERS; i++)
		fprintf(out, "  %-13s %s%s\n", demo_users[i].login,
		        role_name(demo_users[i].role),
		        demo_users[i].role == ROLE_CLASS_TEACHER
		                ? " of class " DEMO_TEACHER_CLASS
		                : "");
	return 0;
}
