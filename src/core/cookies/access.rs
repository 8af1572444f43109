//! Which cookies a request URL may read (Chromium's IncludeForRequestURL with every access
//! allowed) and the order a request sends them in.

use url::Url;

use super::cookie::CanonicalCookie;
use super::create::scheme_takes_cookies;
use super::domain::{is_on_path, is_secure_source};

/// Chromium's CookieSorter: longer paths first, then earlier creation.
pub fn sort_for_request(cookies: &mut [&CanonicalCookie]) {
    cookies.sort_by(|a, b| {
        b.path
            .len()
            .cmp(&a.path.len())
            .then(a.creation.cmp(&b.creation))
    });
}

/// What a request URL may read: its host, path, and whether Secure cookies go to it.
pub struct RequestScope {
    /// The URL's host.
    pub host: String,
    /// The URL's path.
    pub path: String,
    /// True when Secure cookies go to it.
    pub secure: bool,
}

impl RequestScope {
    /// `None` for an unparsable URL or a scheme without cookies.
    pub fn parse(url: &str) -> Option<Self> {
        Self::of(&Url::parse(url).ok()?)
    }

    /// The scope of an already parsed URL; `None` for a scheme without cookies.
    pub fn of(url: &Url) -> Option<Self> {
        if !scheme_takes_cookies(url) {
            return None;
        }
        Some(Self {
            host: url.host_str()?.to_owned(),
            path: url.path().to_owned(),
            secure: is_secure_source(url),
        })
    }

    /// Chromium's IncludeForRequestURL with every access allowed (HttpOnly, any SameSite).
    pub fn includes(&self, cookie: &CanonicalCookie) -> bool {
        cookie.is_domain_match(&self.host)
            && is_on_path(&cookie.path, &self.path)
            && (self.secure || !cookie.secure)
    }
}
