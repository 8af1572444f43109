//! The core's one error type. Each variant's Display is the message a JS caller sees, so
//! Electron's wording lives here and the binding converts it exactly once.

use std::path::PathBuf;

/// Everything the core can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A caller passed a value of the right type but an unusable shape (a relative path, ...).
    #[error("{0}")]
    InvalidArgument(String),

    /// A cookie was refused; the message is Electron's (`Failed to set cookie - ...`).
    #[error("{0}")]
    CookieRejected(String),

    /// A persistent partition's storage could not be opened.
    #[error("Failed to open the storage of partition '{partition}' at {}: {reason}", path.display())]
    StorageOpen {
        /// The partition string (or path) the session was created with.
        partition: String,
        /// The storage directory.
        path: PathBuf,
        /// Why, in words (for example: in use by another process).
        reason: String,
    },

    /// Reading or writing an already open store failed.
    #[error("Storage failure: {0}")]
    Storage(String),
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<sled::Error> for Error {
    fn from(e: sled::Error) -> Self {
        Error::Storage(e.to_string())
    }
}
