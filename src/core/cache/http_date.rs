//! HTTP dates as browsers read them: every form `Expires` and `Date` come in (lenient, as
//! Chromium's time parsing is), and the one form (IMF-fixdate) the cache's policy is given.

use std::time::{Duration, SystemTime};

/// A date in any of the forms browsers accept in `Expires` (IMF-fixdate, RFC 850, asctime,
/// and their common mistakes: no comma, dashes, one-digit hours, `.` between the time's
/// parts, two-digit years, zone names other than GMT); `None` when a part is missing.
pub fn parse_date_leniently(value: &str) -> Option<SystemTime> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let (mut day, mut month, mut year, mut time) = (None, None, None, None);
    for token in value.split([' ', ',', '-', '\t']).filter(|t| !t.is_empty()) {
        let lower = token.to_ascii_lowercase();
        if let Some(m) = MONTHS.iter().position(|m| lower.starts_with(m)) {
            month.get_or_insert(m as u32 + 1);
        } else if token.contains([':', '.']) {
            let parts: Vec<u32> = token
                .split([':', '.'])
                .map(|p| p.parse().ok())
                .collect::<Option<_>>()?;
            match parts[..] {
                [h, m, s] if h < 24 && m < 60 && s < 61 => time = Some((h, m, s.min(59))),
                [h, m] if h < 24 && m < 60 => time = Some((h, m, 0)),
                _ => return None,
            }
        } else if token.bytes().all(|b| b.is_ascii_digit()) {
            let n: u32 = token.parse().ok()?;
            if token.len() <= 2 && day.is_none() && (1..=31).contains(&n) {
                day = Some(n);
            } else if year.is_none() {
                year = Some(match (token.len(), n) {
                    (1 | 2, n) if n < 70 => 2000 + n,
                    (1 | 2, n) => 1900 + n,
                    (_, n) => n,
                });
            }
        }
    }
    let (day, month, year) = (day?, month?, year?);
    let (h, m, s) = time.unwrap_or((0, 0, 0));
    if !(1970..=9999).contains(&year) {
        return None;
    }
    let days = days_from_civil(year as i64, month, day);
    let seconds = days * 86_400 + (h * 3600 + m * 60 + s) as i64;
    u64::try_from(seconds)
        .ok()
        .map(|s| SystemTime::UNIX_EPOCH + Duration::from_secs(s))
}

/// `time` as an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
pub fn imf_fixdate(time: SystemTime) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let seconds = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0) as i64;
    let (days, of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!(
        "{}, {day:02} {} {year:04} {:02}:{:02}:{:02} GMT",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS[month as usize - 1],
        of_day / 3600,
        of_day / 60 % 60,
        of_day % 60
    )
}

/// The civil date of a day count since 1970-01-01 (the inverse of `days_from_civil`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month as i64 + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day as i64 - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}
