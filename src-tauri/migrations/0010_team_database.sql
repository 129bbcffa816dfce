-- Where this desktop's team workspace lives, if it has one: the PostgreSQL server every desktop
-- of the team connects to. Local by design (each desktop has its own login); the password is
-- sealed like every other secret. One row at most; `active` says whether the shared records are
-- read from there instead of this file.
CREATE TABLE team_database (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    host       TEXT    NOT NULL,
    port       INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
    database   TEXT    NOT NULL,
    user_name  TEXT    NOT NULL,
    password   TEXT,
    tls        TEXT    NOT NULL CHECK (tls IN ('verified', 'plain')),
    active     INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
    updated_at INTEGER NOT NULL
);
