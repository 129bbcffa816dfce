-- Who issued each sign-in's tokens (the mail configuration, the tenant's authority, the Graph host,
-- the client ID and the tenant): tokens are sent only there. The sign-ins stored so far get the
-- issuer of their owner's configuration as it is now, by the migration's hook in Rust (the hosts
-- of each cloud live in microsoft/cloud.rs); one without a usable configuration keeps none and is
-- ended when it is next used.
ALTER TABLE sign_ins ADD COLUMN issuer_mail_configuration_id INTEGER;
ALTER TABLE sign_ins ADD COLUMN issuer_authority TEXT;
ALTER TABLE sign_ins ADD COLUMN issuer_graph TEXT;
ALTER TABLE sign_ins ADD COLUMN issuer_client_id TEXT;
ALTER TABLE sign_ins ADD COLUMN issuer_tenant TEXT;
-- Counts the writes of a sign-in's tokens and state: a token refresh stores its answer only while
-- the row is still the one it started from, so a late answer never overwrites a newer sign-in.
ALTER TABLE sign_ins ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
