-- Which reminders this desktop has shown is its own, while in a team workspace the activities are
-- the team database's: the table no longer refers to the local activities. A local activity's
-- deletion still takes its reminders along (the trigger, as the foreign key did); the team
-- database's deleted activities are left out of the notification centre when it reads them.
CREATE TABLE reminders_shown (
    id           INTEGER PRIMARY KEY,
    activity_id  INTEGER NOT NULL,
    starts_at    INTEGER NOT NULL,
    shown_at     INTEGER NOT NULL,
    dismissed_at INTEGER,
    UNIQUE (activity_id, starts_at)
);
INSERT INTO reminders_shown (id, activity_id, starts_at, shown_at, dismissed_at)
    SELECT id, activity_id, starts_at, shown_at, dismissed_at FROM reminders;
DROP TABLE reminders;
ALTER TABLE reminders_shown RENAME TO reminders;
CREATE INDEX reminders_open ON reminders (dismissed_at, shown_at);
CREATE TRIGGER reminders_of_deleted_activity AFTER DELETE ON activities
BEGIN
    DELETE FROM reminders WHERE activity_id = OLD.id;
END;
