//! One proxy server as Chromium names it: scheme (HTTP, HTTPS, SOCKS4, SOCKS5) or DIRECT,
//! host, port (defaults 80, 443, 1080), and — beyond Chromium — credentials from the URI.
//! Parsed from Chromium's URI form (`socks5://[::1]:1080`) and written in its PAC form
//! (`SOCKS5 [::1]:1080`). Credentials never appear in either output.

use percent_encoding::percent_decode_str;

/// The protocol spoken to a proxy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProxyScheme {
    /// No proxy.
    Direct,
    /// HTTP proxy (absolute-form requests, CONNECT tunnels).
    Http,
    /// HTTP proxy reached over TLS.
    Https,
    /// SOCKS4 (SOCKS4a when the name is resolved by the proxy).
    Socks4,
    /// SOCKS5 (names resolved by the proxy).
    Socks5,
}

/// A proxy (or DIRECT).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ProxyServer {
    /// Its scheme.
    pub scheme: ProxyScheme,
    /// Host name or IP literal (IPv6 without brackets); empty for DIRECT.
    pub host: String,
    /// Port.
    pub port: u16,
    /// User name and password from the URI, if any.
    pub credentials: Option<(String, String)>,
}

impl std::fmt::Debug for ProxyServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The PAC form: never the credentials.
        f.write_str(&self.pac_element())
    }
}

impl ProxyServer {
    /// DIRECT.
    pub fn direct() -> Self {
        Self {
            scheme: ProxyScheme::Direct,
            host: String::new(),
            port: 0,
            credentials: None,
        }
    }

    /// True for DIRECT.
    pub fn is_direct(&self) -> bool {
        self.scheme == ProxyScheme::Direct
    }

    /// True for HTTP and HTTPS proxies (which forward http requests and answer 407s).
    pub fn is_http(&self) -> bool {
        matches!(self.scheme, ProxyScheme::Http | ProxyScheme::Https)
    }

    /// `host:port`, with brackets around IPv6.
    pub fn host_port(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    /// Chromium's PAC result element: `PROXY h:p`, `HTTPS h:p`, `SOCKS h:p`, `SOCKS5 h:p`,
    /// `DIRECT`.
    pub fn pac_element(&self) -> String {
        let keyword = match self.scheme {
            ProxyScheme::Direct => return "DIRECT".to_owned(),
            ProxyScheme::Http => "PROXY",
            ProxyScheme::Https => "HTTPS",
            ProxyScheme::Socks4 => "SOCKS",
            ProxyScheme::Socks5 => "SOCKS5",
        };
        format!("{keyword} {}", self.host_port())
    }

    /// Parses Chromium's URI form with `default_scheme` when none is written. `None` for
    /// something that is not a proxy.
    pub fn parse_uri(text: &str, default_scheme: ProxyScheme) -> Option<Self> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let (scheme, rest) = match text.split_once("://") {
            Some((s, rest)) => (
                match s.to_ascii_lowercase().as_str() {
                    "http" => ProxyScheme::Http,
                    "https" => ProxyScheme::Https,
                    "socks4" => ProxyScheme::Socks4,
                    // `socks://` is SOCKS5, as in Chromium's URI form.
                    "socks" | "socks5" => ProxyScheme::Socks5,
                    "direct" => return rest.is_empty().then(Self::direct),
                    _ => return None,
                },
                rest,
            ),
            None => (default_scheme, text),
        };
        let rest = rest.trim_end_matches('/');
        let (credentials, host_port) = match rest.rsplit_once('@') {
            Some((userinfo, hp)) => {
                let (user, pass) = userinfo.split_once(':').unwrap_or((userinfo, ""));
                let decode = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
                (Some((decode(user), decode(pass))), hp)
            }
            None => (None, rest),
        };
        let (host, port) = split_host_port(host_port)?;
        if host.is_empty() {
            return None;
        }
        let host = canonical_host(host)?;
        let port = match port {
            Some(p) => p,
            None => match scheme {
                ProxyScheme::Http => 80,
                ProxyScheme::Https => 443,
                ProxyScheme::Socks4 | ProxyScheme::Socks5 => 1080,
                ProxyScheme::Direct => 0,
            },
        };
        Some(Self {
            scheme,
            host,
            port,
            credentials,
        })
    }
}

/// A proxy host as Chromium prints it (url::CanonicalizeHost): IPv4 in dotted decimal
/// (`0xA.020.3.4` is `10.16.3.4`), IPv6 compressed (brackets left off), names in lower case
/// and IDNA's ASCII form. `None` for a host that is not one.
fn canonical_host(host: &str) -> Option<String> {
    if host.contains(':') {
        let parsed = url::Host::parse(&format!("[{host}]")).ok()?;
        return matches!(parsed, url::Host::Ipv6(_))
            .then(|| parsed.to_string().trim_matches(['[', ']']).to_owned());
    }
    Some(url::Host::parse(host).ok()?.to_string())
}

/// `value` with `scheme://` in front unless it names a scheme (settings that write a proxy
/// as a bare `host:port` for a known kind of proxy).
pub fn with_scheme(value: &str, scheme: &str) -> String {
    if value.contains("://") {
        value.to_owned()
    } else {
        format!("{scheme}://{value}")
    }
}

/// `host[:port]` with `[v6]` brackets.
fn split_host_port(text: &str) -> Option<(&str, Option<u16>)> {
    if let Some(rest) = text.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        return match after.strip_prefix(':') {
            Some(port) => Some((host, Some(port.parse().ok()?))),
            None if after.is_empty() => Some((host, None)),
            None => None,
        };
    }
    match text.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') => Some((host, Some(port.parse().ok()?))),
        Some(_) => None,
        None => Some((text, None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_and_pac_elements() {
        let p = |s| {
            ProxyServer::parse_uri(s, ProxyScheme::Http)
                .unwrap()
                .pac_element()
        };
        assert_eq!(p("foopy"), "PROXY foopy:80");
        assert_eq!(p("https://secure"), "HTTPS secure:443");
        assert_eq!(p("socks4://s:99"), "SOCKS s:99");
        assert_eq!(p("socks://s"), "SOCKS5 s:1080");
        assert_eq!(p("socks5://[::1]:7"), "SOCKS5 [::1]:7");
        assert_eq!(p("direct://"), "DIRECT");
        let with_user = ProxyServer::parse_uri("http://u%40x:p@h:3", ProxyScheme::Http).unwrap();
        assert_eq!(
            with_user.credentials,
            Some(("u@x".to_owned(), "p".to_owned()))
        );
        assert_eq!(format!("{with_user:?}"), "PROXY h:3");
        assert!(ProxyServer::parse_uri("ftp://x", ProxyScheme::Http).is_none());
        assert!(ProxyServer::parse_uri("h:notaport", ProxyScheme::Http).is_none());
    }

    #[test]
    fn hosts_print_canonically() {
        let p = |s| {
            ProxyServer::parse_uri(s, ProxyScheme::Http)
                .unwrap()
                .pac_element()
        };
        assert_eq!(p("[0:0:0::c009:505]:9"), "PROXY [::c009:505]:9");
        assert_eq!(p("0xA.020.3.4:8"), "PROXY 10.16.3.4:8");
        assert_eq!(p("FooPy"), "PROXY foopy:80");
        assert_eq!(p("bücher.example"), "PROXY xn--bcher-kva.example:80");
        assert!(ProxyServer::parse_uri("a b", ProxyScheme::Http).is_none());
    }
}
