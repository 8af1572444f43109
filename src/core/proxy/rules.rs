//! Chromium's `proxyRules` grammar (ProxyConfig::ProxyRules::ParseFromString): one list for
//! every URL (`foopy:80,bar,direct://`), or lists per URL scheme (`http=a;https=b;ftp=c`) with
//! `socks=` as the fallback for the others (SOCKS4 unless a scheme is written).

use super::server::{ProxyScheme, ProxyServer};
use crate::core::redact;

/// Parsed rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProxyRules {
    single: Option<Vec<ProxyServer>>,
    http: Option<Vec<ProxyServer>>,
    https: Option<Vec<ProxyServer>>,
    ftp: Option<Vec<ProxyServer>>,
    fallback: Option<Vec<ProxyServer>>,
}

fn parse_list(text: &str, default_scheme: ProxyScheme) -> Result<Vec<ProxyServer>, String> {
    let list: Vec<ProxyServer> = text
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            ProxyServer::parse_uri(s, default_scheme)
                .ok_or_else(|| format!("Invalid proxy server '{}'", redact::userinfo(s)))
        })
        .collect::<Result<_, _>>()?;
    Ok(list)
}

impl ProxyRules {
    /// Parses the rules as Chromium's ParseFromString: a first entry without `=` is the one
    /// list for every URL (the rest is not read); once an entry names a scheme, entries
    /// without one are skipped, and schemes other than http, https, ftp and socks are
    /// dropped. A proxy that does not parse is an error (nothing is applied).
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut rules = Self::default();
        let mut per_scheme = false;
        for entry in text.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            match entry.split_once('=') {
                None if per_scheme => continue,
                None => {
                    rules.single = Some(parse_list(entry, ProxyScheme::Http)?);
                    return Ok(rules);
                }
                Some((scheme, list)) => {
                    per_scheme = true;
                    let scheme = scheme.trim().to_ascii_lowercase();
                    let (slot, default) = match scheme.as_str() {
                        "http" => (&mut rules.http, ProxyScheme::Http),
                        "https" => (&mut rules.https, ProxyScheme::Http),
                        "ftp" => (&mut rules.ftp, ProxyScheme::Http),
                        "socks" => (&mut rules.fallback, ProxyScheme::Socks4),
                        _ => continue,
                    };
                    slot.get_or_insert_with(Vec::new)
                        .extend(parse_list(list, default)?);
                }
            }
        }
        Ok(rules)
    }

    /// True when no rule was given (every URL goes direct).
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The list for a URL scheme; empty means DIRECT. As Chromium's MapUrlSchemeToProxyList:
    /// the scheme's own list when it has proxies, else for `ws`/`wss` the socks, then https,
    /// then http list (RFC 6455 section 4.1.3), else the socks list.
    pub fn for_scheme(&self, scheme: &str) -> &[ProxyServer] {
        fn non_empty(list: &Option<Vec<ProxyServer>>) -> Option<&[ProxyServer]> {
            list.as_deref().filter(|l| !l.is_empty())
        }
        if let Some(single) = &self.single {
            return single;
        }
        let specific = match scheme {
            "http" => non_empty(&self.http),
            "https" => non_empty(&self.https),
            "ftp" => non_empty(&self.ftp),
            "ws" | "wss" => non_empty(&self.fallback)
                .or_else(|| non_empty(&self.https))
                .or_else(|| non_empty(&self.http)),
            _ => None,
        };
        specific
            .or_else(|| non_empty(&self.fallback))
            .unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pac(rules: &ProxyRules, scheme: &str) -> String {
        let list = rules.for_scheme(scheme);
        if list.is_empty() {
            return "DIRECT".into();
        }
        list.iter()
            .map(ProxyServer::pac_element)
            .collect::<Vec<_>>()
            .join(";")
    }

    #[test]
    fn grammar() {
        let r = ProxyRules::parse("foopy:80,bar,direct://").unwrap();
        assert_eq!(pac(&r, "https"), "PROXY foopy:80;PROXY bar:80;DIRECT");
        let r = ProxyRules::parse("http=a:1;https=https://b;ftp=c;socks=d").unwrap();
        assert_eq!(pac(&r, "http"), "PROXY a:1");
        assert_eq!(pac(&r, "https"), "HTTPS b:443");
        assert_eq!(pac(&r, "ftp"), "PROXY c:80");
        assert_eq!(pac(&r, "app"), "SOCKS d:1080");
        let r = ProxyRules::parse("http=a").unwrap();
        assert_eq!(pac(&r, "https"), "DIRECT");
        let r = ProxyRules::parse("socks=socks5://s").unwrap();
        assert_eq!(pac(&r, "http"), "SOCKS5 s:1080");
        assert!(ProxyRules::parse("http=ftp://x").is_err());
        assert!(ProxyRules::parse("").unwrap().is_empty());
    }

    #[test]
    fn chromium_parse_from_string() {
        // Once an entry names a scheme, bare entries are skipped.
        let r = ProxyRules::parse("ftp=a ; foopy").unwrap();
        assert_eq!(pac(&r, "http"), "DIRECT");
        assert_eq!(pac(&r, "ftp"), "PROXY a:80");
        // A first bare entry is the one list; the rest is not read.
        let r = ProxyRules::parse("foopy ; ftp=a").unwrap();
        assert_eq!(pac(&r, "ftp"), "PROXY foopy:80");
        // Unknown schemes are dropped.
        let r = ProxyRules::parse("crazy=foopy ; https=p").unwrap();
        assert_eq!(pac(&r, "https"), "PROXY p:80");
        assert_eq!(pac(&r, "crazy"), "DIRECT");
        assert_eq!(pac(&r, "http"), "DIRECT");
        assert!(ProxyRules::parse("gopher=x").unwrap().is_empty());
    }

    #[test]
    fn websockets_take_socks_then_https_then_http() {
        let r = ProxyRules::parse("http=h;https=s;socks=k").unwrap();
        assert_eq!(pac(&r, "ws"), "SOCKS k:1080");
        assert_eq!(pac(&r, "wss"), "SOCKS k:1080");
        let r = ProxyRules::parse("http=h;https=s").unwrap();
        assert_eq!(pac(&r, "ws"), "PROXY s:80");
        let r = ProxyRules::parse("http=h").unwrap();
        assert_eq!(pac(&r, "wss"), "PROXY h:80");
        assert_eq!(pac(&r, "https"), "DIRECT");
    }
}
