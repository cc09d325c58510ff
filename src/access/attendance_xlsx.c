/*
 * Attendance as XLSX workbooks (libxlsxwriter), for the people who keep
 * the class register and for the education department's reports.  The
 * input is a range read model of attendance.c; headings are translated.
 *
 * Watch for: libxlsxwriter 1.1 writes only to a file, and keeps its own
 * temporary files while it builds the zip.  Both go into a private
 * directory (mkdtemp, mode 0700: the class workbook holds names) under
 * $TMPDIR, which is read back and removed before returning, on every
 * path.  A string cell is never a formula in XLSX, so a name that starts
 * with "=" stays text.
 */
#include "access/attendance.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "core/log.h"

/* The longest workbook we read back; a 62-day range of 40 students is
 * tens of kilobytes. */
#define XLSX_MAX_BYTES (16 * 1024 * 1024)

struct book {
	lxw_workbook *wb;
	lxw_format *bold, *pct;
	enum lang lang;
	char dir[PATH_MAX];
	char path[PATH_MAX];
};

static const char *
tr(const struct book *b, const char *msgid)
{
	return i18n_get(b->lang, msgid);
}

static int
book_open(struct book *b, enum lang lang)
{
	const char *tmp = getenv("TMPDIR");
	lxw_workbook_options opt = {0};

	memset(b, 0, sizeof(*b));
	b->lang = lang;
	if (tmp == NULL || tmp[0] == '\0')
		tmp = "/tmp";
	if ((size_t)snprintf(b->dir, sizeof(b->dir), "%s/qorgan-xlsx-XXXXXX",
	                     tmp) >= sizeof(b->dir) ||
	    mkdtemp(b->dir) == NULL) {
		log_warn("attendance: xlsx: cannot make a temporary directory");
		b->dir[0] = '\0';
		return -1;
	}
	if ((size_t)snprintf(b->path, sizeof(b->path), "%s/attendance.xlsx",
	                     b->dir) >= sizeof(b->path)) {
		log_warnx("attendance: xlsx: the temporary path is too long");
		return -1;
	}
	opt.tmpdir = b->dir;
	if ((b->wb = workbook_new_opt(b->path, &opt)) == NULL ||
	    (b->bold = workbook_add_format(b->wb)) == NULL ||
	    (b->pct = workbook_add_format(b->wb)) == NULL) {
		log_warnx("attendance: xlsx: cannot start a workbook");
		return -1;
	}
	format_set_bold(b->bold);
	format_set_num_format(b->pct, "0.0");
	return 0;
}

/* Closes the workbook, reads it into out (when ok) and removes the files. */
static int
book_close(struct book *b, bool ok, struct buf *out)
{
	char chunk[8192];
	lxw_error err;
	FILE *f = NULL;
	size_t n;
	int rc = -1;

	if (b->wb != NULL) {
		err = workbook_close(b->wb);
		b->wb = NULL;
		if (err != LXW_NO_ERROR) {
			log_warnx("attendance: xlsx: %s", lxw_strerror(err));
			ok = false;
		}
	}
	if (ok && (f = fopen(b->path, "rb")) != NULL) {
		rc = 0;
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			if (out->len + n > XLSX_MAX_BYTES ||
			    buf_append(out, chunk, n) == -1) {
				rc = -1;
				break;
			}
		if (ferror(f))
			rc = -1;
		fclose(f);
		if (rc == -1)
			log_warnx("attendance: xlsx: cannot read the workbook");
	}
	if (b->dir[0] != '\0') {
		unlink(b->path);
		if (rmdir(b->dir) == -1)
			log_warn("attendance: xlsx: cannot remove a temporary "
			         "directory");
	}
	return rc;
}

static lxw_worksheet *
sheet(struct book *b, const char *msgid)
{
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, tr(b, msgid));

	if (ws == NULL)
		log_warnx("attendance: xlsx: cannot add a sheet");
	return ws;
}

static const char *
str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

static double
num(json_t *o, const char *key)
{
	return (double)json_integer_value(json_object_get(o, key));
}

/* "HH:MM" of a local RFC 3339 value, or "". */
static const char *
hhmm(json_t *stamp, char out[6])
{
	const char *s = json_string_value(stamp);

	out[0] = '\0';
	if (s != NULL && strlen(s) >= 16)
		snprintf(out, 6, "%.5s", s + 11);
	return out;
}

static const char *
kind_label(const struct book *b, const char *kind)
{
	if (strcmp(kind, "school") == 0)
		return tr(b, N_("School day"));
	if (strcmp(kind, "day_off") == 0)
		return tr(b, N_("Day off"));
	if (strcmp(kind, "holiday") == 0)
		return tr(b, N_("Holiday"));
	return tr(b, N_("Not yet"));
}

/* Two title rows: the school and what, then the range.  Returns 3, the
 * first free row after a blank one. */
static lxw_row_t
titles(struct book *b, lxw_worksheet *ws, const char *school, const char *what,
       json_t *range)
{
	char line[256];

	snprintf(line, sizeof(line), "%s%s%s", school, what[0] ? " · " : "",
	         what);
	worksheet_write_string(ws, 0, 0, line, b->bold);
	snprintf(line, sizeof(line), "%s – %s", str(range, "from"),
	         str(range, "to"));
	worksheet_write_string(ws, 1, 0, line, NULL);
	return 3;
}

/* Counts columns from col on: present, late, absent, left early, rate. */
static void
count_cells(struct book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
            json_t *counts)
{
	json_t *rate = json_object_get(counts, "rate");

	worksheet_write_number(ws, row, col, num(counts, "present"), NULL);
	worksheet_write_number(ws, row, col + 1, num(counts, "late"), NULL);
	worksheet_write_number(ws, row, col + 2, num(counts, "absent"), NULL);
	worksheet_write_number(ws, row, col + 3, num(counts, "left_early"),
	                       NULL);
	if (json_is_number(rate))
		worksheet_write_number(ws, row, col + 4,
		                       json_number_value(rate), b->pct);
}

static void
count_heads(struct book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col)
{
	worksheet_write_string(ws, row, col, tr(b, N_("Present")), b->bold);
	worksheet_write_string(ws, row, col + 1, tr(b, N_("Late")), b->bold);
	worksheet_write_string(ws, row, col + 2, tr(b, N_("Absent")), b->bold);
	worksheet_write_string(ws, row, col + 3, tr(b, N_("Left early")),
	                       b->bold);
	worksheet_write_string(ws, row, col + 4, tr(b, N_("Rate, %")), b->bold);
}

/* The register: a row per student, a column per day with its mark. */
static int
class_register(struct book *b, json_t *range, const char *school)
{
	lxw_worksheet *ws = sheet(b, N_("Attendance"));
	json_t *days = json_object_get(range, "days"), *st, *day;
	size_t ndays = json_array_size(days), i, j;
	char cell[2] = {0, 0};
	lxw_row_t row;

	if (ws == NULL)
		return -1;
	row = titles(b, ws, school, str(range, "class"), range);
	worksheet_write_string(ws, row, 0, tr(b, N_("Name")), b->bold);
	worksheet_write_string(ws, row, 1, tr(b, N_("Reference")), b->bold);
	json_array_foreach(days, j, day) worksheet_write_string(
	        ws, row, (lxw_col_t)(2 + j), str(day, "date") + 5, b->bold);
	count_heads(b, ws, row, (lxw_col_t)(2 + ndays));
	worksheet_freeze_panes(ws, row + 1, 2);
	json_array_foreach(json_object_get(range, "students"), i, st)
	{
		const char *marks = str(st, "marks");

		row++;
		worksheet_write_string(ws, row, 0, str(st, "full_name"), NULL);
		worksheet_write_string(ws, row, 1, str(st, "ref"), NULL);
		for (j = 0; j < ndays && marks[j] != '\0'; j++) {
			cell[0] = marks[j] == '.' ? '\0' : marks[j];
			worksheet_write_string(ws, row, (lxw_col_t)(2 + j),
			                       cell, NULL);
		}
		count_cells(b, ws, row, (lxw_col_t)(2 + ndays),
		            json_object_get(st, "counts"));
	}
	row += 2;
	worksheet_write_string(ws, row, 0, tr(b, N_("Present")), b->bold);
	worksheet_write_string(ws, row + 1, 0, tr(b, N_("Absent")), b->bold);
	json_array_foreach(days, j, day)
	{
		json_t *c = json_object_get(day, "counts");

		if (strcmp(str(day, "kind"), "school") != 0)
			continue;
		worksheet_write_number(ws, row, (lxw_col_t)(2 + j),
		                       num(c, "present"), NULL);
		worksheet_write_number(ws, row + 1, (lxw_col_t)(2 + j),
		                       num(c, "absent"), NULL);
	}
	worksheet_write_string(ws, row + 3, 0,
	                       tr(b, N_("P present, L late, E left early, A "
	                                "absent, - day off, H holiday")),
	                       NULL);
	worksheet_set_column(ws, 0, 0, 32, NULL);
	worksheet_set_column(ws, 2, (lxw_col_t)(1 + ndays), 6, NULL);
	return 0;
}

/* Every student-day on its own row, as the CSV export has them. */
static int
class_days(struct book *b, json_t *range)
{
	static const char *const heads[] = {
	        N_("Date"),       N_("Reference"), N_("Name"), N_("In"),
	        N_("Out"),        N_("Minutes"),   N_("Late"), N_("Absent"),
	        N_("Left early"), N_("Day")};
	lxw_worksheet *ws = sheet(b, N_("Days"));
	json_t *kinds = json_object_get(range, "days"), *st, *day;
	lxw_row_t row = 0;
	char t[6];
	size_t i, j;
	lxw_col_t c;

	if (ws == NULL)
		return -1;
	for (c = 0; c < sizeof(heads) / sizeof(heads[0]); c++)
		worksheet_write_string(ws, 0, c, tr(b, heads[c]), b->bold);
	worksheet_freeze_panes(ws, 1, 0);
	json_array_foreach(json_object_get(range, "students"), i, st)
	{
		json_array_foreach(json_object_get(st, "days"), j, day)
		{
			row++;
			worksheet_write_string(ws, row, 0, str(day, "date"),
			                       NULL);
			worksheet_write_string(ws, row, 1, str(st, "ref"),
			                       NULL);
			worksheet_write_string(ws, row, 2, str(st, "full_name"),
			                       NULL);
			worksheet_write_string(
			        ws, row, 3,
			        hhmm(json_object_get(day, "first_in"), t),
			        NULL);
			worksheet_write_string(
			        ws, row, 4,
			        hhmm(json_object_get(day, "last_out"), t),
			        NULL);
			worksheet_write_number(ws, row, 5, num(day, "minutes"),
			                       NULL);
			worksheet_write_number(
			        ws, row, 6,
			        json_is_true(json_object_get(day, "late")),
			        NULL);
			worksheet_write_number(
			        ws, row, 7,
			        json_is_true(json_object_get(day, "absent")),
			        NULL);
			worksheet_write_number(ws, row, 8,
			                       json_is_true(json_object_get(
			                               day, "left_early")),
			                       NULL);
			worksheet_write_string(
			        ws, row, 9,
			        kind_label(b, str(json_array_get(kinds, j),
			                          "kind")),
			        NULL);
		}
	}
	worksheet_set_column(ws, 0, 0, 12, NULL);
	worksheet_set_column(ws, 2, 2, 32, NULL);
	return 0;
}

int
attendance_xlsx_class(json_t *range, const char *school, enum lang lang,
                      struct buf *out)
{
	struct book b;
	bool ok;

	ok = book_open(&b, lang) == 0 &&
	     class_register(&b, range, school) == 0 &&
	     class_days(&b, range) == 0;
	return book_close(&b, ok, out);
}

int
attendance_xlsx_school(json_t *range, const char *school, enum lang lang,
                       struct buf *out)
{
	lxw_worksheet *ws;
	json_t *x;
	lxw_row_t row;
	size_t i;
	struct book b;
	bool ok = false;

	if (book_open(&b, lang) == -1 || (ws = sheet(&b, N_("Days"))) == NULL)
		goto done;
	row = titles(&b, ws, school, "", range);
	worksheet_write_string(ws, row, 0, tr(&b, N_("Date")), b.bold);
	worksheet_write_string(ws, row, 1, tr(&b, N_("Day")), b.bold);
	worksheet_write_string(ws, row, 2, tr(&b, N_("Students")), b.bold);
	count_heads(&b, ws, row, 3);
	worksheet_freeze_panes(ws, row + 1, 1);
	json_array_foreach(json_object_get(range, "days"), i, x)
	{
		json_t *c = json_object_get(x, "counts");

		row++;
		worksheet_write_string(ws, row, 0, str(x, "date"), NULL);
		worksheet_write_string(ws, row, 1,
		                       kind_label(&b, str(x, "kind")), NULL);
		if (strcmp(str(x, "kind"), "school") != 0)
			continue;
		worksheet_write_number(ws, row, 2, num(c, "students"), NULL);
		count_cells(&b, ws, row, 3, c);
	}
	worksheet_set_column(ws, 0, 1, 14, NULL);

	if ((ws = sheet(&b, N_("Classes"))) == NULL)
		goto done;
	row = titles(&b, ws, school, "", range);
	worksheet_write_string(ws, row, 0, tr(&b, N_("Class")), b.bold);
	worksheet_write_string(ws, row, 1, tr(&b, N_("Shift")), b.bold);
	worksheet_write_string(ws, row, 2, tr(&b, N_("Starts at")), b.bold);
	worksheet_write_string(ws, row, 3, tr(&b, N_("Students")), b.bold);
	count_heads(&b, ws, row, 4);
	worksheet_freeze_panes(ws, row + 1, 1);
	json_array_foreach(json_object_get(range, "classes"), i, x)
	{
		json_t *c = json_object_get(x, "counts");

		row++;
		worksheet_write_string(ws, row, 0, str(x, "name"), NULL);
		worksheet_write_number(ws, row, 1, num(x, "shift"), NULL);
		worksheet_write_string(ws, row, 2, str(x, "starts_at"), NULL);
		worksheet_write_number(ws, row, 3, num(c, "students"), NULL);
		count_cells(&b, ws, row, 4, c);
	}
	row += 2;
	worksheet_write_string(ws, row, 0, tr(&b, N_("The whole school")),
	                       b.bold);
	worksheet_write_number(
	        ws, row, 3, num(json_object_get(range, "counts"), "students"),
	        NULL);
	count_cells(&b, ws, row, 4, json_object_get(range, "counts"));
	worksheet_set_column(ws, 0, 0, 16, NULL);
	ok = true;
done:
	return book_close(&b, ok, out);
}
