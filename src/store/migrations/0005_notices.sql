-- The notify outbox: one row per notice to one person (a member of staff or
-- a guardian), written in the same transaction as the pass, sale or alarm
-- that caused it, so that a notice exists exactly when its cause does.
-- params holds only what the message needs (a first name, a time, a gate's
-- name), never a surname with a class or an IIN.  dedup_key makes a
-- retried cause queue one notice.  Staff read their notices in the inbox
-- (read_at); delivery over e-mail, Telegram and SMS is tracked per channel
-- by the dispatcher's own table.
CREATE TABLE notices (
  id INTEGER PRIMARY KEY,
  created_at TEXT NOT NULL,
  event TEXT NOT NULL CHECK (length(event) BETWEEN 1 AND 40),
  urgent INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
  school_id INTEGER REFERENCES schools(id),
  user_id INTEGER REFERENCES users(id),
  guardian_id INTEGER REFERENCES guardians(id),
  student_id INTEGER REFERENCES students(id),
  params TEXT NOT NULL DEFAULT '{}',
  dedup_key TEXT NOT NULL UNIQUE,
  read_at TEXT,
  CHECK ((user_id IS NULL) <> (guardian_id IS NULL))
);
CREATE INDEX notices_user ON notices (user_id, id) WHERE user_id IS NOT NULL;
CREATE INDEX notices_guardian ON notices (guardian_id, id)
  WHERE guardian_id IS NOT NULL;
