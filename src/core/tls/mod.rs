//! TLS for the connect stack: rustls with the system trust store plus bundled roots and
//! `NODE_EXTRA_CA_CERTS`, Electron's `setSSLConfig`, Chromium's certificate error names, and
//! the `setCertificateVerifyProc` hook. Verification runs after the handshake and before any
//! request byte is written, because a JS proc cannot answer inside rustls' synchronous
//! verifier (see `verify`).

pub mod certificate;
pub mod config;
pub mod overrides;
pub mod proc;
pub mod roots;
pub mod verify;

pub use config::{SslConfig, TlsContext};
pub use proc::{VerifyDecision, VerifyProc, VerifyRequest};
