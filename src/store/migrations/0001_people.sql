-- People and places: regions, districts, schools, classes, students,
-- guardians and consent; staff users, sessions, devices; the audit log.
-- Portable SQL: INTEGER PRIMARY KEY ids (the PostgreSQL driver maps them to
-- identity columns), timestamps as RFC 3339 UTC text.

CREATE TABLE regions (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL
);

CREATE TABLE districts (
  id INTEGER PRIMARY KEY,
  region_id INTEGER NOT NULL REFERENCES regions(id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  UNIQUE (region_id, code)
);

CREATE TABLE schools (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  region_id INTEGER REFERENCES regions(id),
  district_id INTEGER REFERENCES districts(id),
  created_at TEXT NOT NULL
);

-- A class belongs to one shift; lateness is measured against starts_at.
CREATE TABLE classes (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  name TEXT NOT NULL,
  grade INTEGER NOT NULL CHECK (grade BETWEEN 0 AND 12),
  shift INTEGER NOT NULL DEFAULT 1 CHECK (shift BETWEEN 1 AND 3),
  starts_at TEXT NOT NULL DEFAULT '08:00',
  UNIQUE (school_id, name)
);

-- Students are never deleted: one who is not on a new roster is marked left.
CREATE TABLE students (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  ref TEXT NOT NULL,
  full_name TEXT NOT NULL,
  class_id INTEGER NOT NULL REFERENCES classes(id),
  birth_date TEXT,
  iin TEXT,
  category TEXT NOT NULL DEFAULT 'none' CHECK (category IN ('none', 'social')),
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'left')),
  left_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (school_id, ref)
);
CREATE INDEX students_class ON students (class_id);

CREATE TABLE guardians (
  id INTEGER PRIMARY KEY,
  full_name TEXT NOT NULL,
  phone TEXT,
  email TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX guardians_phone ON guardians (phone);
CREATE INDEX guardians_email ON guardians (email);

CREATE TABLE student_guardians (
  student_id INTEGER NOT NULL REFERENCES students(id),
  guardian_id INTEGER NOT NULL REFERENCES guardians(id),
  PRIMARY KEY (student_id, guardian_id)
);
CREATE INDEX student_guardians_guardian ON student_guardians (guardian_id);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  login TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('director', 'deputy', 'psychologist',
    'social_pedagogue', 'class_teacher', 'security', 'cashier', 'librarian',
    'school_admin', 'police_inspector', 'prosecutor', 'operator',
    'supervisor', 'education_dept', 'platform_admin')),
  region_id INTEGER REFERENCES regions(id),
  disabled INTEGER NOT NULL DEFAULT 0,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT,
  created_at TEXT NOT NULL
);

CREATE TABLE user_schools (
  user_id INTEGER NOT NULL REFERENCES users(id),
  school_id INTEGER NOT NULL REFERENCES schools(id),
  PRIMARY KEY (user_id, school_id)
);

-- A class teacher's own classes.
CREATE TABLE user_classes (
  user_id INTEGER NOT NULL REFERENCES users(id),
  class_id INTEGER NOT NULL REFERENCES classes(id),
  PRIMARY KEY (user_id, class_id)
);

-- Consent is a history, never edited: the newest row for a student and
-- purpose is in force.  `document` names the paper it rests on.
CREATE TABLE consents (
  id INTEGER PRIMARY KEY,
  student_id INTEGER NOT NULL REFERENCES students(id),
  guardian_id INTEGER REFERENCES guardians(id),
  purpose TEXT NOT NULL CHECK (purpose IN ('data', 'notifications',
    'biometrics')),
  granted INTEGER NOT NULL CHECK (granted IN (0, 1)),
  document TEXT,
  recorded_by INTEGER REFERENCES users(id),
  recorded_at TEXT NOT NULL
);
CREATE INDEX consents_student ON consents (student_id, purpose, id);

-- Which events reach a guardian on which channel.
CREATE TABLE subscriptions (
  guardian_id INTEGER NOT NULL REFERENCES guardians(id),
  student_id INTEGER NOT NULL REFERENCES students(id),
  event TEXT NOT NULL,
  channel TEXT NOT NULL,
  PRIMARY KEY (guardian_id, student_id, event, channel)
);

-- Tokens and sessions are stored as hashes only.
CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users(id),
  csrf_secret TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE devices (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  kind TEXT NOT NULL CHECK (kind IN ('gate', 'till', 'kiosk')),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  UNIQUE (school_id, name)
);

-- Who did or read what.  `detail` never holds personal data itself, only
-- which object and fields were touched.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  user_id INTEGER REFERENCES users(id),
  session_id INTEGER,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  school_id INTEGER REFERENCES schools(id),
  object_type TEXT,
  object_id TEXT,
  detail TEXT
);
CREATE INDEX audit_log_school ON audit_log (school_id, id);
