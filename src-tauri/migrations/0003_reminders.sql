-- Reminders shown (D1): one per activity and start, so that a reminder is never shown twice, also
-- across restarts, and a moved meeting reminds again.
CREATE TABLE reminders (
    id           INTEGER PRIMARY KEY,
    activity_id  INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    starts_at    INTEGER NOT NULL,
    shown_at     INTEGER NOT NULL,
    dismissed_at INTEGER,
    UNIQUE (activity_id, starts_at)
);
CREATE INDEX reminders_open ON reminders (dismissed_at, shown_at);
