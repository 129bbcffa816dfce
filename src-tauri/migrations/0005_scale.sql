-- What the benchmarks at 1M activities and contacts asked for (issue 6; docs/benchmarks.md).

-- Each employee's calendar as its own index: the owner's entry and one per employee taking part,
-- with the activity's times copied. The month view, the reminder scan and an employee's history
-- read a short range of it instead of every activity the employee ever owned or attended.
-- Kept by the triggers below; nothing in the app writes it directly.
CREATE TABLE calendar_entries (
    employee_id INTEGER NOT NULL REFERENCES employees (id) ON DELETE CASCADE,
    activity_id INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    -- 1: the owner's entry; 0: a participant's. Both can exist for one employee.
    owner       INTEGER NOT NULL CHECK (owner IN (0, 1)),
    starts_at   INTEGER NOT NULL,
    ends_at     INTEGER NOT NULL,
    PRIMARY KEY (activity_id, employee_id, owner)
) WITHOUT ROWID;
CREATE INDEX calendar_entries_range ON calendar_entries (employee_id, starts_at, ends_at);

INSERT INTO calendar_entries (employee_id, activity_id, owner, starts_at, ends_at)
    SELECT owner_employee_id, id, 1, starts_at, ends_at FROM activities;
INSERT OR IGNORE INTO calendar_entries (employee_id, activity_id, owner, starts_at, ends_at)
    SELECT p.employee_id, p.activity_id, 0, a.starts_at, a.ends_at
      FROM activity_participants p JOIN activities a ON a.id = p.activity_id
     WHERE p.employee_id IS NOT NULL;

CREATE TRIGGER calendar_entries_of_new_activity AFTER INSERT ON activities BEGIN
    INSERT INTO calendar_entries (employee_id, activity_id, owner, starts_at, ends_at)
    VALUES (NEW.owner_employee_id, NEW.id, 1, NEW.starts_at, NEW.ends_at);
END;
CREATE TRIGGER calendar_entries_follow_times AFTER UPDATE OF starts_at, ends_at ON activities BEGIN
    UPDATE calendar_entries SET starts_at = NEW.starts_at, ends_at = NEW.ends_at
     WHERE activity_id = NEW.id;
END;
CREATE TRIGGER calendar_entries_follow_owner AFTER UPDATE OF owner_employee_id ON activities BEGIN
    UPDATE calendar_entries SET employee_id = NEW.owner_employee_id
     WHERE activity_id = NEW.id AND owner = 1;
END;
CREATE TRIGGER calendar_entries_of_new_participant AFTER INSERT ON activity_participants
WHEN NEW.employee_id IS NOT NULL BEGIN
    INSERT OR IGNORE INTO calendar_entries (employee_id, activity_id, owner, starts_at, ends_at)
    SELECT NEW.employee_id, a.id, 0, a.starts_at, a.ends_at FROM activities a
     WHERE a.id = NEW.activity_id;
END;
CREATE TRIGGER calendar_entries_of_removed_participant AFTER DELETE ON activity_participants
WHEN OLD.employee_id IS NOT NULL BEGIN
    DELETE FROM calendar_entries
     WHERE activity_id = OLD.activity_id AND employee_id = OLD.employee_id AND owner = 0;
END;
CREATE TRIGGER calendar_entries_of_changed_participant AFTER UPDATE OF employee_id, activity_id
ON activity_participants BEGIN
    DELETE FROM calendar_entries
     WHERE activity_id = OLD.activity_id AND employee_id = OLD.employee_id AND owner = 0;
    INSERT OR IGNORE INTO calendar_entries (employee_id, activity_id, owner, starts_at, ends_at)
    SELECT NEW.employee_id, a.id, 0, a.starts_at, a.ends_at FROM activities a
     WHERE a.id = NEW.activity_id AND NEW.employee_id IS NOT NULL;
END;

-- The longest activity bounds how far before a range an overlapping activity can start; this
-- index answers max(ends_at - starts_at) without reading the table.
CREATE INDEX activities_duration ON activities (ends_at - starts_at);

-- Contact search: a trigram index finds a text anywhere in a name, e-mail address or the
-- business partner's name without reading every contact (case-insensitive, also for umlauts).
-- The text of a contact is defined once, in this view; the triggers copy it.
CREATE VIEW contact_search_text (id, body) AS
    SELECT c.id,
           c.first_name || ' ' || c.last_name || char(10) || c.last_name || ' ' || c.first_name
           || char(10) || coalesce(c.email, '') || char(10) || coalesce(b.name, '')
      FROM contacts c LEFT JOIN business_partners b ON b.id = c.business_partner_id;
CREATE VIRTUAL TABLE contact_search USING fts5 (body, tokenize = 'trigram');
INSERT INTO contact_search (rowid, body) SELECT id, body FROM contact_search_text;

CREATE TRIGGER contact_search_of_new_contact AFTER INSERT ON contacts BEGIN
    INSERT INTO contact_search (rowid, body) SELECT id, body FROM contact_search_text
     WHERE id = NEW.id;
END;
CREATE TRIGGER contact_search_of_changed_contact AFTER UPDATE ON contacts BEGIN
    DELETE FROM contact_search WHERE rowid = OLD.id;
    INSERT INTO contact_search (rowid, body) SELECT id, body FROM contact_search_text
     WHERE id = NEW.id;
END;
CREATE TRIGGER contact_search_of_removed_contact AFTER DELETE ON contacts BEGIN
    DELETE FROM contact_search WHERE rowid = OLD.id;
END;
CREATE TRIGGER contact_search_of_renamed_partner AFTER UPDATE OF name ON business_partners BEGIN
    DELETE FROM contact_search
     WHERE rowid IN (SELECT id FROM contacts WHERE business_partner_id = NEW.id);
    INSERT INTO contact_search (rowid, body) SELECT t.id, t.body FROM contact_search_text t
      JOIN contacts c ON c.id = t.id WHERE c.business_partner_id = NEW.id;
END;
