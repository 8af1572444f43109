//! Chromium's match patterns (extensions' URLPattern with every scheme allowed, as
//! Electron's webRequest filters use it): `<all_urls>`, `scheme://host[:port]/path` with
//! `*` and `*.` host wildcards, `*` in paths, `*` as a scheme meaning http and https, and
//! `scheme:path` for non-standard schemes. Parse errors carry Chromium's sentences.

use url::Url;

use crate::core::wildcard;

/// Why a pattern was refused, in Chromium's words (`GetParseResultString`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternError {
    /// No `://` or `:`.
    MissingSchemeSeparator,
    /// An empty or malformed scheme.
    InvalidScheme,
    /// `://` after a non-standard scheme, or `:` alone after a standard one.
    WrongSchemeSeparator,
    /// Nothing between `://` and the path.
    EmptyHost,
    /// `*` anywhere in the host but as the whole host or a leading `*.`.
    InvalidHostWildcard,
    /// A port that is neither `*` nor a number below 65536.
    InvalidPort,
    /// A host that does not canonicalise.
    InvalidHost,
}

impl PatternError {
    /// Chromium's sentence.
    pub fn message(self) -> &'static str {
        match self {
            Self::MissingSchemeSeparator => "Missing scheme separator.",
            Self::InvalidScheme => "Invalid scheme.",
            Self::WrongSchemeSeparator => "Wrong scheme type.",
            Self::EmptyHost => "Host can not be empty.",
            Self::InvalidHostWildcard => "Invalid host wildcard.",
            Self::InvalidPort => "Invalid port.",
            Self::InvalidHost => "Invalid host.",
        }
    }
}

/// Schemes with an authority (`scheme://host/...`), as url::IsStandard knows them.
fn is_standard(scheme: &str, custom_standard: &[String]) -> bool {
    matches!(
        scheme,
        "*" | "http" | "https" | "ws" | "wss" | "ftp" | "file"
    ) || custom_standard.iter().any(|s| s == scheme)
}

/// A parsed pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlPattern {
    all_urls: bool,
    /// `scheme:path` form: matched against everything after `scheme:`, no host.
    opaque: bool,
    scheme: String,
    host: String,
    match_subdomains: bool,
    port: Option<u16>,
    path: String,
}

impl UrlPattern {
    /// Parses a pattern; `custom_standard` are schemes registered as standard.
    pub fn parse(pattern: &str, custom_standard: &[String]) -> Result<Self, PatternError> {
        if pattern == "<all_urls>" {
            return Ok(Self {
                all_urls: true,
                opaque: false,
                scheme: "*".into(),
                host: String::new(),
                match_subdomains: true,
                port: None,
                path: "/*".into(),
            });
        }
        let (scheme_end, standard_separator) = match pattern.find("://") {
            Some(i) => (i, true),
            None => match pattern.find(':') {
                Some(i) => (i, false),
                None => return Err(PatternError::MissingSchemeSeparator),
            },
        };
        let scheme = pattern[..scheme_end].to_ascii_lowercase();
        let scheme_ok = scheme == "*"
            || (!scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)));
        if !scheme_ok {
            return Err(PatternError::InvalidScheme);
        }
        let standard = is_standard(&scheme, custom_standard);
        if standard != standard_separator {
            return Err(PatternError::WrongSchemeSeparator);
        }
        let rest = &pattern[scheme_end + if standard { 3 } else { 1 }..];
        if rest.is_empty() {
            return Err(PatternError::EmptyHost);
        }
        let mut parsed = Self {
            all_urls: false,
            opaque: !standard,
            scheme,
            host: String::new(),
            match_subdomains: false,
            port: None,
            path: String::new(),
        };
        if !standard {
            parsed.path = rest.to_owned();
            return Ok(parsed);
        }
        if parsed.scheme == "file" {
            parsed.path = match rest.find('/') {
                Some(i) => rest[i..].to_owned(),
                None => format!("/{rest}"),
            };
            return Ok(parsed);
        }
        // No path (`*://example.com`): Chromium refuses it ("Empty path."), and so does
        // Electron since 13; Electron 1.x dropped the whole filter instead, so such listeners
        // saw every request. Here it stands for every path of the host, so that 1.x scripts
        // (Electron's own session.md example has one) run as their authors meant.
        let (host_end, path) = match rest.find('/') {
            Some(i) => (i, &rest[i..]),
            None => (rest.len(), "/*"),
        };
        if host_end == 0 {
            return Err(PatternError::EmptyHost);
        }
        let host_and_port = &rest[..host_end];
        let (host_piece, port) = split_port(host_and_port)?;
        if let Some(port) = port {
            if port != "*" {
                parsed.port = Some(port.parse().map_err(|_| PatternError::InvalidPort)?);
            }
        }
        let mut host = host_piece;
        if host.is_empty() {
            return Err(PatternError::EmptyHost);
        }
        if host == "*" {
            parsed.match_subdomains = true;
            host = "";
        } else if let Some(stripped) = host.strip_prefix("*.") {
            if stripped.is_empty() {
                return Err(PatternError::EmptyHost);
            }
            parsed.match_subdomains = true;
            host = stripped;
        }
        if host.contains('*') {
            return Err(PatternError::InvalidHostWildcard);
        }
        if !host.is_empty() {
            let probe =
                Url::parse(&format!("http://{host}/")).map_err(|_| PatternError::InvalidHost)?;
            parsed.host = probe
                .host_str()
                .ok_or(PatternError::InvalidHost)?
                .to_owned();
        }
        parsed.path = path.to_owned();
        Ok(parsed)
    }

    /// True when `url` matches.
    pub fn matches(&self, url: &Url) -> bool {
        // `<all_urls>` takes every scheme; a `*` scheme only http and https.
        if self.all_urls {
            return true;
        }
        let scheme = url.scheme();
        let scheme_ok = if self.scheme == "*" {
            matches!(scheme, "http" | "https")
        } else {
            scheme == self.scheme
        };
        if !scheme_ok {
            return false;
        }
        if self.opaque {
            // Chromium does not parse a host out of a non-standard URL.
            return wildcard::matches(&self.path, &url.as_str()[scheme.len() + 1..], false);
        }
        if self.scheme != "file" && url.has_host() {
            let host = url.host_str().unwrap_or("").trim_end_matches('.');
            if !self.matches_host(host, url) {
                return false;
            }
            if let Some(port) = self.port {
                if url.port_or_known_default() != Some(port) {
                    return false;
                }
            }
        }
        let path = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        };
        // Chromium's MatchesPath: `/example/*` also matches `/example` itself.
        if self.path.len() == path.len() + 2
            && self.path.starts_with(path.as_str())
            && self.path.ends_with("/*")
        {
            return true;
        }
        wildcard::matches(&self.path, &path, false)
    }

    fn matches_host(&self, host: &str, url: &Url) -> bool {
        let pattern = self.host.trim_end_matches('.');
        if host == pattern || (self.match_subdomains && pattern.is_empty()) {
            return true;
        }
        if !self.match_subdomains
            || matches!(url.host(), Some(url::Host::Ipv4(_) | url::Host::Ipv6(_)))
        {
            return false;
        }
        host.len() > pattern.len() + 1
            && host.ends_with(pattern)
            && host.as_bytes()[host.len() - pattern.len() - 1] == b'.'
    }
}

fn split_port(host_and_port: &str) -> Result<(&str, Option<&str>), PatternError> {
    if let Some(rest) = host_and_port.strip_prefix('[') {
        let end = rest.find(']').ok_or(PatternError::InvalidHost)?;
        if end == 0 {
            return Err(PatternError::EmptyHost);
        }
        let after = &rest[end + 1..];
        return match after.strip_prefix(':') {
            Some(port) => Ok((&host_and_port[..end + 2], Some(port))),
            None if after.is_empty() => Ok((host_and_port, None)),
            None => Err(PatternError::InvalidHost),
        };
    }
    Ok(match host_and_port.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (host_and_port, None),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<UrlPattern, PatternError> {
        UrlPattern::parse(s, &["app".to_owned()])
    }

    fn m(pattern: &str, url: &str) -> bool {
        p(pattern).unwrap().matches(&Url::parse(url).unwrap())
    }

    #[test]
    fn parse_errors_are_chromiums() {
        // Electron 1.x's reading of a pattern without a path: every path of the host.
        assert!(m("*://x.com", "https://x.com/any/path?q"));
        assert!(!m("*://x.com", "https://y.com/"));
        assert_eq!(
            p("nothing").unwrap_err().message(),
            "Missing scheme separator."
        );
        assert_eq!(
            p("*://*x.com/").unwrap_err().message(),
            "Invalid host wildcard."
        );
        assert_eq!(p("*:///").unwrap_err().message(), "Host can not be empty.");
        assert_eq!(p("http:foo").unwrap_err().message(), "Wrong scheme type.");
        assert_eq!(
            p("http:///x").unwrap_err().message(),
            "Host can not be empty."
        );
        assert_eq!(
            p("http://*./x").unwrap_err().message(),
            "Host can not be empty."
        );
        assert_eq!(p("http://x:99999/").unwrap_err().message(), "Invalid port.");
        assert_eq!(
            p("custom://x/").unwrap_err().message(),
            "Wrong scheme type."
        );
        assert_eq!(p("1x://x/").unwrap_err().message(), "Invalid scheme.");
        assert!(p("custom:*").is_ok());
        assert!(p("app://host/*").is_ok());
    }

    #[test]
    fn matching() {
        assert!(m("<all_urls>", "https://a.b/c?d"));
        assert!(m("<all_urls>", "app://x/"));
        assert!(m("*://*.example.com/*", "https://www.example.com/x"));
        assert!(m("*://*.example.com/*", "http://example.com/"));
        assert!(!m("*://*.example.com/*", "http://badexample.com/"));
        assert!(!m("*://*.example.com/*", "ftp://example.com/"));
        assert!(m("http://127.0.0.1:8080/*", "http://127.0.0.1:8080/a"));
        assert!(!m("http://127.0.0.1:8080/*", "http://127.0.0.1:8081/a"));
        assert!(m("http://h/a?b*", "http://h/a?bc"));
        assert!(!m("http://h/a?b", "http://h/aXb"));
        assert!(m("http://h/*/end", "http://h/x/y/end"));
        assert!(m("app://host/*", "app://host/file.txt"));
        assert!(m("custom:*", "custom:anything"));
        assert!(m("custom:*", "custom://host/path"));
        assert!(!m("*://*/*", "app://host/x"));
        assert!(m(
            "http://www.example.com/example/*",
            "http://www.example.com/example"
        ));
        assert!(!m(
            "http://www.example.com/example/*",
            "http://www.example.com/exampl"
        ));
    }
}
