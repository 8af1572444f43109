//! The core's one error type, in reqwest's shape: a kind with `is_*` predicates, the
//! Chromium net error when there is one, the URL it concerns (never its credentials) and a
//! stable `code`. Each variant's Display is the message a JS caller sees, so Electron's
//! wording lives here and the binding converts it exactly once.

use std::path::PathBuf;

use url::Url;

use crate::core::net_error::NetError;

/// Everything the core can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A network failure, as Chromium names it (`net::ERR_CONNECTION_REFUSED`).
    #[error("{error}")]
    Net {
        /// Chromium's error.
        #[source]
        error: NetError,
        /// The URL the request was for, without userinfo.
        url: Option<Box<Url>>,
    },

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

/// What kind of failure an `Error` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The network (a `NetError`).
    Net,
    /// An argument the core cannot use.
    InvalidArgument,
    /// A cookie the jar refused.
    CookieRejected,
    /// Storage that would not open, read or write.
    Storage,
}

impl Error {
    /// A network failure concerning `url` (its userinfo is dropped).
    pub fn net(error: NetError, url: Option<&Url>) -> Self {
        let url = url.map(|url| {
            let mut url = url.clone();
            let _ = url.set_username("");
            let _ = url.set_password(None);
            Box::new(url)
        });
        Self::Net { error, url }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> Kind {
        match self {
            Self::Net { .. } => Kind::Net,
            Self::InvalidArgument(_) => Kind::InvalidArgument,
            Self::CookieRejected(_) => Kind::CookieRejected,
            Self::StorageOpen { .. } | Self::Storage(_) => Kind::Storage,
        }
    }

    /// True for network failures.
    pub fn is_net(&self) -> bool {
        self.kind() == Kind::Net
    }

    /// True for arguments the core cannot use.
    pub fn is_invalid_argument(&self) -> bool {
        self.kind() == Kind::InvalidArgument
    }

    /// True for cookies the jar refused.
    pub fn is_cookie_rejected(&self) -> bool {
        self.kind() == Kind::CookieRejected
    }

    /// True for storage failures.
    pub fn is_storage(&self) -> bool {
        self.kind() == Kind::Storage
    }

    /// Chromium's error, for network failures.
    pub fn net_error(&self) -> Option<NetError> {
        match self {
            Self::Net { error, .. } => Some(*error),
            _ => None,
        }
    }

    /// The URL a network failure concerns, without userinfo.
    pub fn url(&self) -> Option<&Url> {
        match self {
            Self::Net { url, .. } => url.as_deref(),
            _ => None,
        }
    }

    /// The stable `code` JS sees: Chromium's name for network failures
    /// (`ERR_CONNECTION_REFUSED`), one of ours otherwise.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Net { error, .. } => error.name(),
            Self::InvalidArgument(_) => "ERR_INVALID_ARGUMENT",
            Self::CookieRejected(_) => "ERR_COOKIE_REJECTED",
            Self::StorageOpen { .. } => "ERR_STORAGE_OPEN_FAILED",
            Self::Storage(_) => "ERR_STORAGE_FAILED",
        }
    }
}

impl From<NetError> for Error {
    fn from(error: NetError) -> Self {
        Self::Net { error, url: None }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_net_error_keeps_chromium_s_name_and_drops_credentials() {
        let url = Url::parse("https://user:secret@example.com/a").unwrap();
        let error = Error::net(NetError::ConnectionRefused, Some(&url));
        assert_eq!(error.to_string(), "net::ERR_CONNECTION_REFUSED");
        assert_eq!(error.code(), "ERR_CONNECTION_REFUSED");
        assert!(error.is_net() && !error.is_storage());
        assert_eq!(error.net_error(), Some(NetError::ConnectionRefused));
        assert_eq!(error.url().unwrap().as_str(), "https://example.com/a");
        let source = std::error::Error::source(&error).unwrap();
        assert_eq!(source.to_string(), "net::ERR_CONNECTION_REFUSED");
    }

    #[test]
    fn every_kind_has_a_stable_code() {
        assert_eq!(
            Error::InvalidArgument("x".into()).code(),
            "ERR_INVALID_ARGUMENT"
        );
        assert_eq!(
            Error::CookieRejected("x".into()).code(),
            "ERR_COOKIE_REJECTED"
        );
        assert_eq!(Error::Storage("x".into()).code(), "ERR_STORAGE_FAILED");
        assert!(Error::Storage("x".into()).is_storage());
        assert!(Error::CookieRejected("x".into()).is_cookie_rejected());
    }
}
