//! Small helpers shared by the query modules.

use chrono::{DateTime, Utc};

use super::StoreError;

/// The SQL of the name an employee, contact or person is shown by (a lookup's label, a
/// participant, the editor of a history line): first and last name, trimmed so that a missing
/// first name leaves no leading space; NULL when the joined row is missing, so that `coalesce`
/// goes on to the next. `$t` is the table's alias in the query. A macro, so that `concat!` can
/// make it part of a `const` statement.
macro_rules! display_name {
    ($t:literal) => {
        concat!("trim(", $t, ".first_name || ' ' || ", $t, ".last_name)")
    };
}
pub(crate) use display_name;

/// SQLite's "who changed it": the current employee's name (the local workspace has no login).
macro_rules! changed_by {
    () => {
        concat!(
            "(SELECT ",
            $crate::store::sql::display_name!("e"),
            " FROM system_settings s JOIN employees e ON e.id = CAST(s.value AS INTEGER)
              WHERE s.key = 'current_employee_id')"
        )
    };
}
pub(crate) use changed_by;

/// SQLite's stamp of a saved change: the version a later save compares, raised by one, and who
/// changed it when (Unix seconds).
macro_rules! stamp_changed {
    () => {
        concat!(
            "version = version + 1, changed_at = CAST(strftime('%s', 'now') AS INTEGER),
             changed_by = ",
            $crate::store::sql::changed_by!()
        )
    };
}
pub(crate) use stamp_changed;

/// A row of either engine read by column name, so that one mapper per record serves both: the
/// SELECTs name the same columns in SQLite and PostgreSQL.
pub(crate) trait Columns {
    fn col<T>(&self, name: &str) -> Result<T, StoreError>
    where
        T: rusqlite::types::FromSql + for<'a> postgres::types::FromSql<'a>;
}

impl Columns for rusqlite::Row<'_> {
    fn col<T>(&self, name: &str) -> Result<T, StoreError>
    where
        T: rusqlite::types::FromSql + for<'a> postgres::types::FromSql<'a>,
    {
        Ok(self.get(name)?)
    }
}

impl Columns for postgres::Row {
    fn col<T>(&self, name: &str) -> Result<T, StoreError>
    where
        T: rusqlite::types::FromSql + for<'a> postgres::types::FromSql<'a>,
    {
        Ok(self.try_get(name)?)
    }
}

/// A shared mapper's answer as rusqlite's `query_map` and `query_row` take it: a stored value it
/// refuses travels as a conversion failure, as rusqlite's own do.
pub(crate) fn on_sqlite<T>(read: Result<T, StoreError>) -> rusqlite::Result<T> {
    read.map_err(|e| match e {
        StoreError::Sqlite(e) => e,
        other => rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            other.to_string().into(),
        ),
    })
}

/// The stamp of a row read by a SELECT that names `version`, `changed_by` and `changed_at`.
pub(crate) fn stamp(r: &impl Columns) -> Result<crate::crm::model::Stamp, StoreError> {
    Ok(crate::crm::model::Stamp {
        version: r.col("version")?,
        changed_by: r.col("changed_by")?,
        changed_at: r.col("changed_at")?,
    })
}

/// A stored value the mappers do not know (an enum column, a missing owner).
pub(crate) fn corrupt_value(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("invalid {what}: {value}"))
}

/// After an update that changed no row because of `version`: `NotFound` when row `id` of
/// `table` is gone, else `Conflict` naming who changed it last and when (`changed_at`, the
/// column `at`).
pub(crate) fn refused_update(
    conn: &rusqlite::Connection,
    table: &str,
    at: &str,
    kind: crate::crm::model::RecordKind,
    id: i64,
) -> super::Result<()> {
    use rusqlite::OptionalExtension;
    let last = conn
        .query_row(
            &format!("SELECT changed_by, {at} AS changed_at FROM {table} WHERE id = ?1"),
            [id],
            |r| {
                Ok((
                    r.get::<_, Option<String>>("changed_by")?,
                    r.get::<_, i64>("changed_at")?,
                ))
            },
        )
        .optional()?;
    Err(match last {
        None => super::StoreError::NotFound { kind, id },
        Some((changed_by, changed_at)) => super::StoreError::Conflict {
            kind,
            id,
            changed_by,
            changed_at,
        },
    })
}

/// The SQL condition that the name of the row `$t` (first then last, or last then first)
/// matches the LIKE pattern `$p` (escaped with `\`, see [`contains_pattern`]).
macro_rules! name_like {
    ($t:literal, $p:literal) => {
        concat!(
            "(",
            $t,
            ".first_name || ' ' || ",
            $t,
            ".last_name LIKE ",
            $p,
            " ESCAPE '\\' OR ",
            $t,
            ".last_name || ' ' || ",
            $t,
            ".first_name LIKE ",
            $p,
            " ESCAPE '\\')"
        )
    };
}
pub(crate) use name_like;

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

/// Registers `contains_folded(text, needle)` on `conn`: whether `text` contains `needle` ignoring
/// case, umlauts included (SQLite's own LIKE folds ASCII only). `needle` must be lower case
/// already ([`folded`]). Used only in queries, never in the schema, so other tools can still
/// open the database.
pub fn register_functions(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function(
        "contains_folded",
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let text = ctx.get_raw(0).as_str_or_null().unwrap_or_default();
            let needle = ctx.get_raw(1).as_str_or_null().unwrap_or_default();
            Ok(contains_folded(
                text.unwrap_or_default(),
                needle.unwrap_or_default(),
            ))
        },
    )
}

/// `query` trimmed and in lower case, as [`register_functions`]' `contains_folded` wants it.
pub fn folded(query: &str) -> String {
    query.trim().to_lowercase()
}

fn contains_folded(text: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    // Most rows hold ASCII only; then comparing byte-wise, case-insensitively, needs no copy.
    if text.is_ascii() && needle.is_ascii() {
        return text
            .as_bytes()
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()));
    }
    text.to_lowercase().contains(needle)
}

/// Whether `table` has a row with `id`. `table` is always one of ours, never user input.
pub fn exists(conn: &rusqlite::Connection, table: &str, id: i64) -> rusqlite::Result<bool> {
    conn.query_row(
        &format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?1) AS found"),
        [id],
        |r| r.get("found"),
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
    fn folded_containment_ignores_case_also_for_umlauts() {
        assert!(contains_folded("Jörg MÜLLER", &folded(" müller ")));
        assert!(contains_folded("Anna Schmidt", &folded("SCHM")));
        assert!(contains_folded("anything", &folded("")));
        assert!(!contains_folded("Mueller", &folded("müller")));
        assert!(!contains_folded("ab", &folded("abc")));
    }

    #[test]
    fn like_wildcards_in_a_query_are_literal() {
        assert_eq!(contains_pattern(" 50%_a\\ "), "%50\\%\\_a\\\\%");
    }
}
