//! Cookies with Chromium's rules (RFC 6265bis as CookieMonster implements it): sanitising
//! Electron's `set` details, the public suffix list, host-only and domain cookies, Secure
//! and prefix rules, size and count limits with eviction, expiry, change notifications, and
//! persistence through the session's store.

pub mod access;
pub mod change;
pub mod cookie;
pub mod create;
pub mod domain;
pub mod eviction;
pub mod exclusion;
pub mod filter;
pub mod header;
pub mod jar;
pub mod persist;
pub mod removal;

pub use change::{ChangeCause, ChangeListener, ChangeSink, CookieChange};
pub use cookie::{CanonicalCookie, SameSite};
pub use create::SetDetails;
pub use filter::CookieFilter;
pub use jar::CookieJar;

/// Where the request stack gets a session's jar: the session, which opens its storage on
/// first use (so the stack never needs to know what a session is).
pub trait JarSource: Send + Sync {
    /// True once the jar can be had without touching the disk.
    fn is_open(&self) -> bool;
    /// The jar, opening storage first if needed (may block on disk).
    fn jar(&self) -> crate::core::Result<std::sync::Arc<CookieJar>>;
}

#[cfg(test)]
mod tests;
