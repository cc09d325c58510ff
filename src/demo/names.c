/*
 * Generated rosters: realistic Kazakh and Russian names in both genders
 * (Russian-style surnames take -а for women), a guardian per student with a
 * phone in a range used for examples and a mail address at example.com
 * (RFC 2606), valid IINs derived from the birth date.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/validate.h"
#include "demo/demo.h"

static const char *const kk_male[] = {
        "Нұрлан",   "Айдос", "Ерлан",     "Дәулет",   "Арман",  "Әлихан",
        "Бауыржан", "Ержан", "Нұрсұлтан", "Темірлан", "Санжар", "Қуаныш",
        "Мирас",    "Ислам", "Асқар",     "Ерасыл",   "Нұрбол", "Жандос",
};
static const char *const kk_female[] = {
        "Әлия",   "Айгерім", "Дана",   "Жансая",  "Аружан",  "Гүлнар",
        "Інжу",   "Мадина",  "Сабина", "Томирис", "Айша",    "Зере",
        "Ақбота", "Нұрай",   "Балжан", "Әсел",    "Гүлдана", "Меруерт",
};
/* Kazakh surnames in their Russified form; women's add "а". */
static const char *const kk_surname[] = {
        "Ахметов", "Серікбаев",  "Жұмабаев",     "Әбдірахманов", "Қасымов",
        "Омаров",  "Сәрсенбаев", "Мұхамеджанов", "Исаев",        "Оспанов",
        "Ержанов", "Төлеуов",    "Нұрғалиев",    "Байжанов",     "Қалиев",
};
static const char *const ru_male[] = {
        "Александр", "Дмитрий", "Максим", "Иван",   "Артём",  "Михаил",
        "Никита",    "Егор",    "Кирилл", "Андрей", "Сергей", "Алексей",
};
static const char *const ru_female[] = {
        "Анна",   "Мария",    "Екатерина", "Анастасия", "София", "Дарья",
        "Полина", "Виктория", "Алиса",     "Ксения",    "Ольга", "Елена",
};
static const char *const ru_surname[] = {
        "Иванов",  "Смирнов", "Кузнецов", "Попов",   "Васильев",
        "Петров",  "Соколов", "Михайлов", "Новиков", "Фёдоров",
        "Морозов", "Волков",  "Лебедев",  "Козлов",
};

#define PICK(list, r) ((list)[(r) % (sizeof(list) / sizeof((list)[0]))])

/* xorshift32: repeatable, and good enough for made-up names. */
static uint32_t
next_random(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

struct person {
	char name[160];
	char guardian[160];
};

static void
make_person(uint32_t *rnd, struct person *p, int *male)
{
	bool kazakh = next_random(rnd) % 3 != 0;
	const char *sur = kazakh ? PICK(kk_surname, next_random(rnd))
	                         : PICK(ru_surname, next_random(rnd));
	const char *first, *parent;
	bool mother = next_random(rnd) % 3 != 0;

	*male = (int)(next_random(rnd) % 2);
	if (kazakh)
		first = *male ? PICK(kk_male, next_random(rnd))
		              : PICK(kk_female, next_random(rnd));
	else
		first = *male ? PICK(ru_male, next_random(rnd))
		              : PICK(ru_female, next_random(rnd));
	if (kazakh)
		parent = mother ? PICK(kk_female, next_random(rnd))
		                : PICK(kk_male, next_random(rnd));
	else
		parent = mother ? PICK(ru_female, next_random(rnd))
		                : PICK(ru_male, next_random(rnd));
	snprintf(p->name, sizeof(p->name), "%s%s %s", sur, *male ? "" : "а",
	         first);
	snprintf(p->guardian, sizeof(p->guardian), "%s%s %s", sur,
	         mother ? "а" : "", parent);
}

/*
 * An IIN for a child born on y-m-d: YYMMDD, the century-and-sex digit (5
 * for a boy born in 2000-2099, 6 for a girl), a serial, and the check
 * digit.  Serials whose check digit does not exist are skipped.
 */
static void
make_iin(char out[13], int y, int m, int d, int male, unsigned serial)
{
	int check;

	for (;; serial++) {
		for (check = 0; check <= 9; check++) {
			/* Wide enough for any int, so nothing is cut. */
			char digits[64];

			snprintf(digits, sizeof(digits), "%02d%02d%02d%d%04u%d",
			         y % 100, m, d, male ? 5 : 6, serial % 10000,
			         check);
			snprintf(out, 13, "%.12s", digits);
			if (validate_iin(out))
				return;
		}
	}
}

int
demo_roster_csv(struct buf *out, unsigned students, unsigned seed)
{
	static const char letters[][3] = {"А", "Б", "В"};
	uint32_t rnd = seed * 2654435761u + 1;
	unsigned i, grade, letter;
	struct person p;
	int male, y, m, d;
	char iin[13];

	buf_puts(out, "ref,full_name,class,birth_date,iin,category,consent,"
	              "guardian_name,guardian_phone,guardian_email\r\n");
	for (i = 0; i < students; i++) {
		grade = 1 + i % 11;
		letter = (i / 11) % (students > 2000 ? 3 : 2);
		make_person(&rnd, &p, &male);
		y = 2025 - 6 - (int)grade;
		m = 1 + (int)(next_random(&rnd) % 12);
		d = 1 + (int)(next_random(&rnd) % 28);
		make_iin(iin, y, m, d, male, next_random(&rnd) % 9000);
		buf_printf(out, "S%06u,\"%s\",%u%s,%04d-%02d-%02d,%s,%s,%s,",
		           i + 1, p.name, grade, letters[letter], y, m, d, iin,
		           grade >= 5 && next_random(&rnd) % 10 == 0 ? "social"
		                                                     : "none",
		           next_random(&rnd) % 8 == 0 ? "no" : "yes");
		buf_printf(out, "\"%s\",+7701%07u,", p.guardian,
		           (i * 7919u + seed) % 10000000u);
		if (next_random(&rnd) % 10 < 7)
			buf_printf(out, "parent%06u@example.com", i + 1);
		buf_puts(out, "\r\n");
	}
	return out->failed ? -1 : 0;
}
