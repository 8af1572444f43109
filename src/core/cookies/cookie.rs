//! The stored cookie (Chromium's CanonicalCookie) and the object Electron hands to JS.

use serde::{Deserialize, Serialize};

use crate::core::time::{self, Micros};

/// SameSite as Electron spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SameSite {
    /// No attribute given (`unspecified`).
    Unspecified,
    /// `SameSite=None` (`no_restriction`).
    NoRestriction,
    /// `SameSite=Lax` (`lax`).
    Lax,
    /// `SameSite=Strict` (`strict`).
    Strict,
}

impl SameSite {
    /// Electron's string for the value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unspecified => "unspecified",
            Self::NoRestriction => "no_restriction",
            Self::Lax => "lax",
            Self::Strict => "strict",
        }
    }

    /// Parses Electron's string, with Electron's error message for anything else.
    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "unspecified" => Ok(Self::Unspecified),
            "no_restriction" => Ok(Self::NoRestriction),
            "lax" => Ok(Self::Lax),
            "strict" => Ok(Self::Strict),
            other => Err(format!(
                "Failed to convert '{other}' to an appropriate cookie same site value"
            )),
        }
    }
}

/// Chromium's cookie priority, which decides eviction order within a domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Priority {
    /// Evicted first.
    Low,
    /// The default.
    Medium,
    /// Evicted last.
    High,
}

/// A cookie as the jar stores it. `domain` has a leading dot for domain cookies and none
/// for host-only ones, exactly as Chromium keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CanonicalCookie {
    /// Cookie name (may be empty).
    pub name: String,
    /// Cookie value.
    pub value: String,
    /// `.example.com` (domain cookie) or `example.com` (host-only).
    pub domain: String,
    /// Path, always starting with `/`.
    pub path: String,
    /// When it was created; unique within a jar.
    pub creation: Micros,
    /// When it expires; `None` for a session cookie.
    pub expiry: Option<Micros>,
    /// When a request last used it.
    pub last_access: Micros,
    /// When it was last written.
    pub last_update: Micros,
    /// The Secure attribute.
    pub secure: bool,
    /// The HttpOnly attribute.
    pub http_only: bool,
    /// The SameSite attribute.
    pub same_site: SameSite,
    /// The Priority attribute.
    pub priority: Priority,
}

impl CanonicalCookie {
    /// True for a domain cookie's `.example.com`, false for a host-only cookie.
    pub fn is_domain_cookie(&self) -> bool {
        self.domain.starts_with('.')
    }

    /// True when the cookie survives the session (it has an expiry).
    pub fn is_persistent(&self) -> bool {
        self.expiry.is_some()
    }

    /// True when the cookie has expired at `now`.
    pub fn is_expired(&self, now: Micros) -> bool {
        matches!(self.expiry, Some(e) if e <= now)
    }

    /// Chromium's IsEquivalent: the same name, domain and path (one slot in the jar).
    pub fn is_equivalent(&self, other: &CanonicalCookie) -> bool {
        self.name == other.name && self.domain == other.domain && self.path == other.path
    }

    /// Chromium's HasEquivalentDataMembers: equal in everything but the timestamps other
    /// than expiry.
    pub fn has_equivalent_data(&self, other: &CanonicalCookie) -> bool {
        self.is_equivalent(other)
            && self.value == other.value
            && self.expiry == other.expiry
            && self.secure == other.secure
            && self.http_only == other.http_only
            && self.same_site == other.same_site
            && self.priority == other.priority
    }

    /// Chromium's IsDomainMatch: would this cookie be sent to `host`? Also matches when
    /// `host` equals the stored domain with its dot (filters may be written `.example.com`).
    pub fn is_domain_match(&self, host: &str) -> bool {
        crate::core::cookies::domain::is_domain_match(&self.domain, host)
    }

    /// The object Electron's cookies API returns, serialised for JS.
    pub fn to_electron(&self) -> ElectronCookie<'_> {
        ElectronCookie {
            name: &self.name,
            value: &self.value,
            domain: &self.domain,
            host_only: !self.is_domain_cookie(),
            path: &self.path,
            secure: self.secure,
            http_only: self.http_only,
            session: !self.is_persistent(),
            expiration_date: self.expiry.map(time::to_seconds),
            same_site: self.same_site.as_str(),
        }
    }
}

/// Electron's `Cookie` structure, field for field.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ElectronCookie<'a> {
    /// name
    pub name: &'a str,
    /// value
    pub value: &'a str,
    /// domain
    pub domain: &'a str,
    /// hostOnly
    pub host_only: bool,
    /// path
    pub path: &'a str,
    /// secure
    pub secure: bool,
    /// httpOnly
    pub http_only: bool,
    /// session
    pub session: bool,
    /// expirationDate, seconds since the epoch; only for persistent cookies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiration_date: Option<f64>,
    /// sameSite
    pub same_site: &'static str,
}
