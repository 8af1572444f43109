//! HTTP authentication (Chromium's HttpAuthController for Basic and Digest): parsing
//! `WWW-Authenticate`/`Proxy-Authenticate`, answering a challenge, and the per-session
//! cache that answers later challenges of the same realm and pre-empts Basic ones.

use std::collections::HashMap;
use std::sync::Mutex;

use base64::Engine;
use md5::Md5;
use sha2::{Digest, Sha256};
use url::Url;

/// A user name and password.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// User name.
    pub username: String,
    /// Password (never printed).
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credentials({}, <hidden>)", self.username)
    }
}

/// The schemes we answer, strongest first (Chromium's order: NTLM, Digest, Basic).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scheme {
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
            Self::Ntlm => "ntlm",
            Self::Digest => "digest",
            Self::Basic => "basic",
        }
    }
}

/// One parsed challenge.
#[derive(Debug, Clone)]
pub struct Challenge {
    /// Its scheme.
    pub scheme: Scheme,
    /// Its parameters, names lower-cased.
    pub params: HashMap<String, String>,
}

impl Challenge {
    /// The realm (empty when none).
    pub fn realm(&self) -> &str {
        self.params.get("realm").map_or("", String::as_str)
    }
}

/// Electron's `AuthInfo` for the `login` event.
#[derive(Debug, Clone)]
pub struct AuthInfo {
    /// True for 407.
    pub is_proxy: bool,
    /// `basic` or `digest`.
    pub scheme: &'static str,
    /// Host that asked.
    pub host: String,
    /// Its port.
    pub port: u16,
    /// The realm.
    pub realm: String,
}

/// The best challenge we can answer among the header values, `None` if none.
pub fn pick_challenge<'a>(values: impl Iterator<Item = &'a str>) -> Option<Challenge> {
    values.flat_map(parse_challenges).min_by_key(|c| c.scheme)
}

/// Parses one header value, which may hold several challenges.
fn parse_challenges(value: &str) -> Vec<Challenge> {
    let mut out = Vec::new();
    let mut rest = value.trim();
    while !rest.is_empty() {
        let (scheme_word, after) = rest.split_once(' ').unwrap_or((rest, ""));
        let scheme_word = scheme_word.trim_end_matches(',');
        let scheme = match scheme_word.to_ascii_lowercase().as_str() {
            "basic" => Some(Scheme::Basic),
            "digest" => Some(Scheme::Digest),
            "ntlm" => Some(Scheme::Ntlm),
            _ => None,
        };
        if scheme == Some(Scheme::Ntlm) {
            // NTLM carries a bare base64 token (the Type 2 message), not parameters.
            let (token, remaining) = after.split_once(',').unwrap_or((after, ""));
            let mut params = HashMap::new();
            if !token.trim().is_empty() {
                params.insert("token".to_owned(), token.trim().to_owned());
            }
            out.push(Challenge {
                scheme: Scheme::Ntlm,
                params,
            });
            rest = remaining.trim_start_matches([',', ' ']);
            continue;
        }
        let (params, remaining) = parse_params(after);
        if let Some(scheme) = scheme {
            out.push(Challenge { scheme, params });
        }
        rest = remaining.trim_start_matches([',', ' ']);
    }
    out
}

/// Parses `k=v, k="v"` pairs until a token that starts a new challenge.
fn parse_params(mut s: &str) -> (HashMap<String, String>, &str) {
    let mut params = HashMap::new();
    loop {
        s = s.trim_start_matches([',', ' ', '\t']);
        let Some(eq) = s.find('=') else {
            return (params, s);
        };
        let key = &s[..eq];
        if key.contains(' ') || key.is_empty() {
            return (params, s);
        }
        let after = &s[eq + 1..];
        let (value, rest) = if let Some(quoted) = after.strip_prefix('"') {
            let mut value = String::new();
            let mut chars = quoted.char_indices();
            let mut end = quoted.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, n)) = chars.next() {
                            value.push(n)
                        }
                    }
                    '"' => {
                        end = i + 1;
                        break;
                    }
                    c => value.push(c),
                }
            }
            (value, &quoted[end..])
        } else {
            let end = after.find(',').unwrap_or(after.len());
            (after[..end].trim().to_owned(), &after[end..])
        };
        params.insert(key.to_ascii_lowercase(), value);
        s = rest;
    }
}

/// The `Authorization` value answering `challenge` for `method` on `url`.
pub fn authorization(
    challenge: &Challenge,
    creds: &Credentials,
    method: &str,
    url: &Url,
    nc: u32,
) -> String {
    match challenge.scheme {
        Scheme::Basic => basic(creds),
        Scheme::Digest => digest(challenge, creds, method, url, nc),
        Scheme::Ntlm => match challenge.params.get("token") {
            Some(token) => super::ntlm::authenticate(token, &creds.username, &creds.password)
                .unwrap_or_else(super::ntlm::negotiate),
            None => super::ntlm::negotiate(),
        },
    }
}

fn basic(creds: &Credentials) -> String {
    let raw = format!("{}:{}", creds.username, creds.password);
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

fn hex_digest(algorithm: &str, data: &str) -> String {
    let bytes: Vec<u8> = if algorithm.starts_with("SHA-256") {
        Sha256::digest(data.as_bytes()).to_vec()
    } else {
        Md5::digest(data.as_bytes()).to_vec()
    };
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn digest(challenge: &Challenge, creds: &Credentials, method: &str, url: &Url, nc: u32) -> String {
    let p = &challenge.params;
    let get = |k: &str| p.get(k).map_or("", String::as_str);
    let algorithm = if get("algorithm").is_empty() {
        "MD5"
    } else {
        get("algorithm")
    };
    let realm = get("realm");
    let nonce = get("nonce");
    let uri = match url.query() {
        Some(q) => format!("{}?{}", url.path(), q),
        None => url.path().to_owned(),
    };
    let cnonce: String = {
        let seed = format!(
            "{:?}{nc}{}",
            std::time::SystemTime::now(),
            std::process::id()
        );
        hex_digest("MD5", &seed)[..16].to_owned()
    };
    let mut ha1 = hex_digest(
        algorithm,
        &format!("{}:{realm}:{}", creds.username, creds.password),
    );
    if algorithm.ends_with("-sess") {
        ha1 = hex_digest(algorithm, &format!("{ha1}:{nonce}:{cnonce}"));
    }
    let ha2 = hex_digest(algorithm, &format!("{method}:{uri}"));
    let qop_auth = get("qop").split(',').any(|q| q.trim() == "auth");
    let nc_text = format!("{nc:08x}");
    let response = if qop_auth {
        hex_digest(
            algorithm,
            &format!("{ha1}:{nonce}:{nc_text}:{cnonce}:auth:{ha2}"),
        )
    } else {
        hex_digest(algorithm, &format!("{ha1}:{nonce}:{ha2}"))
    };
    let mut header = format!(
        "Digest username=\"{}\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{uri}\", algorithm={algorithm}, response=\"{response}\"",
        creds.username
    );
    if !get("opaque").is_empty() {
        header.push_str(&format!(", opaque=\"{}\"", get("opaque")));
    }
    if qop_auth {
        header.push_str(&format!(", qop=auth, nc={nc_text}, cnonce=\"{cnonce}\""));
    }
    header
}

struct CacheEntry {
    origin: String,
    realm: String,
    path: String,
    challenge: Challenge,
    credentials: Credentials,
    nc: u32,
}

/// A session's remembered credentials, by origin and realm.
#[derive(Default)]
pub struct AuthCache {
    entries: Mutex<Vec<CacheEntry>>,
}

fn directory(path: &str) -> &str {
    &path[..path.rfind('/').map_or(0, |i| i + 1)]
}

impl AuthCache {
    /// Remembers credentials that a challenge of `url` was answered with.
    pub fn store(&self, url: &Url, challenge: &Challenge, credentials: &Credentials) {
        let origin = url.origin().ascii_serialization();
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.retain(|e| !(e.origin == origin && e.realm == challenge.realm()));
        entries.push(CacheEntry {
            origin,
            realm: challenge.realm().to_owned(),
            path: directory(url.path()).to_owned(),
            challenge: challenge.clone(),
            credentials: credentials.clone(),
            nc: 1,
        });
    }

    /// Credentials remembered for a challenge's realm on `url`'s origin.
    pub fn lookup(&self, url: &Url, challenge: &Challenge) -> Option<Credentials> {
        let origin = url.origin().ascii_serialization();
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .iter()
            .find(|e| e.origin == origin && e.realm == challenge.realm())
            .map(|e| e.credentials.clone())
    }

    /// Forgets a realm's credentials (they were refused).
    pub fn forget(&self, url: &Url, challenge: &Challenge) {
        let origin = url.origin().ascii_serialization();
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|e| !(e.origin == origin && e.realm == challenge.realm()));
    }

    /// The `Authorization` to send before any challenge: Chromium pre-empts for a path at
    /// or below one that was answered before, reusing the challenge (a Digest nonce counts up).
    pub fn preemptive(&self, url: &Url, method: &str) -> Option<String> {
        let origin = url.origin().ascii_serialization();
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        // NTLM is bound to a connection's handshake: never sent ahead of a challenge.
        let entry = entries.iter_mut().find(|e| {
            e.origin == origin
                && url.path().starts_with(&e.path)
                && e.challenge.scheme != Scheme::Ntlm
        })?;
        entry.nc += 1;
        Some(authorization(
            &entry.challenge,
            &entry.credentials,
            method,
            url,
            entry.nc,
        ))
    }

    /// `ses.clearAuthCache()`.
    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_digest_over_basic_and_parses_params() {
        let c = pick_challenge(
            [
                "Basic realm=\"b\"",
                "Digest realm=\"r, x\", nonce=\"n\", qop=\"auth,auth-int\"",
            ]
            .into_iter(),
        )
        .unwrap();
        assert_eq!(c.scheme, Scheme::Digest);
        assert_eq!(c.realm(), "r, x");
        assert_eq!(c.params["qop"], "auth,auth-int");
        assert!(pick_challenge(["Negotiate abc"].into_iter()).is_none());
    }

    #[test]
    fn digest_matches_rfc_2617_example() {
        // RFC 2617 section 3.5, with a fixed cnonce replaced by checking the no-qop form.
        let mut params = HashMap::new();
        params.insert("realm".to_owned(), "testrealm@host.com".to_owned());
        params.insert(
            "nonce".to_owned(),
            "dcd98b7102dd2f0e8b11d0f600bfb0c093".to_owned(),
        );
        let c = Challenge {
            scheme: Scheme::Digest,
            params,
        };
        let creds = Credentials {
            username: "Mufasa".into(),
            password: "Circle Of Life".into(),
        };
        let url = Url::parse("http://h/dir/index.html").unwrap();
        let header = authorization(&c, &creds, "GET", &url, 1);
        // HA1 = md5(Mufasa:testrealm@host.com:Circle Of Life), HA2 = md5(GET:/dir/index.html)
        assert!(
            header.contains("response=\"670fd8c2df070c60b045671b8b24ff02\""),
            "{header}"
        );
        assert_eq!(basic(&creds), "Basic TXVmYXNhOkNpcmNsZSBPZiBMaWZl");
    }
}
