//! Network emulation (`ses.enableNetworkEmulation`), as Chromium DevTools' throttling does
//! it below the HTTP cache: offline fails network requests with
//! `net::ERR_INTERNET_DISCONNECTED` before any socket is opened, latency holds each
//! response head until that long after its request went out, and the throughputs are token
//! buckets that every connection of the session draws from (a session's total, as one link
//! would carry). Connections keep a handle on the session's emulation, so a change applies
//! to requests already running.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What `enableNetworkEmulation` sets; zero throughput or latency means none.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct NetworkConditions {
    /// Every network request fails.
    pub offline: bool,
    /// The least time from a request going out to its response head.
    pub latency: Duration,
    /// Bytes per second read from the session's connections (0: unthrottled).
    pub download: f64,
    /// Bytes per second written to them (0: unthrottled).
    pub upload: f64,
}

/// A session's emulation: its conditions and the two buckets they fill.
#[derive(Debug, Default)]
pub struct Emulation {
    offline: AtomicBool,
    latency_micros: AtomicU64,
    /// Bytes read off the session's connections.
    pub download: TokenBucket,
    /// Bytes written to them.
    pub upload: TokenBucket,
}

impl Emulation {
    /// Applies `conditions` (to requests already running too).
    pub fn set(&self, conditions: NetworkConditions) {
        self.offline.store(conditions.offline, Ordering::Relaxed);
        let micros = u64::try_from(conditions.latency.as_micros()).unwrap_or(u64::MAX);
        self.latency_micros.store(micros, Ordering::Relaxed);
        self.download.set_rate(conditions.download);
        self.upload.set_rate(conditions.upload);
    }

    /// Whether network requests fail as offline.
    pub fn is_offline(&self) -> bool {
        self.offline.load(Ordering::Relaxed)
    }

    /// The least time from a request going out to its response head.
    pub fn latency(&self) -> Duration {
        Duration::from_micros(self.latency_micros.load(Ordering::Relaxed))
    }

    /// Waits until the latency has passed since `sent` (at once without latency).
    pub async fn hold_response(&self, sent: Instant) {
        let latency = self.latency();
        if !latency.is_zero() {
            tokio::time::sleep_until((sent + latency).into()).await;
        }
    }
}

/// What a stream may move now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    /// No throttling: any amount.
    Unlimited,
    /// At most this many bytes (reserved: what is not moved goes back with `refund`).
    Bytes(usize),
    /// Nothing before this long.
    Wait(Duration),
}

/// How much of a second a bucket may hold (the largest burst after a pause).
const BURST: f64 = 0.05;
/// The least a waiting stream waits for: a grant worth about 5 ms, so that a slow link
/// wakes a stream some 200 times a second rather than for every byte.
const QUANTUM: f64 = 0.005;

/// A token bucket of bytes filled at a rate; shared by every stream of a session.
#[derive(Debug)]
pub struct TokenBucket {
    /// Bytes per second as f64 bits; 0 is unlimited.
    rate: AtomicU64,
    /// Tokens, and when they were last counted.
    state: Mutex<(f64, Instant)>,
}

impl Default for TokenBucket {
    fn default() -> Self {
        Self {
            rate: AtomicU64::new(0),
            state: Mutex::new((0.0, Instant::now())),
        }
    }
}

impl TokenBucket {
    /// Sets the rate (bytes per second; 0 lifts the limit), starting from an empty bucket.
    pub fn set_rate(&self, bytes_per_second: f64) {
        let rate = if bytes_per_second.is_finite() && bytes_per_second > 0.0 {
            bytes_per_second
        } else {
            0.0
        };
        *self.state.lock().unwrap_or_else(|p| p.into_inner()) = (0.0, Instant::now());
        self.rate.store(rate.to_bits(), Ordering::Relaxed);
    }

    /// The rate in bytes per second (0: unlimited).
    pub fn rate(&self) -> f64 {
        f64::from_bits(self.rate.load(Ordering::Relaxed))
    }

    /// Reserves up to `want` bytes.
    pub fn reserve(&self, want: usize) -> Grant {
        let rate = self.rate();
        if rate <= 0.0 {
            return Grant::Unlimited;
        }
        let quantum = (rate * QUANTUM).max(1.0);
        let capacity = (rate * BURST).max(quantum);
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let (tokens, last) = *state;
        let tokens = (tokens + rate * now.duration_since(last).as_secs_f64()).min(capacity);
        let needed = quantum.min(want.max(1) as f64);
        if tokens >= needed {
            let granted = (tokens.floor() as usize).min(want).max(1);
            *state = (tokens - granted as f64, now);
            Grant::Bytes(granted)
        } else {
            *state = (tokens, now);
            Grant::Wait(Duration::from_secs_f64((needed - tokens) / rate))
        }
    }

    /// Gives back bytes reserved and not moved.
    pub fn refund(&self, bytes: usize) {
        if bytes > 0 {
            self.state.lock().unwrap_or_else(|p| p.into_inner()).0 += bytes as f64;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grants_at_the_rate_and_waits_in_quanta() {
        let bucket = TokenBucket::default();
        assert_eq!(bucket.reserve(1 << 20), Grant::Unlimited);
        bucket.set_rate(100_000.0);
        // Empty at first: a wait of about one quantum (500 bytes at 100 kB/s = 5 ms).
        match bucket.reserve(1 << 20) {
            Grant::Wait(wait) => assert!(wait <= Duration::from_millis(5), "{wait:?}"),
            other => panic!("{other:?}"),
        }
        std::thread::sleep(Duration::from_millis(20));
        // About 2,000 bytes accumulated (capped at 50 ms' worth).
        match bucket.reserve(1 << 20) {
            Grant::Bytes(n) => assert!((1_900..=5_000).contains(&n), "{n}"),
            other => panic!("{other:?}"),
        }
        bucket.refund(1_000);
        assert_eq!(bucket.reserve(10), Grant::Bytes(10));
        bucket.set_rate(0.0);
        assert_eq!(bucket.reserve(10), Grant::Unlimited);
    }
}
