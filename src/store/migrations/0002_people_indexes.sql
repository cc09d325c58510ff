-- Counting a school's or a class's active students (the school page, the
-- class list) must not visit every student row: with the status in the
-- index SQLite and PostgreSQL answer from the index alone.  A big city
-- district holds 100,000 students in one school's roster.
-- (class_id, status) serves every lookup students_class did.
DROP INDEX students_class;
CREATE INDEX students_class_status ON students (class_id, status);
CREATE INDEX students_school_status ON students (school_id, status);
