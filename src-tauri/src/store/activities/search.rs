//! Activities found by a text the user typed.

use rusqlite::{params, Connection};

use super::{from_row, SELECT};
use crate::crm::activity::Activity;
use crate::store::sql::{contains_pattern, display_name};
use crate::store::Result;

/// Activities whose subject, contact or partner contains `query`, newest first. Participants are
/// not loaded: a list does not show them.
pub fn search(conn: &Connection, query: &str, limit: u32) -> Result<Vec<Activity>> {
    let sql = format!(
        "{SELECT} WHERE a.subject LIKE ?1 ESCAPE '\\' OR b.name LIKE ?1 ESCAPE '\\'
            OR {} LIKE ?1 ESCAPE '\\'
         ORDER BY a.starts_at DESC LIMIT ?2",
        display_name!("c")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![contains_pattern(query), limit], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::store::{Db, StoreError};

    #[test]
    fn search_finds_the_subject_and_lists_newest_first() {
        let db = Db::open_in_memory().unwrap();
        db.with(|c| {
            scene(c);

            assert_eq!(search(c, "angebot", 10)?.len(), 1);
            assert_eq!(search(c, "", 10)?.len(), 2);
            assert_eq!(search(c, "", 10)?[0].subject, "Zahnarzt", "newest first");
            Ok::<_, StoreError>(())
        })
        .unwrap();
    }
}
