//! headless-session: Electron's `session` module for plain Node.js. `core` holds all the
//! logic and never names napi; `binding` is the thin napi layer over it.

pub mod core;

#[cfg(feature = "napi")]
mod binding;
