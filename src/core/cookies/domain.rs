//! Hosts, domains and paths as Chromium's cookie code sees them: the public suffix list
//! (compiled in through `psl`), host-only versus domain cookies, secure origins, the
//! per-site jar key, and RFC 6265 path matching.

use std::net::Ipv4Addr;

use url::Url;

use super::exclusion::ExclusionReason;

/// Schemes that take cookies (Chromium's default cookieable schemes).
pub fn is_cookieable_scheme(scheme: &str) -> bool {
    matches!(scheme, "http" | "https" | "ws" | "wss")
}

/// True for an IPv4 literal or a bracketed IPv6 literal.
pub fn is_ip_literal(host: &str) -> bool {
    host.starts_with('[') || host.parse::<Ipv4Addr>().is_ok()
}

/// The registrable domain (eTLD+1, private registries included) of a host, or `None` for IP
/// literals, public suffixes and single-label hosts such as `localhost`.
pub fn registrable_domain(host: &str) -> Option<&str> {
    if is_ip_literal(host) {
        return None;
    }
    psl::domain_str(host)
}

/// The jar bucket a cookie domain belongs to: its registrable domain, or the host itself
/// when it has none (Chromium's CookieMonster key).
pub fn jar_key(domain: &str) -> &str {
    let host = domain.strip_prefix('.').unwrap_or(domain);
    registrable_domain(host).unwrap_or(host)
}

/// Chromium's `cookie_util::IsDomainMatch`: whether a cookie stored under `domain` applies
/// to `host`.
pub fn is_domain_match(domain: &str, host: &str) -> bool {
    if host == domain {
        return true;
    }
    let Some(bare) = domain.strip_prefix('.') else {
        return false;
    };
    if bare == host {
        return true;
    }
    host.len() > domain.len() && host.ends_with(domain)
}

/// True when `url` may read and write Secure cookies: https, wss, or a localhost/loopback
/// host (Chromium treats those as potentially trustworthy).
pub fn is_secure_source(url: &Url) -> bool {
    matches!(url.scheme(), "https" | "wss") || url.host_str().is_some_and(is_localhost)
}

/// Chromium's `net::IsLocalhost`: `localhost`, `*.localhost`, 127.0.0.0/8 and `[::1]`.
pub fn is_localhost(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "[::1]"
        || host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

/// Chromium's `GetCookieDomainWithString`: the domain to store for a cookie set from a URL
/// whose host is `url_host` with the Domain attribute `attribute` (empty for none).
pub fn cookie_domain(url_host: &str, attribute: &str) -> Result<String, ExclusionReason> {
    if url_host.is_empty() {
        return Err(ExclusionReason::InvalidDomain);
    }
    if attribute.is_empty() || (is_ip_literal(url_host) && url_host == attribute) {
        return Ok(url_host.to_owned());
    }
    if attribute.contains('%') {
        return Err(ExclusionReason::InvalidDomain);
    }
    let bare_attribute = attribute.strip_prefix('.').unwrap_or(attribute);
    let canonical = match url::Host::parse(bare_attribute) {
        Ok(host) => host.to_string(),
        Err(_) => return Err(ExclusionReason::InvalidDomain),
    };
    if canonical.is_empty() {
        return Err(ExclusionReason::InvalidDomain);
    }
    let Some(url_site) = registrable_domain(url_host) else {
        // IP literals, intranet hosts and public suffixes take only an exact match, and
        // then the cookie is host-only (as IE and Firefox do).
        return if canonical == url_host {
            Ok(url_host.to_owned())
        } else {
            Err(ExclusionReason::InvalidDomain)
        };
    };
    if registrable_domain(&canonical) != Some(url_site) {
        return Err(ExclusionReason::InvalidDomain);
    }
    let dotted = format!(".{canonical}");
    if url_host == canonical || url_host.ends_with(&dotted) {
        Ok(dotted)
    } else {
        Err(ExclusionReason::InvalidDomain)
    }
}

/// RFC 6265 default-path: the request path up to, not including, its last `/`.
pub fn default_path(url_path: &str) -> &str {
    match url_path.rfind('/') {
        None | Some(0) => "/",
        Some(i) => &url_path[..i],
    }
}

/// RFC 6265 path-match (Chromium's `IsOnPath`).
pub fn is_on_path(cookie_path: &str, url_path: &str) -> bool {
    if cookie_path.is_empty() || !url_path.starts_with(cookie_path) {
        return false;
    }
    cookie_path.len() == url_path.len()
        || cookie_path.ends_with('/')
        || url_path.as_bytes()[cookie_path.len()] == b'/'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_follow_chromium() {
        assert_eq!(cookie_domain("example.com", ""), Ok("example.com".into()));
        assert_eq!(
            cookie_domain("a.example.com", "example.com"),
            Ok(".example.com".into())
        );
        assert_eq!(
            cookie_domain("a.example.com", ".EXAMPLE.com"),
            Ok(".example.com".into())
        );
        assert_eq!(
            cookie_domain("example.com", "example.com"),
            Ok(".example.com".into())
        );
        assert_eq!(
            cookie_domain("example.com", "a.example.com"),
            Err(ExclusionReason::InvalidDomain)
        );
        assert_eq!(
            cookie_domain("example.com", "com"),
            Err(ExclusionReason::InvalidDomain)
        );
        assert_eq!(
            cookie_domain("user.github.io", "github.io"),
            Err(ExclusionReason::InvalidDomain)
        );
        assert_eq!(
            cookie_domain("example.com", "wssss.com"),
            Err(ExclusionReason::InvalidDomain)
        );
        assert_eq!(
            cookie_domain("127.0.0.1", "127.0.0.1"),
            Ok("127.0.0.1".into())
        );
        assert_eq!(
            cookie_domain("127.0.0.1", "0.0.1"),
            Err(ExclusionReason::InvalidDomain)
        );
        assert_eq!(
            cookie_domain("localhost", "localhost"),
            Ok("localhost".into())
        );
        assert_eq!(
            cookie_domain("a.co.uk", "co.uk"),
            Err(ExclusionReason::InvalidDomain)
        );
        assert_eq!(
            cookie_domain("x.example.com", "exa%6dple.com"),
            Err(ExclusionReason::InvalidDomain)
        );
    }

    #[test]
    fn jar_keys_are_registrable_domains() {
        assert_eq!(jar_key(".a.b.example.co.uk"), "example.co.uk");
        assert_eq!(jar_key("localhost"), "localhost");
        assert_eq!(jar_key("127.0.0.1"), "127.0.0.1");
    }

    #[test]
    fn paths_match_on_segment_boundaries() {
        assert!(is_on_path("/a", "/a/b"));
        assert!(is_on_path("/a/", "/a/b"));
        assert!(!is_on_path("/a", "/ab"));
        assert!(is_on_path("/", "/anything"));
        assert_eq!(default_path("/a/b/c"), "/a/b");
        assert_eq!(default_path("/a"), "/");
    }

    #[test]
    fn loopback_hosts_are_secure_sources() {
        for (url, secure) in [
            ("http://localhost/", true),
            ("http://127.0.0.2:8080/", true),
            ("http://[::1]/", true),
            ("http://example.com/", false),
            ("https://example.com/", true),
            ("wss://example.com/", true),
        ] {
            assert_eq!(is_secure_source(&Url::parse(url).unwrap()), secure, "{url}");
        }
    }
}
