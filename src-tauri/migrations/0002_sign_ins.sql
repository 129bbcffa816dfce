-- Microsoft 365 sign-ins (B3): per employee and per mail configuration (a global mailbox).
CREATE TABLE sign_ins (
    id                    INTEGER PRIMARY KEY,
    employee_id           INTEGER UNIQUE REFERENCES employees (id) ON DELETE CASCADE,
    mail_configuration_id INTEGER UNIQUE REFERENCES mail_configurations (id) ON DELETE CASCADE,
    account               TEXT    NOT NULL,
    display_name          TEXT    NOT NULL DEFAULT '',
    tenant_id             TEXT    NOT NULL DEFAULT '',
    access_token          TEXT,
    refresh_token         TEXT,
    expires_at            INTEGER,
    state                 TEXT    NOT NULL CHECK (state IN ('active', 'expired')),
    -- The stable code of the failure that ended it (B5), e.g. signin_expired_inactivity.
    expired_reason        TEXT,
    updated_at            INTEGER NOT NULL,
    CHECK ((employee_id IS NOT NULL) + (mail_configuration_id IS NOT NULL) = 1)
);
