//! Contacts ("Ansprechpartner"): people at a business partner.

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::sql::{blank_to_none, folded, on_sqlite, stamp, Columns};
use super::{Result, StoreError};
use crate::crm::model::{Contact, ContactFields, Lookup, RecordKind};

const SELECT: &str = "SELECT c.id AS id, c.business_partner_id AS business_partner_id,
        c.salutation AS salutation, c.first_name AS first_name, c.last_name AS last_name,
        c.position AS position, c.email AS email, c.phone AS phone, c.mobile AS mobile,
        b.name AS business_partner_name, c.version AS version, c.changed_by AS changed_by,
        c.changed_at AS changed_at
    FROM contacts c LEFT JOIN business_partners b ON b.id = c.business_partner_id";

/// The record from a row of [`SELECT`]'s columns, on either engine.
pub(crate) fn read_row(r: &impl Columns) -> Result<Contact> {
    let business_partner_id: Option<i64> = r.col("business_partner_id")?;
    let partner_name: Option<String> = r.col("business_partner_name")?;
    Ok(Contact {
        id: r.col("id")?,
        business_partner: business_partner_id
            .zip(partner_name)
            .map(|(id, label)| Lookup {
                kind: RecordKind::BusinessPartner,
                id,
                label,
            }),
        fields: ContactFields {
            business_partner_id,
            salutation: r.col("salutation")?,
            first_name: r.col("first_name")?,
            last_name: r.col("last_name")?,
            position: r.col("position")?,
            email: r.col("email")?,
            phone: r.col("phone")?,
            mobile: r.col("mobile")?,
        },
        stamp: stamp(r)?,
    })
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Contact> {
    on_sqlite(read_row(r))
}

/// Up to this many hits, the hits found anywhere in the text are all read and sorted by name;
/// beyond, the first this many the trigram index yields (by contact id) are: fifty of more than a
/// thousand hits ask for a narrower search anyway. This bounds a search at 1M contacts to a few milliseconds (docs/benchmarks.md).
const HITS_SORTED_UP_TO: u32 = 1_000;

/// The searched text of a contact, to check a hit of the trigram index. It must say what the view
/// `contact_search_text` (migration 0005) says, which fills that index; a test holds them together.
const SEARCH_TEXT: &str = "c.first_name || ' ' || c.last_name || char(10) || c.last_name || ' '
    || c.first_name || char(10) || coalesce(c.email, '') || char(10) || coalesce(b.name, '')
    || char(10) || char(10)";

/// Contacts for the search text `query`: first those whose last name starts with it, by name;
/// then those whose name, e-mail address or partner's name contains it anywhere (ignoring case,
/// umlauts included), by name.
pub fn search(conn: &Connection, query: &str, limit: u32) -> Result<Vec<Contact>> {
    // FTS5 ends a string at a NUL ("unterminated string"), and no stored field holds one.
    let without_nul;
    let query = if query.contains('\0') {
        without_nul = query.replace('\0', "");
        without_nul.as_str()
    } else {
        query
    };
    let mut found = last_name_starting_with(conn, query.trim(), limit)?;
    if found.len() == limit as usize {
        return Ok(found);
    }
    let more = containing_anywhere(conn, &folded(query), limit)?;
    for contact in more {
        if found.len() == limit as usize {
            break;
        }
        if !found.iter().any(|f| f.id == contact.id) {
            found.push(contact);
        }
    }
    Ok(found)
}

/// The contacts whose text contains `needle` (folded) anywhere, by name.
fn containing_anywhere(conn: &Connection, needle: &str, limit: u32) -> Result<Vec<Contact>> {
    if needle.chars().count() >= 3 {
        containing(conn, needle, limit)
    } else {
        containing_short(conn, needle, limit)
    }
}

/// The contacts whose text contains `needle` (folded, one or two characters), by name; as with
/// longer texts, the first [`HITS_SORTED_UP_TO`] found are sorted. The trigram index cannot be
/// asked for so short a text, but its sorted list of terms can: every occurrence begins a trigram
/// (the indexed text ends in two line breaks), so the terms from `needle` on up to the last that
/// begins with it name every contact holding it. A rare text ("qx") reads its few contacts, a
/// common one ("e") stops after the first thousand: neither reads every contact.
fn containing_short(conn: &Connection, needle: &str, limit: u32) -> Result<Vec<Contact>> {
    let from_terms = SELECT.replacen(
        "FROM contacts c",
        "FROM (SELECT DISTINCT doc FROM contact_search_terms
                WHERE term >= ?1 AND term < ?2 LIMIT ?3) k
              JOIN contacts c ON c.id = k.doc",
        1,
    );
    let sql = format!(
        "{from_terms} WHERE contains_folded({SEARCH_TEXT}, ?4)
         ORDER BY c.last_name COLLATE NOCASE, c.first_name COLLATE NOCASE LIMIT ?5"
    );
    // U+10FFFF sorts after every character a term can continue with.
    let end = format!("{needle}\u{10FFFF}");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        params![needle, end, HITS_SORTED_UP_TO, needle, limit],
        from_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A range of the name index: the contacts whose last name starts with `prefix`, by name.
fn last_name_starting_with(conn: &Connection, prefix: &str, limit: u32) -> Result<Vec<Contact>> {
    let sql = format!(
        "{SELECT} WHERE c.last_name >= ?1 COLLATE NOCASE AND c.last_name < ?2 COLLATE NOCASE
         ORDER BY c.last_name COLLATE NOCASE, c.first_name COLLATE NOCASE LIMIT ?3"
    );
    // U+10FFFF sorts after every character a name can continue with.
    let end = format!("{prefix}\u{10FFFF}");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![prefix, end, limit], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The contacts whose text contains `needle` (folded, three characters or more), by name. The
/// trigram index is asked for the needle's rarest trigrams (up to four), whose lists are short
/// even where others (".ex", "er ") are in every row; each hit is checked for the whole needle as it comes,
/// and the first [`HITS_SORTED_UP_TO`] checked hits are sorted.
fn containing(conn: &Connection, needle: &str, limit: u32) -> Result<Vec<Contact>> {
    let query = rarest_trigrams(conn, needle, 4)?
        .iter()
        .map(|t| phrase(t))
        .collect::<Vec<_>>()
        .join(" AND ");
    let from_index = SELECT.replacen(
        "FROM contacts c",
        "FROM contact_search s JOIN contacts c ON c.id = s.rowid",
        1,
    );
    let sql = format!(
        "SELECT * FROM ({from_index}
                        WHERE contact_search MATCH ?1 AND contains_folded({SEARCH_TEXT}, ?2)
                        LIMIT ?4)
         ORDER BY last_name COLLATE NOCASE, first_name COLLATE NOCASE LIMIT ?3"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![query, needle, limit, HITS_SORTED_UP_TO], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many contacts each trigram is sampled in: [`SAMPLE_WINDOWS`] runs of [`SAMPLE_WINDOW`]
/// consecutive ids spread over all of them. Reading a trigram's list in a few short id ranges
/// costs a few seeks, however long the list is.
const SAMPLE_WINDOWS: i64 = 8;
const SAMPLE_WINDOW: i64 = 128;
/// A trigram sampled in more contacts than this (a quarter) narrows the search too little to be
/// worth reading its list beside a rarer one's.
const DENSE_IN_SAMPLE: u32 = (SAMPLE_WINDOWS * SAMPLE_WINDOW / 4) as u32;

/// Up to `n` trigrams of `needle` that the fewest contacts hold, rarest first: the rarest always,
/// the others only where they are not in most contacts. Each is sampled across the contacts (a
/// count up to [`HITS_SORTED_UP_TO`] cannot tell ".ex", in every contact, from "-10", in one of
/// ten, and an AND with the list of ".ex" reads a million entries); trigrams the sample does not
/// meet are counted, up to [`HITS_SORTED_UP_TO`] only.
fn rarest_trigrams(conn: &Connection, needle: &str, n: usize) -> Result<Vec<String>> {
    let (first, last): (Option<i64>, Option<i64>) = conn.query_row(
        // Two subqueries: SQLite reads min() or max() alone from an end of the table's b-tree,
        // but both in one select by scanning every row.
        "SELECT (SELECT min(id) FROM contacts) AS first, (SELECT max(id) FROM contacts) AS last",
        [],
        |r| Ok((r.get("first")?, r.get("last")?)),
    )?;
    let (first, step) = (
        first.unwrap_or(0),
        (last.unwrap_or(0) - first.unwrap_or(0)) / SAMPLE_WINDOWS,
    );
    let windows: Vec<String> = (0..SAMPLE_WINDOWS)
        .map(|k| {
            format!(
                "(SELECT count(*) FROM contact_search WHERE contact_search MATCH ?1
                    AND rowid >= ?2 + {k} * ?3 AND rowid < ?2 + {k} * ?3 + {SAMPLE_WINDOW})"
            )
        })
        .collect();
    let mut sample = conn.prepare_cached(&format!("SELECT {} AS hits", windows.join(" + ")))?;
    let mut count = conn.prepare_cached(
        "SELECT count(*) AS hits FROM (SELECT 1 FROM contact_search
                                         WHERE contact_search MATCH ?1 LIMIT ?2)",
    )?;
    let chars: Vec<char> = needle.chars().collect();
    let mut counted: Vec<(u32, u32, String)> = Vec::new();
    for window in chars.windows(3) {
        let trigram: String = window.iter().collect();
        if counted.iter().any(|(_, _, t)| *t == trigram) {
            continue;
        }
        let sampled: u32 =
            sample.query_row(params![phrase(&trigram), first, step], |r| r.get("hits"))?;
        let hits: u32 = if sampled == 0 {
            count.query_row(params![phrase(&trigram), HITS_SORTED_UP_TO + 1], |r| {
                r.get("hits")
            })?
        } else {
            HITS_SORTED_UP_TO + 1
        };
        counted.push((sampled, hits, trigram));
    }
    counted.sort();
    Ok(counted
        .into_iter()
        .enumerate()
        .filter(|(i, (sampled, _, _))| *i == 0 || *sampled <= DENSE_IN_SAMPLE)
        .take(n)
        .map(|(_, (_, _, t))| t)
        .collect())
}

/// `text` as an FTS5 string, matched literally.
fn phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The contacts of one business partner.
pub fn of_business_partner(conn: &Connection, business_partner_id: i64) -> Result<Vec<Contact>> {
    let sql = format!(
        "{SELECT} WHERE c.business_partner_id = ?1
         ORDER BY c.last_name COLLATE NOCASE, c.first_name COLLATE NOCASE"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([business_partner_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get(conn: &Connection, id: i64) -> Result<Contact> {
    conn.query_row(&format!("{SELECT} WHERE c.id = ?1"), [id], from_row)
        .optional()?
        .ok_or(StoreError::NotFound {
            kind: RecordKind::Contact,
            id,
        })
}

const INSERT: &str = concat!(
    "INSERT INTO contacts (id, business_partner_id, salutation, first_name,
        last_name, position, email, phone, mobile, changed_at, changed_by)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, CAST(strftime('%s', 'now') AS INTEGER), ",
    super::sql::changed_by!(),
    ")"
);
/// `?10` is the version the caller read.
const UPDATE: &str = concat!(
    "UPDATE contacts SET business_partner_id = ?2, salutation = ?3,
        first_name = ?4, last_name = ?5, position = ?6, email = ?7, phone = ?8, mobile = ?9,
        version = version + 1, changed_at = CAST(strftime('%s', 'now') AS INTEGER),
        changed_by = ",
    super::sql::changed_by!(),
    " WHERE id = ?1 AND version = ?10"
);

/// Runs INSERT (id NULL: a new row id) or UPDATE with the fields as ?2...; returns the rows changed.
fn write(conn: &Connection, sql: &str, id: Option<i64>, f: &ContactFields) -> Result<usize> {
    Ok(conn.execute(
        sql,
        params![
            id,
            f.business_partner_id,
            blank_to_none(&f.salutation),
            f.first_name.trim(),
            f.last_name.trim(),
            blank_to_none(&f.position),
            blank_to_none(&f.email),
            blank_to_none(&f.phone),
            blank_to_none(&f.mobile)
        ],
    )?)
}

pub fn insert(conn: &Connection, f: &ContactFields) -> Result<i64> {
    write(conn, INSERT, None, f)?;
    Ok(conn.last_insert_rowid())
}

/// Saves `f` over contact `id` if it is still at `version` (the one the caller read): else
/// nothing changes and the answer is `Conflict` (or `NotFound` when it is gone).
pub fn update(conn: &Connection, id: i64, version: i64, f: &ContactFields) -> Result<()> {
    let changed = conn.execute(
        UPDATE,
        params![
            id,
            f.business_partner_id,
            blank_to_none(&f.salutation),
            f.first_name.trim(),
            f.last_name.trim(),
            blank_to_none(&f.position),
            blank_to_none(&f.email),
            blank_to_none(&f.phone),
            blank_to_none(&f.mobile),
            version
        ],
    )?;
    if changed == 0 {
        return super::sql::refused_update(conn, "contacts", "changed_at", RecordKind::Contact, id);
    }
    Ok(())
}

pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    let changed = conn.execute("DELETE FROM contacts WHERE id = ?1", [id])?;
    found(changed, id)
}

fn found(changed: usize, id: i64) -> Result<()> {
    if changed == 0 {
        return Err(StoreError::NotFound {
            kind: RecordKind::Contact,
            id,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{business_partners, Db};

    fn names(found: &[Contact]) -> Vec<String> {
        found
            .iter()
            .map(|c| format!("{} {}", c.fields.first_name, c.fields.last_name))
            .collect()
    }

    /// Both ways of searching (the trigram index's hits, sorted; the walk in name order) give the
    /// same contacts in the same order, and the index follows every change of a contact or its
    /// partner's name.
    #[test]
    fn the_index_hits_and_reading_every_contact_agree_and_follow_changes() {
        let db = Db::open_in_memory().unwrap();
        db.with(|c| {
            let partner = business_partners::insert(
                c,
                &business_partners::tests::fields("Bäckerei Jürgens KG", "Köln"),
            )?;
            let people = [
                ("Jörg", "Müller", Some("joerg@baeckerei.example")),
                ("Anna", "MÜLLERSTEIN", None),
                ("Lena", "Vogel", Some("lena@vogel.example")),
                ("Ben", "Amann", Some("ben.amann@contoso.example")),
            ];
            let mut ids = Vec::new();
            for (first, last, email) in people {
                ids.push(insert(
                    c,
                    &ContactFields {
                        business_partner_id: Some(partner),
                        first_name: first.into(),
                        last_name: last.into(),
                        email: email.map(Into::into),
                        ..Default::default()
                    },
                )?);
            }
            // The index's hits, checked, agree with reading every contact, for texts of any
            // length and also at the very end of a contact's text (the partner's "KG").
            for query in [
                "müller",
                "MÜLL",
                "jürgens",
                "mann",
                "vogel.ex",
                "örg mü",
                "nobody",
                "ller\nmü",
                "kg",
                "G",
                "ü",
                "@",
                "q",
                "mx",
            ] {
                let needle = folded(query);
                let mut every: Vec<String> = c
                    .prepare(&format!(
                        "{SELECT} WHERE contains_folded({SEARCH_TEXT}, ?1)"
                    ))?
                    .query_map([&needle], from_row)?
                    .map(|r| r.map(|c| c.fields.last_name))
                    .collect::<rusqlite::Result<_>>()?;
                let mut hits: Vec<String> = containing_anywhere(c, &needle, 50)?
                    .into_iter()
                    .map(|c| c.fields.last_name)
                    .collect();
                every.sort();
                hits.sort();
                assert_eq!(hits, every, "query {query:?}");
            }
            // Last names starting with the text come first, then the rest by name.
            assert_eq!(
                names(&search(c, "@", 50)?).len(),
                3,
                "one character: found anywhere, like any other text"
            );
            let short = names(&search(c, "mü", 50)?);
            assert_eq!(short[0], "Jörg Müller", "a last name's start comes first");
            assert_eq!(short.len(), 2, "then the rest: {short:?}");
            assert_eq!(names(&search(c, "Amann", 50)?), ["Ben Amann"]);
            assert_eq!(names(&search(c, "mann", 50)?), ["Ben Amann"]);
            let mut found = names(&search(c, "müller", 50)?);
            found.sort();
            assert_eq!(
                found,
                ["Anna MÜLLERSTEIN", "Jörg Müller"],
                "umlauts in any case"
            );
            assert_eq!(
                names(&search(c, "jürgens", 50)?).len(),
                4,
                "by the partner's name"
            );

            // A renamed contact, a renamed partner, a deleted contact.
            update(
                c,
                ids[2],
                get(c, ids[2])?.stamp.version,
                &ContactFields {
                    business_partner_id: Some(partner),
                    first_name: "Lena".into(),
                    last_name: "Fink".into(),
                    ..Default::default()
                },
            )?;
            assert!(search(c, "vogel", 50)?.is_empty());
            assert_eq!(names(&search(c, "fink", 50)?), ["Lena Fink"]);
            business_partners::update(
                c,
                partner,
                1,
                &business_partners::tests::fields("Konditorei Adler", "Köln"),
            )?;
            assert!(search(c, "jürgens", 50)?.is_empty());
            assert_eq!(search(c, "konditorei", 50)?.len(), 4);
            delete(c, ids[0])?;
            assert_eq!(names(&search(c, "müller", 50)?), ["Anna MÜLLERSTEIN"]);
            Ok::<_, crate::store::StoreError>(())
        })
        .unwrap();
    }

    /// More contacts than a search sorts ("Kunde Nummer 0" ...), with the e-mail address
    /// `email(i)` each.
    fn more_customers_than_are_sorted(
        c: &Connection,
        email: impl Fn(u32) -> String,
    ) -> crate::store::Result<()> {
        for i in 0..HITS_SORTED_UP_TO + 100 {
            insert(
                c,
                &ContactFields {
                    first_name: "Kunde".into(),
                    last_name: format!("Nummer {i}"),
                    email: Some(email(i)),
                    ..Default::default()
                },
            )?;
        }
        Ok(())
    }

    /// One or two characters that one contact among many holds are found, wherever they stand
    /// (also as the last characters of its text, the partner's name), while a text most contacts
    /// hold fills the page.
    #[test]
    fn a_rare_short_text_is_found_among_many_contacts() {
        let db = Db::open_in_memory().unwrap();
        db.transaction(|c| {
            more_customers_than_are_sorted(c, |i| format!("kunde{i}@example.com"))?;
            let partner = business_partners::insert(
                c,
                &business_partners::tests::fields("Firma XQ", "Köln"),
            )?;
            insert(
                c,
                &ContactFields {
                    business_partner_id: Some(partner),
                    first_name: "Åsa".into(),
                    last_name: "Berg".into(),
                    ..Default::default()
                },
            )?;
            Ok::<_, crate::store::StoreError>(())
        })
        .unwrap();
        db.with(|c| {
            assert_eq!(names(&search(c, "å", 50)?), ["Åsa Berg"], "one letter");
            assert_eq!(names(&search(c, "SA", 50)?), ["Åsa Berg"], "two letters");
            assert_eq!(names(&search(c, "xq", 50)?), ["Åsa Berg"], "at the end");
            assert_eq!(
                search(c, "e", 50)?.len(),
                50,
                "a common letter fills the page"
            );
            Ok::<_, crate::store::StoreError>(())
        })
        .unwrap();
    }

    /// The trigrams the search reads are the rare ones of the text: one in most contacts (".ex")
    /// is left out however many contacts the count of rare ones stops at, while the rarest is
    /// always read.
    #[test]
    fn the_search_reads_the_rare_trigrams_of_a_text_not_the_common_ones() {
        let db = Db::open_in_memory().unwrap();
        db.transaction(|c| {
            more_customers_than_are_sorted(c, |i| format!("k{i}@firma-{}.example", i % 10))?;
            Ok::<_, crate::store::StoreError>(())
        })
        .unwrap();
        db.with(|c| {
            // "a-3", "-3." and "3.e" are in a tenth of the contacts, ".ex" in all.
            let mut read = rarest_trigrams(c, "a-3.ex", 4)?;
            read.sort();
            assert_eq!(read, ["-3.", "3.e", "a-3"]);
            assert_eq!(
                rarest_trigrams(c, ".ex", 4)?,
                [".ex"],
                "the only one is read"
            );
            assert_eq!(
                search(c, "a-3.ex", 200)?.len(),
                (HITS_SORTED_UP_TO as usize + 100) / 10
            );
            Ok::<_, crate::store::StoreError>(())
        })
        .unwrap();
    }

    /// A text whose every trigram is in more rows than the search sorts, but which itself is in
    /// one contact only, is still found: hits are checked before they are counted.
    #[test]
    fn a_rare_text_made_of_common_trigrams_is_found() {
        let db = Db::open_in_memory().unwrap();
        db.transaction(|c| {
            more_customers_than_are_sorted(c, |i| format!("wxyq.qxyz{i}@example.com"))?;
            insert(
                c,
                &ContactFields {
                    first_name: "Lena".into(),
                    last_name: "Zander".into(),
                    email: Some("wxyz@example.com".into()),
                    ..Default::default()
                },
            )?;
            Ok::<_, crate::store::StoreError>(())
        })
        .unwrap();
        db.with(|c| {
            assert_eq!(names(&search(c, "WXYZ", 50)?), ["Lena Zander"]);
            assert_eq!(
                search(c, "qxyz", 50)?.len(),
                50,
                "a common text fills the page"
            );
            Ok::<_, crate::store::StoreError>(())
        })
        .unwrap();
    }
}
