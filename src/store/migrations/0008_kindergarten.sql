-- Kindergarten mode: the adults allowed to bring and pick up each child,
-- the identifiers they carry, and every handover a gate or kiosk reports.
-- Portable SQL, like 0001: INTEGER PRIMARY KEY ids, RFC 3339 UTC text
-- times, 0/1 integers for booleans.

-- A kindergarten is a school in our model; this row says that the school
-- works as one.  It lives in its own table, owned by the access module,
-- rather than as a column of schools (owned by people), the way
-- school_modes keeps emergency mode.  Switching off keeps the row with
-- enabled 0, so "since" and "by whom" survive; the audit log has every
-- switch.
CREATE TABLE kindergartens (
  school_id INTEGER PRIMARY KEY REFERENCES schools(id),
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  since TEXT NOT NULL,
  by_user INTEGER REFERENCES users(id)
);

-- An escort is an adult (a parent, a grandmother, a nanny) who may bring or
-- pick up children of one kindergarten.  The escort belongs to the school,
-- not to one child, so brothers and sisters share one escort and the
-- escort's card works for all of them.  The phone is E.164 or NULL; it is
-- how staff reach the person and how a second child's page finds an escort
-- already known (see the index).
CREATE TABLE escorts (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  full_name TEXT NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
  phone TEXT CHECK (phone IS NULL OR length(phone) BETWEEN 9 AND 16),
  created_at TEXT NOT NULL,
  created_by INTEGER REFERENCES users(id)
);
CREATE INDEX escorts_school_phone ON escorts (school_id, phone);

-- Which escort may do what for which child.  The relation is per child (a
-- grandmother of one may be an aunt of another) and is one of a fixed list,
-- so every page can show it in the reader's language.  Removing an escort
-- from a child deletes the row: past handovers keep the escort's id, and
-- the audit log keeps who allowed whom and when.
CREATE TABLE child_escorts (
  student_id INTEGER NOT NULL REFERENCES students(id),
  escort_id INTEGER NOT NULL REFERENCES escorts(id),
  relation TEXT NOT NULL CHECK (relation IN ('mother', 'father',
    'grandmother', 'grandfather', 'sibling', 'relative', 'nanny', 'other')),
  may_bring INTEGER NOT NULL CHECK (may_bring IN (0, 1)),
  may_pick_up INTEGER NOT NULL CHECK (may_pick_up IN (0, 1)),
  added_at TEXT NOT NULL,
  added_by INTEGER REFERENCES users(id),
  PRIMARY KEY (student_id, escort_id)
);
CREATE INDEX child_escorts_escort ON child_escorts (escort_id, student_id);

-- What an escort presents at the door, like identifiers for students.  A
-- lost one is blocked, never deleted.  A value is active on at most one
-- holder on the whole platform, student or escort: the partial unique index
-- guards the escorts' side, and a database cannot guard across two tables,
-- so the write transactions that bind one (escort_store.c, and the
-- students' bind in access.c) look in both tables; SQLite serialises
-- writers (BEGIN IMMEDIATE), so the look-up and the insert see one state.
-- Biometric references are not accepted for escorts: we hold no consent of
-- theirs.
CREATE TABLE escort_identifiers (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  escort_id INTEGER NOT NULL REFERENCES escorts(id),
  kind TEXT NOT NULL CHECK (kind IN ('card', 'bracelet', 'fob', 'phone',
    'magnetic')),
  value TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 64),
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active',
    'blocked')),
  bound_at TEXT NOT NULL,
  bound_by INTEGER REFERENCES users(id),
  blocked_at TEXT,
  blocked_by INTEGER REFERENCES users(id),
  reason TEXT
);
CREATE UNIQUE INDEX escort_identifiers_active_value ON escort_identifiers
  (value) WHERE status = 'active';
CREATE INDEX escort_identifiers_value ON escort_identifiers (value, id);
CREATE INDEX escort_identifiers_escort ON escort_identifiers (escort_id, id);

-- One row per child brought ("in") or picked up ("out"), allowed or refused,
-- as a gate or kiosk of the kindergarten reported it.  (device_id, seq)
-- makes a device's retry harmless; seq counts a device's handovers, apart
-- from its passes.  escort_id and escort_identifier_id are NULL for an
-- unknown value or another school's escort, student_id when no child of
-- this school was named or could be told.  identifier_value is what was
-- presented, kept for the unknown ones (it names nobody).  device_at is the
-- device's clock, received_at ours.
CREATE TABLE handovers (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  device_id INTEGER NOT NULL REFERENCES devices(id),
  seq INTEGER NOT NULL CHECK (seq >= 0),
  escort_id INTEGER REFERENCES escorts(id),
  escort_identifier_id INTEGER REFERENCES escort_identifiers(id),
  student_id INTEGER REFERENCES students(id),
  identifier_value TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  decision TEXT NOT NULL CHECK (decision IN ('allow', 'deny')),
  reason TEXT NOT NULL CHECK (reason IN ('ok', 'unknown', 'blocked',
    'not_allowed', 'other_school', 'left', 'child_required')),
  device_at TEXT NOT NULL,
  received_at TEXT NOT NULL,
  UNIQUE (device_id, seq)
);
CREATE INDEX handovers_student_at ON handovers (student_id, device_at);
CREATE INDEX handovers_school_at ON handovers (school_id, device_at);
