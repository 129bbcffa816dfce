-- Contacts in the order the app lists them: lower case, compared by code point (COLLATE "C"),
-- the same order on every server whatever its locale, in which the names starting with a text are
-- one range of the index (under a linguistic collation they are not, and ILIKE 'zimm%' read every
-- contact).
DROP INDEX contacts_name;
CREATE INDEX contacts_name ON contacts ((lower(last_name) COLLATE "C"), (lower(first_name) COLLATE "C"), id);

-- One or two characters: pg_trgm's index needs three, so each contact's text also keeps the
-- distinct single characters and pairs it holds (lower case, without white space, which a
-- trimmed search text never begins or ends with), under an index of their own. A rare pair
-- ("qx") is then read from that index instead of from every contact.
CREATE FUNCTION contact_search_pairs(body TEXT) RETURNS TEXT[] LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(array_agg(DISTINCT p), '{}')
      FROM (SELECT substr(lower(body), i, n) AS p
              FROM generate_series(1, length(body)) AS i, (VALUES (1), (2)) AS w (n)) AS s
     WHERE p !~ '[[:space:]]'
$$;
ALTER TABLE contact_search ADD COLUMN pairs TEXT[] NOT NULL DEFAULT '{}';
CREATE FUNCTION contact_search_pairs_of_body() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.pairs := contact_search_pairs(NEW.body);
    RETURN NEW;
END $$;
CREATE TRIGGER contact_search_pairs_of_body BEFORE INSERT OR UPDATE OF body ON contact_search
    FOR EACH ROW EXECUTE FUNCTION contact_search_pairs_of_body();
UPDATE contact_search SET pairs = contact_search_pairs(body);
CREATE INDEX contact_search_pairs ON contact_search USING gin (pairs) WITH (fastupdate = off);
-- Without a pending list: GIN's fast update queues new entries in a list that every search reads
-- through until a vacuum merges it (a few milliseconds per search after a move-in); contacts
-- change far less often than they are searched.
ALTER INDEX contact_search_body SET (fastupdate = off);
