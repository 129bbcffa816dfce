-- A sign-in is this desktop's own, while its owner may live elsewhere: in a team workspace the
-- employees and mail configurations are in the team's PostgreSQL database, not in this file. So
-- sign_ins names its owner by id without a foreign key. SQLite drops a foreign key only by
-- rebuilding the table (the migration runs with foreign keys off, store/migrations.rs); the rows,
-- their ids and their sealed tokens (sealed under the owner's column and id, not the row's id)
-- are copied as they are.
CREATE TABLE sign_ins_0012 (
    id                           INTEGER PRIMARY KEY,
    employee_id                  INTEGER UNIQUE,
    mail_configuration_id        INTEGER UNIQUE,
    account                      TEXT    NOT NULL,
    display_name                 TEXT    NOT NULL DEFAULT '',
    tenant_id                    TEXT    NOT NULL DEFAULT '',
    access_token                 TEXT,
    refresh_token                TEXT,
    expires_at                   INTEGER,
    state                        TEXT    NOT NULL CHECK (state IN ('active', 'expired')),
    expired_reason               TEXT,
    updated_at                   INTEGER NOT NULL,
    issuer_mail_configuration_id INTEGER,
    issuer_authority             TEXT,
    issuer_graph                 TEXT,
    issuer_client_id             TEXT,
    issuer_tenant                TEXT,
    generation                   INTEGER NOT NULL DEFAULT 0,
    user_principal_name          TEXT,
    CHECK ((employee_id IS NOT NULL) + (mail_configuration_id IS NOT NULL) = 1)
);

INSERT INTO sign_ins_0012 (id, employee_id, mail_configuration_id, account, display_name,
        tenant_id, access_token, refresh_token, expires_at, state, expired_reason, updated_at,
        issuer_mail_configuration_id, issuer_authority, issuer_graph, issuer_client_id,
        issuer_tenant, generation, user_principal_name)
    SELECT id, employee_id, mail_configuration_id, account, display_name, tenant_id,
           access_token, refresh_token, expires_at, state, expired_reason, updated_at,
           issuer_mail_configuration_id, issuer_authority, issuer_graph, issuer_client_id,
           issuer_tenant, generation, user_principal_name
      FROM sign_ins;

DROP TABLE sign_ins;
ALTER TABLE sign_ins_0012 RENAME TO sign_ins;

-- Where the owner does live in this file (a local workspace), its deletion still ends its
-- sign-in, as ON DELETE CASCADE did.
CREATE TRIGGER sign_ins_end_with_employee AFTER DELETE ON employees
BEGIN
    DELETE FROM sign_ins WHERE employee_id = OLD.id;
END;
CREATE TRIGGER sign_ins_end_with_mail_configuration AFTER DELETE ON mail_configurations
BEGIN
    DELETE FROM sign_ins WHERE mail_configuration_id = OLD.id;
END;
