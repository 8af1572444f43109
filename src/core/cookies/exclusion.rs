//! Why a cookie was refused: Chromium's `CookieInclusionStatus` exclusion reasons, and the
//! rejection message Electron builds from them (`Failed to set cookie - <reasons><debug>`).

/// Chromium's exclusion reasons that this jar can produce, in Chromium's enum order (the
/// order in which Electron's message lists them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExclusionReason {
    /// The cookie was HttpOnly but the access was not through HTTP.
    HttpOnly,
    /// Secure cookie from a URL that may not set Secure cookies.
    SecureOnly,
    /// `SameSite=None` without `Secure`.
    SameSiteNoneInsecure,
    /// Malformed (bad path attribute, ...).
    FailureToStore,
    /// The URL's scheme does not take cookies.
    NoncookieableScheme,
    /// Would have overwritten a Secure cookie from an insecure origin.
    OverwriteSecure,
    /// Would have overwritten an HttpOnly cookie through a non-HTTP API.
    OverwriteHttpOnly,
    /// Bad Domain attribute (public suffix, other site, IP mismatch, ...).
    InvalidDomain,
    /// Broke the `__Secure-` / `__Host-` rules.
    InvalidPrefix,
    /// Name plus value longer than 4096 bytes.
    NameValuePairExceedsMaxSize,
    /// Domain or Path attribute longer than 1024 bytes.
    AttributeValueExceedsMaxSize,
    /// Control character (or `;`, or `=` in the name).
    DisallowedCharacter,
    /// Empty name and empty value.
    NoCookieContent,
}

impl ExclusionReason {
    /// Electron's sentence for the reason.
    pub fn description(self) -> &'static str {
        match self {
            Self::HttpOnly => {
                "The cookie was HttpOnly, but the attempted access was through a non-HTTP API."
            }
            Self::SecureOnly => {
                "The cookie was Secure, but the URL was not allowed to access Secure cookies."
            }
            Self::SameSiteNoneInsecure => "The cookie specified SameSite=None, but it was not Secure.",
            Self::FailureToStore => "The cookie was malformed and could not be stored",
            Self::NoncookieableScheme => {
                "Attempted to set a cookie from a scheme that does not support cookies."
            }
            Self::OverwriteSecure => {
                "The cookie would have overwritten a Secure cookie, and was not allowed to do so."
            }
            Self::OverwriteHttpOnly => {
                "The cookie would have overwritten an HttpOnly cookie, and was not allowed to do so."
            }
            Self::InvalidDomain => "The cookie was set with an invalid Domain attribute.",
            Self::InvalidPrefix => "The cookie was set with an invalid __Host- or __Secure- prefix.",
            Self::NameValuePairExceedsMaxSize => "The cookie exceeded the name/value pair size limit.",
            Self::AttributeValueExceedsMaxSize => "Cookie exceeded the attribute size limit.",
            Self::DisallowedCharacter => "The cookie contains ASCII control characters",
            Self::NoCookieContent => "The cookie contains no content or only whitespace.",
        }
    }

    /// Chromium's constant name, as `CookieInclusionStatus::GetDebugString` prints it.
    pub fn debug_name(self) -> &'static str {
        match self {
            Self::HttpOnly => "EXCLUDE_HTTP_ONLY",
            Self::SecureOnly => "EXCLUDE_SECURE_ONLY",
            Self::SameSiteNoneInsecure => "EXCLUDE_SAMESITE_NONE_INSECURE",
            Self::FailureToStore => "EXCLUDE_FAILURE_TO_STORE",
            Self::NoncookieableScheme => "EXCLUDE_NONCOOKIEABLE_SCHEME",
            Self::OverwriteSecure => "EXCLUDE_OVERWRITE_SECURE",
            Self::OverwriteHttpOnly => "EXCLUDE_OVERWRITE_HTTP_ONLY",
            Self::InvalidDomain => "EXCLUDE_INVALID_DOMAIN",
            Self::InvalidPrefix => "EXCLUDE_INVALID_PREFIX",
            Self::NameValuePairExceedsMaxSize => "EXCLUDE_NAME_VALUE_PAIR_EXCEEDS_MAX_SIZE",
            Self::AttributeValueExceedsMaxSize => "EXCLUDE_ATTRIBUTE_VALUE_EXCEEDS_MAX_SIZE",
            Self::DisallowedCharacter => "EXCLUDE_DISALLOWED_CHARACTER",
            Self::NoCookieContent => "EXCLUDE_NO_COOKIE_CONTENT",
        }
    }
}

/// A set of exclusion reasons; empty means the cookie is included.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exclusions(Vec<ExclusionReason>);

impl Exclusions {
    /// Adds a reason (kept sorted and unique, as Chromium's bitset is).
    pub fn add(&mut self, reason: ExclusionReason) {
        if let Err(at) = self.0.binary_search(&reason) {
            self.0.insert(at, reason);
        }
    }

    /// A set holding one reason.
    pub fn of(reason: ExclusionReason) -> Self {
        Self(vec![reason])
    }

    /// True when nothing excludes the cookie.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Electron's rejection message: `Failed to set cookie - ` then each reason's sentence,
    /// then Chromium's debug string (`EXCLUDE_..., DO_NOT_WARN, NO_EXEMPTION`), all joined
    /// exactly as electron_api_cookies.cc joins them.
    pub fn message(&self) -> String {
        let mut out = String::from("Failed to set cookie - ");
        for reason in &self.0 {
            out.push_str(reason.description());
        }
        for reason in &self.0 {
            out.push_str(reason.debug_name());
            out.push_str(", ");
        }
        out.push_str("DO_NOT_WARN, NO_EXEMPTION");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_lists_reasons_in_chromium_order() {
        let mut e = Exclusions::default();
        e.add(ExclusionReason::InvalidPrefix);
        e.add(ExclusionReason::SecureOnly);
        e.add(ExclusionReason::SecureOnly);
        assert_eq!(
            e.message(),
            "Failed to set cookie - The cookie was Secure, but the URL was not allowed to access \
             Secure cookies.The cookie was set with an invalid __Host- or __Secure- prefix.\
             EXCLUDE_SECURE_ONLY, EXCLUDE_INVALID_PREFIX, DO_NOT_WARN, NO_EXEMPTION"
        );
    }
}
