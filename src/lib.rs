//! headless-session: Electron's `session` module for plain Node.js. `core` holds all the
//! logic and never names napi; `binding` is the thin napi layer over it.

pub mod core;

#[cfg(feature = "napi")]
mod binding;

/// Allocations cross threads at every step (a body read on a tokio worker is handed to
/// Node's thread and freed there); mimalloc frees them without the arena-lock contention
/// glibc's malloc shows under load (the napi-rs projects' usual choice).
#[cfg(all(feature = "napi", any(not(target_os = "linux"), target_env = "gnu")))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
