-- Emergency mode of a school (a fire alarm): while a school's row says
-- 'emergency', every gate of it opens and every pass is allowed and logged
-- with reason 'emergency'.  No row means normal.  Who switched it last is a
-- user or a device (a fire panel wired to a gate or kiosk), never both;
-- every switch is in the audit log too.
CREATE TABLE school_modes (
  school_id INTEGER PRIMARY KEY REFERENCES schools(id),
  mode TEXT NOT NULL CHECK (mode IN ('normal', 'emergency')),
  since TEXT NOT NULL,
  by_user INTEGER REFERENCES users(id),
  by_device INTEGER REFERENCES devices(id),
  reason TEXT,
  CHECK (by_user IS NULL OR by_device IS NULL)
);
