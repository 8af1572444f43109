//! Electron's cookie filter for `cookies.get(filter)`: a URL selects the cookies a request
//! to it would carry, then name, domain, path, secure, session and httpOnly narrow them.

use super::cookie::CanonicalCookie;

/// The filter's fields; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct CookieFilter {
    /// Only cookies a request to this URL would carry (empty means all cookies).
    pub url: Option<String>,
    /// Exact name.
    pub name: Option<String>,
    /// Cookies that apply to this host (Chromium's IsDomainMatch, as Electron uses).
    pub domain: Option<String>,
    /// Exact path.
    pub path: Option<String>,
    /// Secure attribute.
    pub secure: Option<bool>,
    /// Session (no expiry) or persistent.
    pub session: Option<bool>,
    /// HttpOnly attribute.
    pub http_only: Option<bool>,
}

impl CookieFilter {
    /// Electron's MatchesCookie, field by field. The domain is compared in lower case, since
    /// stored domains are canonical.
    pub fn matches(&self, cookie: &CanonicalCookie) -> bool {
        if self.name.as_deref().is_some_and(|n| n != cookie.name) {
            return false;
        }
        if self.path.as_deref().is_some_and(|p| p != cookie.path) {
            return false;
        }
        if let Some(domain) = &self.domain {
            if !cookie.is_domain_match(&domain.to_ascii_lowercase()) {
                return false;
            }
        }
        if self.secure.is_some_and(|s| s != cookie.secure) {
            return false;
        }
        if self.session.is_some_and(|s| s == cookie.is_persistent()) {
            return false;
        }
        if self.http_only.is_some_and(|h| h != cookie.http_only) {
            return false;
        }
        true
    }
}
