-- The clouds as Microsoft lists them (A1): worldwide, US Government GCC (on the worldwide
-- endpoints), GCC High, DoD (each with its own identity and Graph hosts), China (21Vianet), and the
-- custom pair of URLs. SQLite changes a CHECK only by rebuilding the table; the migration runs with
-- foreign keys off (store/migrations.rs), so dropping the old table touches no employee or sign-in.
--
-- 'us_government' pointed at login.microsoftonline.us and graph.microsoft.us: GCC High's hosts
-- (a GCC tenant signs in on the worldwide ones, a DoD tenant's Graph is dod-graph.microsoft.us).
-- It becomes 'us_gov_gcc_high', so every stored configuration keeps the hosts it worked with.
CREATE TABLE mail_configurations_0006 (
    id                   INTEGER PRIMARY KEY,
    name                 TEXT    NOT NULL UNIQUE,
    groupware            TEXT    NOT NULL CHECK (groupware IN ('EWS', 'MSGRAPH')),
    azure_client_id      TEXT,
    azure_client_secret  TEXT,
    azure_tenant_id      TEXT,
    cloud                TEXT    NOT NULL DEFAULT 'global'
                                 CHECK (cloud IN ('global', 'us_gov_gcc', 'us_gov_gcc_high',
                                                  'us_gov_dod', 'china', 'custom')),
    custom_authority_url TEXT,
    custom_graph_url     TEXT,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);

INSERT INTO mail_configurations_0006 (id, name, groupware, azure_client_id, azure_client_secret,
        azure_tenant_id, cloud, custom_authority_url, custom_graph_url, created_at, updated_at)
    SELECT id, name, groupware, azure_client_id, azure_client_secret, azure_tenant_id,
           CASE cloud WHEN 'us_government' THEN 'us_gov_gcc_high' ELSE cloud END,
           custom_authority_url, custom_graph_url, created_at, updated_at
      FROM mail_configurations;

DROP TABLE mail_configurations;
ALTER TABLE mail_configurations_0006 RENAME TO mail_configurations;
