-- The duty roster and the alarms gates raise.  Portable SQL, like 0001:
-- INTEGER PRIMARY KEY ids, RFC 3339 UTC text times, dates as YYYY-MM-DD
-- text and times of day as HH:MM text (both compare correctly as text).

-- A school's shift times.  No row for a shift means the defaults in
-- access.h (07:30-13:30, 13:30-19:00, 19:00-07:30), so a new school needs
-- no setup.  A shift whose end is not after its start runs over midnight;
-- a zero-length shift would make nobody responsible, so it is refused.
CREATE TABLE duty_shifts (
  school_id INTEGER NOT NULL REFERENCES schools(id),
  shift INTEGER NOT NULL CHECK (shift BETWEEN 1 AND 3),
  starts TEXT NOT NULL CHECK (length(starts) = 5),
  ends TEXT NOT NULL CHECK (length(ends) = 5),
  CHECK (starts <> ends),
  PRIMARY KEY (school_id, shift)
);

-- Who answers for the system at a school on a shift of a date (seed 004:
-- a deputy director per shift).  Several people may share a shift; one
-- person twice on the same shift means nothing more, hence the key.
-- on_date is the date the shift starts on, also for a shift that runs
-- over midnight.  Rows are replaced when an editor saves a range; who
-- added a row and when stays here, and every change is in the audit log.
CREATE TABLE duty_roster (
  school_id INTEGER NOT NULL REFERENCES schools(id),
  on_date TEXT NOT NULL CHECK (length(on_date) = 10),
  shift INTEGER NOT NULL CHECK (shift BETWEEN 1 AND 3),
  user_id INTEGER NOT NULL REFERENCES users(id),
  assigned_by INTEGER REFERENCES users(id),
  assigned_at TEXT NOT NULL,
  PRIMARY KEY (school_id, on_date, shift, user_id)
);

-- A forced or tampered passage reported by a gate or kiosk.  As with
-- passes, (device_id, seq) makes a device's retry harmless, and both the
-- device's clock (device_at) and ours (received_at) are kept: escalation
-- counts from received_at, since a device's clock may be wrong.  An alarm
-- is open until a member of staff acknowledges it; escalated_at is set
-- when it was told again to the school's leaders, which happens once.
CREATE TABLE alarms (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  device_id INTEGER NOT NULL REFERENCES devices(id),
  seq INTEGER NOT NULL CHECK (seq >= 0),
  kind TEXT NOT NULL CHECK (kind IN ('forced', 'tampered')),
  device_at TEXT NOT NULL,
  received_at TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open',
    'acknowledged')),
  acknowledged_by INTEGER REFERENCES users(id),
  acknowledged_at TEXT,
  escalated_at TEXT,
  CHECK ((state = 'open') = (acknowledged_at IS NULL)),
  UNIQUE (device_id, seq)
);
-- A school's page lists its open alarms first, newest first.
CREATE INDEX alarms_school ON alarms (school_id, state, id);
-- The escalation tick looks only at open alarms not yet escalated, a
-- handful at any time, however many alarms the years have kept.
CREATE INDEX alarms_to_escalate ON alarms (received_at)
  WHERE state = 'open' AND escalated_at IS NULL;
