//! HTTP authentication schemes as Chromium's net/http/http_auth* answers them: parsing the
//! challenges (`challenge`), Basic, Digest (`digest`), NTLM (`ntlm`) and Negotiate
//! (`negotiate`: SPNEGO carrying NTLM; `gssapi`: Kerberos through the system's library), the
//! credentials a handshake may use without asking (`ambient`), and a session's remembered
//! answers (`cache`). Nothing here knows whether
//! the asker is a server (401) or a proxy (407): the callers do.

pub mod ambient;
pub mod cache;
pub mod challenge;
pub mod digest;
pub mod gssapi;
pub mod negotiate;
pub mod ntlm;

use base64::Engine;

pub use cache::AuthCache;
pub use challenge::{pick_challenge, Challenge};

/// A user name and password.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// User name (`DOMAIN\user` and `user@domain` name a domain for NTLM).
    pub username: String,
    /// Password (never printed).
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credentials({}, <hidden>)", self.username)
    }
}

/// The schemes we answer, strongest first (Chromium's order: Negotiate, NTLM, Digest, Basic).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scheme {
    /// RFC 4559 (SPNEGO; answered with NTLM inside).
    Negotiate,
    /// MS-NLMP (connection-based; see `ntlm`).
    Ntlm,
    /// RFC 7616.
    Digest,
    /// RFC 7617.
    Basic,
}

impl Scheme {
    /// Electron's lower-case name (`authInfo.scheme`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Negotiate => "negotiate",
            Self::Ntlm => "ntlm",
            Self::Digest => "digest",
            Self::Basic => "basic",
        }
    }

    /// Whether the scheme authenticates a connection in several legs (NTLM, Negotiate)
    /// rather than each request.
    pub fn is_connection_based(self) -> bool {
        matches!(self, Self::Negotiate | Self::Ntlm)
    }

    /// The header word.
    fn word(self) -> &'static str {
        match self {
            Self::Negotiate => "Negotiate",
            Self::Ntlm => "NTLM",
            Self::Digest => "Digest",
            Self::Basic => "Basic",
        }
    }
}

/// Electron's `AuthInfo` for the `login` event.
#[derive(Debug, Clone)]
pub struct AuthInfo {
    /// True for 407.
    pub is_proxy: bool,
    /// `basic`, `digest`, `ntlm` or `negotiate`.
    pub scheme: &'static str,
    /// Host that asked.
    pub host: String,
    /// Its port.
    pub port: u16,
    /// The realm.
    pub realm: String,
}

/// Whether `next` is the next leg of the handshake `previous` began: the server's token
/// answering our first message on the same connection.
pub fn continues(previous: &Challenge, next: &Challenge) -> bool {
    previous.scheme.is_connection_based()
        && previous.scheme == next.scheme
        && previous.token().is_none()
        && next.token().is_some()
}

/// The `Authorization` (or `Proxy-Authorization`) value answering `challenge` for a
/// `method` request to `uri`, the request target as Digest signs it (the path and query,
/// or `host:port` for CONNECT); `nc` counts a Digest nonce's uses. A connection-based
/// challenge without a token is answered with the handshake's first message.
pub fn authorization(
    challenge: &Challenge,
    creds: &Credentials,
    method: &str,
    uri: &str,
    nc: u32,
) -> String {
    let token = match challenge.scheme {
        Scheme::Basic => {
            let raw = format!("{}:{}", creds.username, creds.password);
            base64::engine::general_purpose::STANDARD.encode(raw)
        }
        Scheme::Digest => return digest::authorization(challenge, creds, method, uri, nc),
        Scheme::Ntlm => {
            let answer = challenge
                .token()
                .and_then(|t| ntlm::authenticate(&t, &creds.username, &creds.password));
            b64(&answer.unwrap_or_else(ntlm::negotiate))
        }
        Scheme::Negotiate => {
            let answer = challenge.token().and_then(|t| {
                let type2 = negotiate::inner_token(&t)?;
                let type3 = ntlm::authenticate(&type2, &creds.username, &creds.password)?;
                Some(negotiate::response(&type3))
            });
            b64(&answer.unwrap_or_else(|| negotiate::init(&ntlm::negotiate())))
        }
    };
    format!("{} {token}", challenge.scheme.word())
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The request target Digest signs for a server or a forwarded request: path and query.
pub fn request_uri(url: &url::Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> Credentials {
        Credentials {
            username: "Mufasa".into(),
            password: "Circle Of Life".into(),
        }
    }

    #[test]
    fn basic_and_connection_based_first_legs() {
        let basic = pick_challenge(["Basic realm=\"x\""].into_iter()).unwrap();
        assert_eq!(
            authorization(&basic, &creds(), "GET", "/", 1),
            "Basic TXVmYXNhOkNpcmNsZSBPZiBMaWZl"
        );
        let ntlm = pick_challenge(["NTLM"].into_iter()).unwrap();
        assert!(authorization(&ntlm, &creds(), "GET", "/", 1).starts_with("NTLM TlRMTVNTUAAB"));
        let negotiate = pick_challenge(["Negotiate"].into_iter()).unwrap();
        let first = authorization(&negotiate, &creds(), "GET", "/", 1);
        // A GSS-API InitialContextToken (0x60, 0x40 bytes) offering NTLMSSP.
        assert!(first.starts_with("Negotiate YEAGBisGAQUFAq"), "{first}");
        let second =
            pick_challenge(["Negotiate oRQwEqADCgEBoQsGCSqGSIb3EgECAg=="].into_iter()).unwrap();
        assert!(continues(&negotiate, &second));
        assert!(!continues(&ntlm, &second));
        assert!(!continues(&basic, &basic));
    }
}
