//! The pure-Rust core of headless-session: sessions, their storage and their cookie jars.
//! Nothing here knows about Node or the binding; `cargo test --no-default-features` builds
//! and tests it alone.

pub mod cookies;
pub mod error;
pub mod registry;
pub mod session;
pub mod store;
pub mod time;

pub use error::{Error, Result};
