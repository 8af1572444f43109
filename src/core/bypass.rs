//! Chromium's `proxyBypassRules` (ProxyBypassRules): host patterns with `*`, `.suffix`,
//! ports and scheme prefixes, IP literals (canonicalised) and CIDR ranges (IPv4 and
//! IPv4-mapped IPv6 alike), `<local>` for host names without a dot, and the implicit bypass
//! of localhost, loopback and link-local addresses that `<-loopback>` subtracts. As
//! Chromium's SchemeHostPortMatcher, a later rule overrides an earlier one (`localhost;
//! <-loopback>` proxies localhost, `<-loopback>; localhost` does not), and the implicit rules
//! apply only when no rule decided.

use std::net::IpAddr;

use url::Url;

use crate::core::wildcard;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Rule {
    Host {
        scheme: Option<String>,
        pattern: String,
        port: Option<u16>,
    },
    Cidr {
        scheme: Option<String>,
        network: IpAddr,
        prefix: u8,
    },
    Local,
    /// `<-loopback>`: what the implicit rules would bypass goes through the proxy.
    SubtractImplicit,
}

/// Parsed bypass rules.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BypassRules {
    rules: Vec<Rule>,
    reversed: bool,
}

fn parse_cidr(text: &str) -> Option<(IpAddr, u8)> {
    let (ip, prefix) = text.split_once('/')?;
    let ip: IpAddr = ip
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .ok()?;
    let prefix: u8 = prefix.parse().ok()?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    (prefix <= max).then_some((ip, prefix))
}

fn in_network(ip: IpAddr, network: IpAddr, prefix: u8) -> bool {
    match (ip, network) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = if prefix == 0 {
                0
            } else {
                u32::MAX << (32 - prefix)
            };
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = if prefix == 0 {
                0
            } else {
                u128::MAX << (128 - prefix)
            };
            u128::from(a) & mask == u128::from(n) & mask
        }
        // As Chromium's IPAddressMatchesPrefix, the IPv4 side is compared as IPv4-mapped
        // IPv6: an IPv6 host against an IPv4 range, an IPv4 host against an IPv6 range.
        (IpAddr::V6(_), IpAddr::V4(n)) => {
            in_network(ip, IpAddr::V6(n.to_ipv6_mapped()), 96 + prefix)
        }
        (IpAddr::V4(a), IpAddr::V6(_)) => {
            in_network(IpAddr::V6(a.to_ipv6_mapped()), network, prefix)
        }
    }
}

impl BypassRules {
    /// Parses the rule list; rules that do not parse are an error (nothing is applied).
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut out = Self::default();
        for raw in Self::split(text) {
            out.add_rule(raw)?;
        }
        Ok(out)
    }

    /// Parses the rule list skipping rules that do not parse, as Chromium's
    /// AddRuleFromString does for lists it did not get from the user (system settings).
    pub fn parse_lenient(text: &str) -> Self {
        let mut out = Self::default();
        for raw in Self::split(text) {
            let _ = out.add_rule(raw);
        }
        out
    }

    /// Parses a list in Chromium's hostname-suffix format (NO_PROXY, KDE's NoProxyFor): a
    /// plain host name also covers the names below it (`example.com` is `*example.com`).
    /// Rules that do not parse are skipped, as Chromium does.
    pub fn parse_hostname_suffixes(text: &str) -> Self {
        let mut out = Self::default();
        for raw in Self::split(text) {
            let plain_host = !raw.starts_with(['*', '.', '<', '['])
                && !raw.contains('/')
                && raw.parse::<IpAddr>().is_err();
            let rule = if plain_host {
                format!("*{raw}")
            } else {
                raw.to_owned()
            };
            let _ = out.add_rule(&rule);
        }
        out
    }

    fn split(text: &str) -> impl Iterator<Item = &str> {
        text.split([',', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    fn add_rule(&mut self, raw: &str) -> Result<(), String> {
        let lower = raw.to_ascii_lowercase();
        if lower == "<local>" {
            self.rules.push(Rule::Local);
            return Ok(());
        }
        if lower == "<-loopback>" {
            self.rules.push(Rule::SubtractImplicit);
            return Ok(());
        }
        let (scheme, rest) = match lower.split_once("://") {
            Some((s, r)) => (Some(s.to_owned()), r.to_owned()),
            None => (None, lower.clone()),
        };
        if rest.contains('/') {
            let (network, prefix) =
                parse_cidr(&rest).ok_or_else(|| format!("Invalid bypass rule '{raw}'"))?;
            self.rules.push(Rule::Cidr {
                scheme,
                network,
                prefix,
            });
            return Ok(());
        }
        let (host, port) = if let Some(inner) = rest.strip_prefix('[') {
            let (host, after) = inner
                .split_once(']')
                .ok_or_else(|| format!("Invalid bypass rule '{raw}'"))?;
            let port = match after.strip_prefix(':') {
                Some(p) => Some(
                    p.parse()
                        .map_err(|_| format!("Invalid bypass rule '{raw}'"))?,
                ),
                None => None,
            };
            (format!("[{host}]"), port)
        } else if rest.parse::<std::net::Ipv6Addr>().is_ok() {
            // A bare IPv6 literal (`::1`): its colons are not a port.
            (format!("[{rest}]"), None)
        } else {
            match rest.rsplit_once(':') {
                Some((h, p)) => (
                    h.to_owned(),
                    Some(
                        p.parse()
                            .map_err(|_| format!("Invalid bypass rule '{raw}'"))?,
                    ),
                ),
                None => (rest.clone(), None),
            }
        };
        if host.is_empty() {
            return Err(format!("Invalid bypass rule '{raw}'"));
        }
        // An IP literal matches in its canonical form (`[0:0::1]` is `[::1]`), as the URL's.
        let host = match host.trim_start_matches('[').trim_end_matches(']').parse() {
            Ok(IpAddr::V6(v6)) => url::Host::<String>::Ipv6(v6).to_string(),
            Ok(IpAddr::V4(v4)) => v4.to_string(),
            Err(_) => host,
        };
        let pattern = if host.starts_with('.') {
            format!("*{host}")
        } else {
            host
        };
        self.rules.push(Rule::Host {
            scheme,
            pattern,
            port,
        });
        Ok(())
    }

    /// The same rules reversed (KDE's `ReversedException`): only what they match goes
    /// through the proxy, as Chromium's `reverse_bypass` does it (the implicit loopback
    /// rule is reversed too).
    pub fn reversed(mut self) -> Self {
        self.reversed = true;
        self
    }

    /// True when a request to `url` goes direct.
    pub fn bypasses(&self, url: &Url) -> bool {
        self.matches(url) != self.reversed
    }

    fn matches(&self, url: &Url) -> bool {
        let Some(host) = url.host_str() else {
            return false;
        };
        let host = host.to_ascii_lowercase();
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        let ip: Option<IpAddr> = bare.parse().ok();
        let implicit = implicitly_bypassed(&host, ip);
        let port = url.port_or_known_default();
        // The last rule with an opinion decides (Chromium's SchemeHostPortMatcher).
        let decided = self.rules.iter().rev().find_map(|rule| match rule {
            Rule::SubtractImplicit => implicit.then_some(false),
            Rule::Local => (ip.is_none() && !host.contains('.')).then_some(true),
            Rule::Cidr {
                scheme,
                network,
                prefix,
            } => (scheme.as_deref().is_none_or(|s| s == url.scheme())
                && ip.is_some_and(|ip| in_network(ip, *network, *prefix)))
            .then_some(true),
            Rule::Host {
                scheme,
                pattern,
                port: rule_port,
            } => (scheme.as_deref().is_none_or(|s| s == url.scheme())
                && rule_port.is_none_or(|p| Some(p) == port)
                && wildcard::matches(pattern, &host, false))
            .then_some(true),
        });
        decided.unwrap_or(implicit)
    }
}

/// Chromium's implicit rules: localhost names (a trailing dot included), loopback and
/// link-local addresses.
fn implicitly_bypassed(host: &str, ip: Option<IpAddr>) -> bool {
    let name = host.strip_suffix('.').unwrap_or(host);
    if name == "localhost" || name.ends_with(".localhost") {
        return true;
    }
    match ip {
        Some(IpAddr::V4(v4)) => v4.is_loopback() || v4.is_link_local(),
        Some(IpAddr::V6(v6)) => {
            v6.is_loopback()
                || (v6.segments()[0] & 0xffc0) == 0xfe80
                || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by(rules: &str, url: &str) -> bool {
        BypassRules::parse(rules)
            .unwrap()
            .bypasses(&Url::parse(url).unwrap())
    }

    #[test]
    fn chromium_rules() {
        assert!(by("", "http://localhost:8080/"));
        assert!(by("", "http://127.0.0.1/"));
        assert!(by("", "http://[::1]/"));
        assert!(by("", "http://169.254.1.1/"));
        assert!(!by("<-loopback>", "http://127.0.0.1/"));
        assert!(!by("<-loopback>", "http://localhost/"));
        assert!(by("*.example.com", "http://a.example.com/"));
        assert!(!by("*.example.com", "http://example.com/"));
        assert!(by(".example.com", "http://a.b.example.com/"));
        assert!(by("example.com:8080", "http://example.com:8080/"));
        assert!(!by("example.com:8080", "http://example.com/"));
        assert!(by("https://secure.test", "https://secure.test/"));
        assert!(!by("https://secure.test", "http://secure.test/"));
        assert!(by("<local>", "http://intranet/"));
        assert!(!by("<local>", "http://intra.net/"));
        assert!(by("10.0.0.0/8", "http://10.1.2.3/"));
        assert!(!by("10.0.0.0/8", "http://11.1.2.3/"));
        assert!(by("[2001:db8::]/32", "http://[2001:db8::1]/"));
        assert!(by("192.168.1.5", "http://192.168.1.5/"));
        assert!(BypassRules::parse("1.2.3.4/99").is_err());
        assert!(BypassRules::parse("host:port").is_err());
    }

    #[test]
    fn chromium_literals_mapped_ranges_and_rule_order() {
        assert!(by("[0:0:0::c009:505]", "http://[::c009:505]/"));
        assert!(by(
            "3ffe:2a00:100:7031:0:0::1",
            "http://[3ffe:2a00:100:7031::1]/"
        ));
        assert!(by("::ffff:192.168.1.0/120", "http://192.168.1.7/"));
        assert!(!by("::ffff:192.168.1.0/120", "http://192.168.2.7/"));
        assert!(by("192.168.1.0/24", "http://[::ffff:192.168.1.9]/"));
        assert!(by("", "http://localhost./"));
        assert!(by("", "http://a.localhost./"));
        assert!(!by("localhost; <-loopback>", "http://localhost/"));
        assert!(by("<-loopback>; localhost", "http://localhost/"));
        assert!(!by("127.0.0.1; <-loopback>", "http://127.0.0.1/"));
        assert!(by("<-loopback>; example.test", "http://example.test/"));
    }
}
