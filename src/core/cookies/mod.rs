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

pub use change::{ChangeCause, ChangeListener, ChangeSink, CookieChange};
pub use cookie::{CanonicalCookie, SameSite};
pub use create::SetDetails;
pub use filter::CookieFilter;
pub use jar::CookieJar;

#[cfg(test)]
mod tests;
