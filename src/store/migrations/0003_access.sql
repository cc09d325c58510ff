-- Access control: identifiers bound to students and the passes gates report.
-- Portable SQL, like 0001: INTEGER PRIMARY KEY ids, RFC 3339 UTC text times.

-- An identifier is what a reader reads: a card or fob number, a bracelet, a
-- phone, a magnetic stripe, or the reference of a biometric template kept by
-- the reader's vendor (never the template).  A lost one is blocked, never
-- deleted; a value is active on at most one student on the whole platform.
CREATE TABLE identifiers (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  student_id INTEGER NOT NULL REFERENCES students(id),
  kind TEXT NOT NULL CHECK (kind IN ('card', 'bracelet', 'fob', 'phone',
    'magnetic', 'biometric')),
  value TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 64),
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active',
    'blocked')),
  bound_at TEXT NOT NULL,
  bound_by INTEGER REFERENCES users(id),
  blocked_at TEXT,
  blocked_by INTEGER REFERENCES users(id),
  reason TEXT
);
CREATE UNIQUE INDEX identifiers_active_value ON identifiers (value)
  WHERE status = 'active';
CREATE INDEX identifiers_value ON identifiers (value, id);
CREATE INDEX identifiers_student ON identifiers (student_id, id);

-- One row per passage through a gate, or per child admitted by hand
-- (manual_by, no device).  (device_id, seq) makes a gate's retry harmless.
-- student_id is NULL for an unknown value or another school's student.
CREATE TABLE passes (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  device_id INTEGER REFERENCES devices(id),
  seq INTEGER CHECK (seq >= 0),
  student_id INTEGER REFERENCES students(id),
  identifier_value TEXT,
  direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  decision TEXT NOT NULL CHECK (decision IN ('allow', 'deny')),
  reason TEXT NOT NULL,
  device_at TEXT NOT NULL,
  received_at TEXT NOT NULL,
  manual_by INTEGER REFERENCES users(id),
  CHECK ((device_id IS NOT NULL AND seq IS NOT NULL) OR manual_by IS NOT NULL),
  UNIQUE (device_id, seq)
);
CREATE INDEX passes_student_at ON passes (student_id, device_at);
CREATE INDEX passes_school_at ON passes (school_id, device_at);
