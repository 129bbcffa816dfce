-- Treffpunkt schema, version 1 (F1). Times are UTC instants in Unix seconds; every activity also
-- keeps the IANA zone it was planned in (C9). Later changes only through new numbered files.

CREATE TABLE mail_configurations (
    id                   INTEGER PRIMARY KEY,
    name                 TEXT    NOT NULL UNIQUE,
    groupware            TEXT    NOT NULL CHECK (groupware IN ('EWS', 'MSGRAPH')),
    azure_client_id      TEXT,
    azure_client_secret  TEXT,
    azure_tenant_id      TEXT,
    cloud                TEXT    NOT NULL DEFAULT 'global'
                                 CHECK (cloud IN ('global', 'us_government', 'china', 'custom')),
    custom_authority_url TEXT,
    custom_graph_url     TEXT,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);

CREATE TABLE employees (
    id                    INTEGER PRIMARY KEY,
    first_name            TEXT    NOT NULL,
    last_name             TEXT    NOT NULL,
    email                 TEXT,
    phone                 TEXT,
    mobile                TEXT,
    department            TEXT,
    color                 TEXT    NOT NULL DEFAULT '#2563eb',
    mail_configuration_id INTEGER REFERENCES mail_configurations (id) ON DELETE SET NULL
);
CREATE INDEX employees_name ON employees (last_name COLLATE NOCASE, first_name COLLATE NOCASE);

CREATE TABLE business_partners (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    industry    TEXT,
    street      TEXT,
    postal_code TEXT,
    city        TEXT,
    country     TEXT NOT NULL DEFAULT 'DE',
    phone       TEXT,
    email       TEXT,
    website     TEXT
);
CREATE INDEX business_partners_name ON business_partners (name COLLATE NOCASE);

CREATE TABLE contacts (
    id                  INTEGER PRIMARY KEY,
    business_partner_id INTEGER REFERENCES business_partners (id) ON DELETE SET NULL,
    salutation          TEXT,
    first_name          TEXT NOT NULL,
    last_name           TEXT NOT NULL,
    position            TEXT,
    email               TEXT,
    phone               TEXT,
    mobile              TEXT
);
CREATE INDEX contacts_name ON contacts (last_name COLLATE NOCASE, first_name COLLATE NOCASE);
CREATE INDEX contacts_partner ON contacts (business_partner_id);

CREATE TABLE persons (
    id         INTEGER PRIMARY KEY,
    first_name TEXT NOT NULL,
    last_name  TEXT NOT NULL,
    email      TEXT,
    phone      TEXT,
    city       TEXT
);
CREATE INDEX persons_name ON persons (last_name COLLATE NOCASE, first_name COLLATE NOCASE);

-- Further addresses and numbers of a record ("Kommunikation"); exactly one owner.
CREATE TABLE communications (
    id                  INTEGER PRIMARY KEY,
    business_partner_id INTEGER REFERENCES business_partners (id) ON DELETE CASCADE,
    contact_id          INTEGER REFERENCES contacts (id) ON DELETE CASCADE,
    employee_id         INTEGER REFERENCES employees (id) ON DELETE CASCADE,
    person_id           INTEGER REFERENCES persons (id) ON DELETE CASCADE,
    channel             TEXT NOT NULL CHECK (channel IN ('email', 'phone', 'mobile', 'fax')),
    value               TEXT NOT NULL,
    label               TEXT,
    CHECK ((business_partner_id IS NOT NULL) + (contact_id IS NOT NULL)
           + (employee_id IS NOT NULL) + (person_id IS NOT NULL) = 1)
);
CREATE INDEX communications_partner ON communications (business_partner_id) WHERE business_partner_id IS NOT NULL;
CREATE INDEX communications_contact ON communications (contact_id) WHERE contact_id IS NOT NULL;
CREATE INDEX communications_employee ON communications (employee_id) WHERE employee_id IS NOT NULL;
CREATE INDEX communications_person ON communications (person_id) WHERE person_id IS NOT NULL;

CREATE TABLE activities (
    id                  INTEGER PRIMARY KEY,
    -- The activity's global id: Graph's transactionId, so that a retried send never makes two events.
    uid                 TEXT    NOT NULL UNIQUE,
    kind                TEXT    NOT NULL CHECK (kind IN ('appointment', 'meeting', 'teams_meeting',
                                                         'call', 'email', 'task', 'note', 'visit')),
    subject             TEXT    NOT NULL,
    starts_at           INTEGER NOT NULL,
    ends_at             INTEGER NOT NULL,
    time_zone           TEXT    NOT NULL,
    memo                TEXT    NOT NULL DEFAULT '',
    mail_text           TEXT    NOT NULL DEFAULT '',
    status              TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
    owner_employee_id   INTEGER NOT NULL REFERENCES employees (id),
    business_partner_id INTEGER REFERENCES business_partners (id) ON DELETE SET NULL,
    contact_id          INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
    person_id           INTEGER REFERENCES persons (id) ON DELETE SET NULL,
    reminder_minutes    INTEGER NOT NULL DEFAULT 15 CHECK (reminder_minutes >= 0),
    sent_at             INTEGER,
    join_url            TEXT,
    graph_event_id      TEXT,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    CHECK (ends_at >= starts_at)
);
-- The calendar range query: one owner, activities starting before the range ends.
CREATE INDEX activities_owner_start ON activities (owner_employee_id, starts_at, ends_at);
CREATE INDEX activities_start ON activities (starts_at);
CREATE INDEX activities_partner ON activities (business_partner_id, starts_at) WHERE business_partner_id IS NOT NULL;
CREATE INDEX activities_contact ON activities (contact_id, starts_at) WHERE contact_id IS NOT NULL;
CREATE INDEX activities_person ON activities (person_id, starts_at) WHERE person_id IS NOT NULL;
CREATE INDEX activities_subject ON activities (subject COLLATE NOCASE);

-- Who takes part: an employee, a contact, a person, or a free e-mail address; exactly one.
CREATE TABLE activity_participants (
    id          INTEGER PRIMARY KEY,
    activity_id INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    employee_id INTEGER REFERENCES employees (id) ON DELETE CASCADE,
    contact_id  INTEGER REFERENCES contacts (id) ON DELETE CASCADE,
    person_id   INTEGER REFERENCES persons (id) ON DELETE CASCADE,
    email       TEXT,
    CHECK ((employee_id IS NOT NULL) + (contact_id IS NOT NULL)
           + (person_id IS NOT NULL) + (email IS NOT NULL) = 1)
);
CREATE INDEX activity_participants_activity ON activity_participants (activity_id);
CREATE INDEX activity_participants_employee ON activity_participants (employee_id, activity_id) WHERE employee_id IS NOT NULL;
CREATE INDEX activity_participants_contact ON activity_participants (contact_id, activity_id) WHERE contact_id IS NOT NULL;
CREATE INDEX activity_participants_person ON activity_participants (person_id, activity_id) WHERE person_id IS NOT NULL;

-- The history ("Verlauf"): what happened to an activity, and the links between activities (C6, C8).
CREATE TABLE history (
    id                 INTEGER PRIMARY KEY,
    activity_id        INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    event              TEXT    NOT NULL CHECK (event IN ('created', 'converted', 'linked', 'sent', 'cancelled')),
    linked_activity_id INTEGER REFERENCES activities (id) ON DELETE CASCADE,
    detail             TEXT    NOT NULL DEFAULT '',
    occurred_at        INTEGER NOT NULL
);
CREATE INDEX history_activity ON history (activity_id, occurred_at);
CREATE INDEX history_linked ON history (linked_activity_id) WHERE linked_activity_id IS NOT NULL;

CREATE TABLE system_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
