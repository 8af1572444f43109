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
    #[error(
        "Failed to open the storage of partition '{}' at {}: {reason}",
        shorten(partition),
        shorten(&path.display().to_string())
    )]
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

/// At most 200 characters of a name the caller chose, so that a message stays readable
/// whatever was passed (the rest is counted, not echoed).
pub fn shorten(text: &str) -> String {
    const KEEP: usize = 200;
    match text.char_indices().nth(KEEP) {
        None => text.to_owned(),
        Some((cut, _)) => format!("{}… ({} characters)", &text[..cut], text.chars().count()),
    }
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
