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
    /// Parses the rules; an entry that is not a proxy is an error (nothing is applied).
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut rules = Self::default();
        for entry in text.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            match entry.split_once('=') {
                None => {
                    let list = parse_list(entry, ProxyScheme::Http)?;
                    rules.single.get_or_insert_with(Vec::new).extend(list);
                }
                Some((scheme, list)) => {
                    let scheme = scheme.trim().to_ascii_lowercase();
                    let (slot, default) = match scheme.as_str() {
                        "http" => (&mut rules.http, ProxyScheme::Http),
                        "https" => (&mut rules.https, ProxyScheme::Http),
                        "ftp" => (&mut rules.ftp, ProxyScheme::Http),
                        "socks" => (&mut rules.fallback, ProxyScheme::Socks4),
                        other => return Err(format!("Invalid proxy rule scheme '{other}'")),
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

    /// The list for a URL scheme; empty means DIRECT.
    pub fn for_scheme(&self, scheme: &str) -> &[ProxyServer] {
        if let Some(single) = &self.single {
            return single;
        }
        let specific = match scheme {
            "http" | "ws" => self.http.as_ref(),
            "https" | "wss" => self.https.as_ref(),
            "ftp" => self.ftp.as_ref(),
            _ => None,
        };
        specific
            .or(self.fallback.as_ref())
            .map_or(&[], Vec::as_slice)
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
        assert!(ProxyRules::parse("gopher=x").is_err());
        assert!(ProxyRules::parse("http=ftp://x").is_err());
        assert!(ProxyRules::parse("").unwrap().is_empty());
    }
}
