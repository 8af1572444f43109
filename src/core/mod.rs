//! The pure-Rust core of headless-session: sessions, their storage, cookie jars and network
//! stack.
//! Nothing here knows about Node or the binding; `cargo test --no-default-features` builds
//! and tests it alone.

pub mod auth;
pub mod bypass;
pub mod cache;
pub mod client;
pub mod connect;
pub mod cookies;
pub mod download;
pub mod emulation;
pub mod error;
pub mod identity;
pub mod message;
pub mod net_error;
pub mod protocol;
pub mod proxy;
pub mod quoted;
pub mod redact;
pub mod registry;
pub mod resource_type;
pub mod session;
pub mod store;
pub mod time;
pub mod tls;
pub mod warning;
pub mod web_request;
pub mod wildcard;
pub mod window;

pub use error::{Error, Result};
