-- The school calendar that attendance is counted against: the school's
-- clock, the end of each shift's day, the school week, and the holidays and
-- vacations when nobody is expected.  Portable SQL, like 0001 and 0003.

-- One row per school that changed a default; no row means the defaults
-- (UTC+5, a five-day week, shifts ending 13:00, 18:00 and 20:00).
-- The offset is fixed minutes east of UTC, not a zone name: Kazakhstan has
-- one zone (UTC+5) since 2024 and Russia keeps fixed offsets without
-- daylight saving, so a fixed offset is right, and reading it needs no
-- process-wide TZ setting that threads would share.  Shift ends are local
-- "HH:MM" like classes.starts_at.
CREATE TABLE school_calendars (
  school_id INTEGER PRIMARY KEY REFERENCES schools(id),
  utc_offset_min INTEGER NOT NULL DEFAULT 300
    CHECK (utc_offset_min BETWEEN -720 AND 840),
  week_days INTEGER NOT NULL DEFAULT 5 CHECK (week_days IN (5, 6)),
  shift1_end TEXT NOT NULL DEFAULT '13:00' CHECK (length(shift1_end) = 5),
  shift2_end TEXT NOT NULL DEFAULT '18:00' CHECK (length(shift2_end) = 5),
  shift3_end TEXT NOT NULL DEFAULT '20:00' CHECK (length(shift3_end) = 5),
  updated_at TEXT NOT NULL,
  updated_by INTEGER REFERENCES users(id)
);

-- A holiday or a vacation: local days first_day..last_day (YYYY-MM-DD,
-- inclusive), of one school or of every school of a region (the region's
-- autumn vacation), never both.  Nobody is absent on such a day.  Text
-- dates in this form compare as dates, so an overlap is two comparisons.
CREATE TABLE holidays (
  id INTEGER PRIMARY KEY,
  school_id INTEGER REFERENCES schools(id),
  region_id INTEGER REFERENCES regions(id),
  first_day TEXT NOT NULL CHECK (length(first_day) = 10),
  last_day TEXT NOT NULL CHECK (length(last_day) = 10),
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  created_at TEXT NOT NULL,
  created_by INTEGER REFERENCES users(id),
  CHECK ((school_id IS NULL) <> (region_id IS NULL)),
  CHECK (first_day <= last_day)
);
CREATE INDEX holidays_school ON holidays (school_id, last_day);
CREATE INDEX holidays_region ON holidays (region_id, last_day);
