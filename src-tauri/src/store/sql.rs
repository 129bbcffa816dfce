//! Small helpers shared by the query modules.

use chrono::{DateTime, Utc};

use super::StoreError;

/// A LIKE pattern that finds `query` anywhere, with LIKE's own wildcards escaped (use `ESCAPE '\'`).
pub fn contains_pattern(query: &str) -> String {
    let mut p = String::with_capacity(query.len() + 2);
    p.push('%');
    for c in query.trim().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// Whether `table` has a row with `id`. `table` is always one of ours, never user input.
pub fn exists(conn: &rusqlite::Connection, table: &str, id: i64) -> rusqlite::Result<bool> {
    conn.query_row(
        &format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?1)"),
        [id],
        |r| r.get(0),
    )
}

/// Empty strings from a form are stored as NULL.
pub fn blank_to_none(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

pub fn to_datetime(seconds: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp(seconds, 0)
        .ok_or_else(|| StoreError::Corrupt(format!("timestamp {seconds} out of range")))
}

/// Maps an unexpected stored string (an enum column) to a `Corrupt` error inside a row mapper.
pub fn corrupt(what: &str, value: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        format!("invalid {what}: {value}").into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_in_a_query_are_literal() {
        assert_eq!(contains_pattern(" 50%_a\\ "), "%50\\%\\_a\\\\%");
    }
}
