-- The history of a communication entry (F2): who made or changed it, when, and each field's value
-- before and after. The employee's name is kept as it was, so the line still says who after the
-- employee is gone; the lines go with their entry.
CREATE TABLE communication_history (
    id               INTEGER PRIMARY KEY,
    communication_id INTEGER NOT NULL REFERENCES communications (id) ON DELETE CASCADE,
    event            TEXT    NOT NULL CHECK (event IN ('created', 'changed')),
    employee_id      INTEGER REFERENCES employees (id) ON DELETE SET NULL,
    employee_name    TEXT,
    old_channel      TEXT,
    new_channel      TEXT,
    old_value        TEXT,
    new_value        TEXT,
    old_label        TEXT,
    new_label        TEXT,
    occurred_at      INTEGER NOT NULL
);
CREATE INDEX communication_history_entry ON communication_history (communication_id, occurred_at);
