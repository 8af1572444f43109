//! Wall-clock time as Chromium's cookie code counts it: microseconds since the Unix epoch.

use std::time::{SystemTime, UNIX_EPOCH};

/// Microseconds since the Unix epoch.
pub type Micros = i64;

/// One day in microseconds.
pub const DAY: Micros = 86_400 * 1_000_000;

/// The current wall-clock time.
pub fn now() -> Micros {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_micros() as Micros,
        Err(e) => -(e.duration().as_micros() as Micros),
    }
}

/// Seconds (Electron's `expirationDate` unit, fractional) to microseconds, saturating.
pub fn from_seconds(seconds: f64) -> Micros {
    let micros = seconds * 1_000_000.0;
    if micros >= Micros::MAX as f64 {
        Micros::MAX
    } else if micros <= Micros::MIN as f64 {
        Micros::MIN
    } else {
        micros.round() as Micros
    }
}

/// Microseconds to seconds, as Electron reports `expirationDate`.
pub fn to_seconds(micros: Micros) -> f64 {
    micros as f64 / 1_000_000.0
}

/// A clock that never returns the same instant twice, so that creation times order cookies
/// strictly (Chromium's CookieMonster does the same).
#[derive(Debug, Default)]
pub struct UniqueClock {
    last: Micros,
}

impl UniqueClock {
    /// The current time, or one microsecond past the last one handed out.
    pub fn tick(&mut self) -> Micros {
        self.tick_at(now())
    }

    /// `now` (read by the caller), or one microsecond past the last one handed out.
    pub fn tick_at(&mut self, now: Micros) -> Micros {
        let t = now.max(self.last + 1);
        self.last = t;
        t
    }

    /// Makes sure later times come after `t` (used after loading cookies from disk).
    pub fn observe(&mut self, t: Micros) {
        self.last = self.last.max(t);
    }
}
