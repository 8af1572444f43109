//! The napi binding: converts JS values to core types, forwards, and converts results and
//! errors back. No networking or storage logic lives here.

mod cookie_wire;
mod cookies;
mod error;
mod net;
mod net_events;
mod registry;
mod session;
mod tls;
