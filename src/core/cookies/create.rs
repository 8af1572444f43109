//! Electron's `cookies.set(details)` input and Chromium's `CreateSanitizedCookie`: turning
//! the details into a canonical cookie, or into the reasons it is refused.

use std::borrow::Cow;

use url::Url;

use super::cookie::{CanonicalCookie, Priority, SameSite};
use super::domain::{self, cookie_domain, default_path, is_secure_source};
use super::exclusion::{ExclusionReason, Exclusions};
use crate::core::time::{self, Micros, DAY};
use crate::core::{Error, Result};

/// Longest name plus value Chromium accepts.
pub const MAX_NAME_VALUE_BYTES: usize = 4096;
/// Longest Domain or Path attribute Chromium accepts.
pub const MAX_ATTRIBUTE_BYTES: usize = 1024;
/// Chromium caps every expiry at 400 days after creation.
pub const MAX_EXPIRY_AGE: Micros = 400 * DAY;

/// The fields of Electron's `CookiesSetDetails` (times in seconds since the epoch). Texts
/// are borrowed where the caller has them (the binding reads them off the JS strings).
#[derive(Debug, Clone, Default)]
pub struct SetDetails<'a> {
    /// The URL the cookie is set for; `None` when the caller left it out.
    pub url: Option<Cow<'a, str>>,
    /// Cookie name; empty by default.
    pub name: Option<Cow<'a, str>>,
    /// Cookie value; empty by default.
    pub value: Option<Cow<'a, str>>,
    /// Domain attribute; none makes a host-only cookie.
    pub domain: Option<Cow<'a, str>>,
    /// Path attribute; none takes the URL's default path.
    pub path: Option<Cow<'a, str>>,
    /// Secure; defaults to true for `no_restriction`, false otherwise (as Electron).
    pub secure: Option<bool>,
    /// HttpOnly; false by default.
    pub http_only: Option<bool>,
    /// Expiry in seconds; none makes a session cookie.
    pub expiration_date: Option<f64>,
    /// Creation time in seconds (accepted by Electron, undocumented).
    pub creation_date: Option<f64>,
    /// Last access time in seconds (accepted by Electron, undocumented).
    pub last_access_date: Option<f64>,
    /// Electron's sameSite string; `lax` by default (as Electron).
    pub same_site: Option<Cow<'a, str>>,
}

/// A cookie ready for the jar, with what the jar's own checks need to know of its origin.
#[derive(Debug)]
pub struct Candidate {
    /// The sanitized cookie.
    pub cookie: CanonicalCookie,
    /// The URL it is set for.
    pub url: Url,
    /// True when the URL may set Secure cookies.
    pub secure_source: bool,
    /// True when the caller gave no creation time (the jar stamps one).
    pub stamp_creation: bool,
}

/// Validates Electron's details into a candidate cookie. `Err` carries Electron's message.
pub fn candidate_from_details(details: &SetDetails, now: Micros) -> Result<Candidate> {
    let Some(url_string) = details.url.as_deref() else {
        return Err(Error::CookieRejected(
            "Missing required option 'url'".to_owned(),
        ));
    };
    let same_site = match details.same_site.as_deref() {
        None => SameSite::Lax,
        Some(s) => SameSite::parse(s).map_err(Error::CookieRejected)?,
    };
    let secure = details
        .secure
        .unwrap_or(same_site == SameSite::NoRestriction);
    let Ok(url) = Url::parse(url_string) else {
        return Err(reject(ExclusionReason::InvalidDomain));
    };
    let name = details.name.as_deref().unwrap_or("").to_owned();
    let value = details.value.as_deref().unwrap_or("").to_owned();
    let domain_attribute = details.domain.as_deref().unwrap_or("");
    let path_attribute = details.path.as_deref().unwrap_or("");
    let secure_source = is_secure_source(&url);

    let mut status = Exclusions::default();
    if name.is_empty() && value.is_empty() {
        status.add(ExclusionReason::NoCookieContent);
    }
    if !is_valid_name(&name) || !is_valid_value(&value) {
        status.add(ExclusionReason::DisallowedCharacter);
    }
    if has_control_character(domain_attribute) || has_control_character(path_attribute) {
        status.add(ExclusionReason::DisallowedCharacter);
    }
    if domain_attribute.len() > MAX_ATTRIBUTE_BYTES {
        status.add(ExclusionReason::AttributeValueExceedsMaxSize);
    }
    if name.len() + value.len() > MAX_NAME_VALUE_BYTES {
        status.add(ExclusionReason::NameValuePairExceedsMaxSize);
    }
    let host = url.host_str().unwrap_or("");
    let domain = match cookie_domain(host, domain_attribute) {
        Ok(d) => d,
        Err(reason) => {
            status.add(reason);
            String::new()
        }
    };
    let path = match canonical_path(&url, path_attribute) {
        Ok(p) => p,
        Err(reason) => {
            status.add(reason);
            String::new()
        }
    };
    if secure && !secure_source {
        status.add(ExclusionReason::SecureOnly);
    }
    if !prefix_allows(&name, secure, secure_source, domain_attribute, &path) {
        status.add(ExclusionReason::InvalidPrefix);
    }
    if name.is_empty() && has_hidden_prefix(&value) {
        status.add(ExclusionReason::InvalidPrefix);
    }
    if details.last_access_date.is_some() && details.creation_date.is_none() {
        status.add(ExclusionReason::FailureToStore);
    }
    if !status.is_empty() {
        return Err(Error::CookieRejected(status.message()));
    }

    let creation = details.creation_date.map(time::from_seconds);
    let creation_or_now = creation.unwrap_or(now);
    let expiry = details
        .expiration_date
        .map(|s| time::from_seconds(s).min(creation_or_now.saturating_add(MAX_EXPIRY_AGE)));
    let last_access = details
        .last_access_date
        .map(time::from_seconds)
        .unwrap_or(creation_or_now);
    Ok(Candidate {
        cookie: CanonicalCookie {
            name,
            value,
            domain,
            path,
            creation: creation_or_now,
            expiry,
            last_access,
            last_update: creation_or_now,
            secure,
            http_only: details.http_only.unwrap_or(false),
            same_site,
            priority: Priority::Medium,
        },
        url,
        secure_source,
        stamp_creation: creation.is_none(),
    })
}

/// Electron's rejection for one reason.
pub fn reject(reason: ExclusionReason) -> Error {
    Error::CookieRejected(Exclusions::of(reason).message())
}

fn has_control_character(s: &str) -> bool {
    s.bytes().any(|b| b < 0x20 || b == 0x7f)
}

/// RFC 6265bis cookie-name: no controls, `;` or `=`.
fn is_valid_name(name: &str) -> bool {
    !has_control_character(name) && !name.contains([';', '='])
}

/// RFC 6265bis cookie-value: no controls or `;`.
fn is_valid_value(value: &str) -> bool {
    !has_control_character(value) && !value.contains(';')
}

/// Chromium's CanonPathWithString plus the re-encoding check of CreateSanitizedCookie: a
/// given path must start with `/` and already be in canonical (percent-encoded) form.
fn canonical_path(url: &Url, attribute: &str) -> Result<String, ExclusionReason> {
    if attribute.is_empty() {
        return Ok(default_path(url.path()).to_owned());
    }
    if !attribute.starts_with('/') {
        return Err(ExclusionReason::FailureToStore);
    }
    if attribute.len() <= MAX_ATTRIBUTE_BYTES && attribute.bytes().all(is_path_byte_kept_as_is) {
        return Ok(attribute.to_owned());
    }
    let mut probe = Url::parse("http://h/").expect("static URL parses");
    probe.set_path(attribute);
    let encoded = probe.path();
    if encoded.len() > MAX_ATTRIBUTE_BYTES {
        return Err(ExclusionReason::AttributeValueExceedsMaxSize);
    }
    Ok(encoded.to_owned())
}

/// Bytes the URL path encoder leaves alone, so that a path made only of them is already
/// canonical (the common case, checked without building a URL).
fn is_path_byte_kept_as_is(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@%".contains(&b)
}

fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// The `__Secure-` and `__Host-` rules (case-insensitive, as current Chromium).
fn prefix_allows(name: &str, secure: bool, secure_source: bool, domain: &str, path: &str) -> bool {
    if starts_with_ignore_case(name, "__Secure-") {
        return secure && secure_source;
    }
    if starts_with_ignore_case(name, "__Host-") {
        return secure && secure_source && domain.is_empty() && path == "/";
    }
    true
}

/// A nameless cookie whose value looks like a prefixed pair would smuggle the prefix past
/// the rules when serialised as `=__Host-x=y`; Chromium refuses it.
fn has_hidden_prefix(value: &str) -> bool {
    let trimmed = value.trim_start_matches([' ', '\t']);
    starts_with_ignore_case(trimmed, "__Secure-") || starts_with_ignore_case(trimmed, "__Host-")
}

/// True when the URL's scheme takes cookies at all.
pub fn scheme_takes_cookies(url: &Url) -> bool {
    domain::is_cookieable_scheme(url.scheme())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details(url: &str) -> SetDetails<'_> {
        SetDetails {
            url: Some(url.into()),
            name: Some("n".into()),
            value: Some("v".into()),
            ..Default::default()
        }
    }

    fn message(d: &SetDetails) -> String {
        candidate_from_details(d, time::now())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn defaults_follow_electron() {
        let c = candidate_from_details(&details("http://example.com/a/b"), time::now())
            .unwrap()
            .cookie;
        assert_eq!((c.domain.as_str(), c.path.as_str()), ("example.com", "/a"));
        assert_eq!(
            (c.same_site, c.secure, c.http_only, c.expiry),
            (SameSite::Lax, false, false, None)
        );
        let mut d = details("https://example.com/");
        d.same_site = Some("no_restriction".into());
        assert!(
            candidate_from_details(&d, time::now())
                .unwrap()
                .cookie
                .secure
        );
    }

    #[test]
    fn refusals_carry_electrons_messages() {
        let mut d = details("https://example.com/");
        d.url = None;
        assert_eq!(message(&d), "Missing required option 'url'");
        let mut d = details("https://example.com/");
        d.same_site = Some("garbage".into());
        assert_eq!(
            message(&d),
            "Failed to convert 'garbage' to an appropriate cookie same site value"
        );
        let mut d = details("https://example.com/");
        d.value = Some("test;test".into());
        assert_eq!(
            message(&d),
            "Failed to set cookie - The cookie contains ASCII control charactersEXCLUDE_DISALLOWED_CHARACTER, DO_NOT_WARN, NO_EXEMPTION"
        );
        let mut d = details("https://example.com/");
        d.path = Some("nope".into());
        assert!(message(&d).contains("EXCLUDE_FAILURE_TO_STORE"));
        let mut d = details("http://example.com/");
        d.name = Some("__Host-x".into());
        d.secure = Some(true);
        assert_eq!(
            message(&d),
            "Failed to set cookie - The cookie was Secure, but the URL was not allowed to access Secure cookies.\
             The cookie was set with an invalid __Host- or __Secure- prefix.\
             EXCLUDE_SECURE_ONLY, EXCLUDE_INVALID_PREFIX, DO_NOT_WARN, NO_EXEMPTION"
        );
    }

    #[test]
    fn expiry_is_capped_at_400_days_after_creation() {
        let mut d = details("https://example.com/");
        d.creation_date = Some(1_000_000.0);
        d.expiration_date = Some(1e12);
        let c = candidate_from_details(&d, time::now()).unwrap().cookie;
        assert_eq!(c.expiry, Some(1_000_000 * 1_000_000 + MAX_EXPIRY_AGE));
    }
}
