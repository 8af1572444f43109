//! How a request uses the cache: Fetch's `cache` modes (Electron's `cache` option on
//! net.request takes the same values), as Chromium's load flags carry them out, and what
//! the request's own headers change about its mode.

use super::policy;

/// How a request uses the cache (Fetch's `cache` modes, which Electron's `cache` option on
/// net.request shares), as Chromium's load flags do it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CacheMode {
    /// Fresh responses served, stale ones revalidated.
    #[default]
    Default,
    /// Neither read nor written (LOAD_DISABLE_CACHE).
    NoStore,
    /// Not read, written (LOAD_BYPASS_CACHE).
    Reload,
    /// A stored response is always revalidated (LOAD_VALIDATE_CACHE).
    NoCache,
    /// A stored response is served however old (LOAD_SKIP_CACHE_VALIDATION).
    ForceCache,
    /// As ForceCache, and a miss fails with `net::ERR_CACHE_MISS` (LOAD_ONLY_FROM_CACHE).
    OnlyIfCached,
}

impl CacheMode {
    /// Whether responses are kept.
    pub fn writes(self) -> bool {
        self != Self::NoStore
    }

    /// The mode a request with `headers` is served in: Fetch's rule that a `default`
    /// request carrying its own validators is `no-store` (its answer is the caller's to
    /// read), and a request's `Cache-Control: no-store` (RFC 9111 section 5.2.1.5).
    pub fn for_request(self, headers: &[(String, String)]) -> Self {
        const VALIDATORS: [&str; 5] = [
            "if-modified-since",
            "if-none-match",
            "if-unmodified-since",
            "if-match",
            "if-range",
        ];
        let conditional = headers
            .iter()
            .any(|(name, _)| VALIDATORS.iter().any(|v| v.eq_ignore_ascii_case(name)));
        if (self == Self::Default && conditional) || policy::says_no_store(headers) {
            Self::NoStore
        } else {
            self
        }
    }

    /// What the request tells caches on the way of its mode, as Fetch and Chromium's
    /// network transaction add it when the caller did not: `Pragma: no-cache` and
    /// `Cache-Control: no-cache` when bypassing the cache, `Cache-Control: max-age=0` when
    /// revalidating.
    pub fn add_request_headers(self, headers: &mut Vec<(String, String)>) {
        let absent = |headers: &[(String, String)], name: &str| {
            !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
        };
        let mut add = |name: &str, value: &str| {
            if absent(headers, name) {
                headers.push((name.to_owned(), value.to_owned()));
            }
        };
        match self {
            Self::NoStore | Self::Reload => {
                add("Pragma", "no-cache");
                add("Cache-Control", "no-cache");
            }
            Self::NoCache => add("Cache-Control", "max-age=0"),
            _ => {}
        }
    }
}
