-- A meeting request whose send began but did not end (the process died between Graph's answer and
-- the database write, or during the request) is found here at the next start and sent again with
-- the same transactionId, which Graph answers with the event it already holds.
ALTER TABLE activities ADD COLUMN send_started_at INTEGER;
CREATE INDEX activities_send_started ON activities (send_started_at) WHERE send_started_at IS NOT NULL;
