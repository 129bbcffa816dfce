-- Contact search for one or two characters: every occurrence of such a text must begin a trigram
-- of the index, so that the index's sorted term list, read from the text on (a range of it), names
-- every contact holding it. An occurrence among the text's last two characters began none: the
-- indexed text now ends in two line breaks, which no search text holds (a search is trimmed).
DROP VIEW contact_search_text;
CREATE VIEW contact_search_text (id, body) AS
    SELECT c.id,
           c.first_name || ' ' || c.last_name || char(10) || c.last_name || ' ' || c.first_name
           || char(10) || coalesce(c.email, '') || char(10) || coalesce(b.name, '')
           || char(10) || char(10)
      FROM contacts c LEFT JOIN business_partners b ON b.id = c.business_partner_id;
-- Made anew rather than emptied: deleting every row would leave the index a delete marker per
-- row to read past in every search until it is merged.
DROP TABLE contact_search;
CREATE VIRTUAL TABLE contact_search USING fts5 (body, tokenize = 'trigram');
INSERT INTO contact_search (rowid, body) SELECT id, body FROM contact_search_text;
INSERT INTO contact_search (contact_search) VALUES ('optimize');

-- The index's terms (trigrams) with the contacts holding each, in term order.
CREATE VIRTUAL TABLE contact_search_terms USING fts5vocab (contact_search, instance);
