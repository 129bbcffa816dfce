-- Every shared record carries the version it is at, raised by each change, and who changed it
-- last and when (Unix seconds): a save names the version it read, so a change made meanwhile is
-- refused instead of overwritten. Who is the current employee's name (SQLite has no login).
ALTER TABLE business_partners ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE business_partners ADD COLUMN changed_by TEXT;
ALTER TABLE business_partners ADD COLUMN changed_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contacts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE contacts ADD COLUMN changed_by TEXT;
ALTER TABLE contacts ADD COLUMN changed_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE persons ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE persons ADD COLUMN changed_by TEXT;
ALTER TABLE persons ADD COLUMN changed_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE employees ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE employees ADD COLUMN changed_by TEXT;
ALTER TABLE employees ADD COLUMN changed_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE communications ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE communications ADD COLUMN changed_by TEXT;
ALTER TABLE communications ADD COLUMN changed_at INTEGER NOT NULL DEFAULT 0;
-- An activity's last change is its `updated_at`.
ALTER TABLE activities ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE activities ADD COLUMN changed_by TEXT;
