//! Workspaces of a chosen size for the benchmarks: the demo's records and activities,
//! scaled to N activities and M contacts with the same realistic mix (kinds, times of day, meetings
//! with colleagues and contacts), made by the same store functions the app writes with.
//!
//! The density per calendar stays what a salesperson has (about four activities a working day),
//! so a month view shows the same amount at 10,000 and at 1,000,000 activities: what grows is the
//! number of employees and the years covered, which is how a CRM grows.

use chrono::{Datelike, Duration, NaiveDate};
use chrono_tz::Tz;
use fastrand::Rng;

use super::{
    activity, insert_activity, insert_business_partners, insert_contacts, insert_employees,
    insert_persons,
};
use crate::store::{self, Db};

/// Activities per employee and working day.
pub const ACTIVITIES_PER_DAY: usize = 4;
/// Activities per employee: about five years of working days.
const ACTIVITIES_PER_EMPLOYEE: usize = 5_000;
/// The share of working days before `today`; the rest is planned ahead.
const PAST_SHARE: f64 = 0.8;

/// How large a generated workspace is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    pub activities: usize,
    pub contacts: usize,
}

impl Scale {
    /// Enough employees for five opened calendars, then one per 5,000 activities.
    pub fn employees(&self) -> usize {
        (self.activities / ACTIVITIES_PER_EMPLOYEE).clamp(5, 1_000)
    }

    pub fn business_partners(&self) -> usize {
        (self.contacts / 8).max(10)
    }

    pub fn persons(&self) -> usize {
        (self.contacts / 20).max(10)
    }

    /// Working days covered by the activities.
    pub fn working_days(&self) -> usize {
        let per_day = self.employees() * ACTIVITIES_PER_DAY;
        self.activities.div_ceil(per_day).max(1)
    }
}

/// Working days (Monday to Friday) from `first` on, `count` of them.
fn working_days(first: NaiveDate, count: usize) -> impl Iterator<Item = NaiveDate> {
    first
        .iter_days()
        .filter(|d| d.weekday().num_days_from_monday() < 5)
        .take(count)
}

/// The first working day such that `PAST_SHARE` of `count` working days lie before `today`.
fn first_day(today: NaiveDate, count: usize) -> NaiveDate {
    let past = (count as f64 * PAST_SHARE) as usize;
    // Five working days are seven calendar days; step back by weeks, then by single days.
    let mut day = today - Duration::weeks((past / 5) as i64);
    let mut left = past % 5;
    while left > 0 {
        day -= Duration::days(1);
        if day.weekday().num_days_from_monday() < 5 {
            left -= 1;
        }
    }
    day
}

/// Fills the empty database `db` with a workspace of `scale` around `today` in `zone`, the same
/// for the same arguments. `progress` hears the activities written so far now and then. Records
/// go in per transaction of 50,000 activities, so a 1M workspace takes a minute, not an hour.
pub fn generate(
    db: &Db,
    scale: Scale,
    today: NaiveDate,
    zone: Tz,
    mut progress: impl FnMut(usize),
) -> store::Result<()> {
    const BATCH: usize = 50_000;
    let mut rng =
        Rng::with_seed(0x5CA1_E000 ^ scale.activities as u64 ^ (scale.contacts as u64) << 32);
    let now = store::now();
    let (employees, contacts, persons) = db.transaction(|tx| {
        if store::employees::count(tx)? > 0 {
            return Err(store::StoreError::Corrupt(
                "the database already holds records; generate into a new file".into(),
            ));
        }
        let employees = insert_employees(tx, &mut rng, scale.employees())?;
        let partners = insert_business_partners(tx, &mut rng, scale.business_partners())?;
        let contacts = insert_contacts(tx, &mut rng, scale.contacts.max(1), &partners)?;
        let persons = insert_persons(tx, &mut rng, scale.persons())?;
        Ok::<_, store::StoreError>((employees, contacts, persons))
    })?;

    let days = scale.working_days();
    let slots = working_days(first_day(today, days), days)
        .flat_map(|day| {
            employees
                .iter()
                .flat_map(move |&e| std::iter::repeat_n((day, e), ACTIVITIES_PER_DAY))
        })
        .take(scale.activities);
    let mut written = 0;
    let mut batch = Vec::with_capacity(BATCH);
    let mut flush = |batch: &mut Vec<(NaiveDate, i64)>, rng: &mut Rng| {
        db.transaction(|tx| {
            for &(day, owner) in batch.iter() {
                let a = activity(
                    rng, day, zone, owner, &employees, &contacts, &persons, today,
                );
                insert_activity(tx, rng, &a, now)?;
            }
            Ok::<_, store::StoreError>(())
        })?;
        written += batch.len();
        batch.clear();
        progress(written);
        Ok::<_, store::StoreError>(())
    };
    for slot in slots {
        batch.push(slot);
        if batch.len() == BATCH {
            flush(&mut batch, &mut rng)?;
        }
    }
    if !batch.is_empty() {
        flush(&mut batch, &mut rng)?;
    }
    db.with(|c| c.execute_batch("ANALYZE"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{activities, contacts, employees};

    #[test]
    fn a_generated_workspace_has_the_asked_size_and_a_salespersons_density() {
        let db = Db::open_in_memory().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let scale = Scale {
            activities: 3_000,
            contacts: 500,
        };
        let mut heard = Vec::new();
        generate(&db, scale, today, chrono_tz::Europe::Berlin, |n| {
            heard.push(n)
        })
        .unwrap();
        assert_eq!(heard.last(), Some(&3_000));
        db.with(|c| {
            assert_eq!(activities::count(c)?, 3_000);
            assert_eq!(employees::count(c)?, 5, "five calendars to open");
            assert_eq!(contacts::search(c, "", 10_000)?.len(), 500);
            // 600 activities per employee at four a day: 150 working days, 120 of them past.
            let all = activities::search(c, "", 10_000)?;
            let past = all
                .iter()
                .filter(|a| a.starts_at.date_naive() < today)
                .count();
            assert!((2_300..=2_500).contains(&past), "{past} in the past");
            Ok::<_, store::StoreError>(())
        })
        .unwrap();
        // A second run into the same database is refused and adds nothing.
        assert!(generate(&db, scale, today, chrono_tz::Europe::Berlin, |_| ()).is_err());
        assert_eq!(db.with(|c| activities::count(c)).unwrap(), 3_000);
    }

    #[test]
    fn the_first_day_leaves_four_fifths_of_the_working_days_in_the_past() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(); // a Friday
        let first = first_day(today, 100);
        let past = working_days(first, 100).filter(|d| *d < today).count();
        assert_eq!(past, 80);
    }
}
