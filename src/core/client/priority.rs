//! The `priority` request header (RFC 9218) as Chromium sends it: a request's priority as an
//! urgency (`HIGHEST` 0 … `THROTTLED` 5, `IDLE` 4 by default as network::ResourceRequest
//! has it) and the incremental flag, serialised without their defaults (urgency 3, not
//! incremental), so `lowest` alone sends nothing. Chromium adds it to HTTP/2 requests
//! (spdy_http_utils), after webRequest. Which protocol a request goes out on is settled by
//! ALPN after the request is built, so the header goes to https origins not known to answer
//! over HTTP/1.x; the session learns that from their responses.

use std::collections::HashSet;
use std::sync::Mutex;

use url::{Origin, Url};

/// A request's priority (Electron's `priority` and `priorityIncremental` options).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Priority {
    /// 0 (highest) to 5 (throttled).
    pub urgency: u8,
    /// Whether the response may be interleaved with others of its urgency.
    pub incremental: bool,
}

impl Default for Priority {
    /// Chromium's default for a URL loader request: IDLE, not incremental.
    fn default() -> Self {
        Self {
            urgency: 4,
            incremental: false,
        }
    }
}

impl Priority {
    /// The header's value, `None` when it would be empty (the defaults).
    pub fn header_value(self) -> Option<String> {
        match (self.urgency, self.incremental) {
            (3, false) => None,
            (3, true) => Some("i".to_owned()),
            (u, false) => Some(format!("u={u}")),
            (u, true) => Some(format!("u={u}, i")),
        }
    }
}

/// The https origins a session has seen answer over HTTP/1.x.
#[derive(Default)]
pub struct Http1Origins(Mutex<HashSet<Origin>>);

impl Http1Origins {
    /// Whether a request to `url` may go out over HTTP/2 (https, not known to be HTTP/1.x).
    pub fn may_be_h2(&self, url: &Url) -> bool {
        url.scheme() == "https" && !self.set().contains(&url.origin())
    }

    /// Notes the protocol `url`'s origin answered with.
    pub fn note(&self, url: &Url, version: (u8, u8)) {
        if url.scheme() == "https" && version.0 == 1 {
            self.set().insert(url.origin());
        }
    }

    fn set(&self) -> std::sync::MutexGuard<'_, HashSet<Origin>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_chromium() {
        let value = |urgency, incremental| {
            Priority {
                urgency,
                incremental,
            }
            .header_value()
        };
        assert_eq!(value(5, false).as_deref(), Some("u=5"));
        assert_eq!(value(4, true).as_deref(), Some("u=4, i"));
        assert_eq!(value(3, false), None);
        assert_eq!(value(3, true).as_deref(), Some("i"));
        assert_eq!(value(0, false).as_deref(), Some("u=0"));
        assert_eq!(Priority::default().header_value().as_deref(), Some("u=4"));
    }

    #[test]
    fn learns_http1_origins() {
        let origins = Http1Origins::default();
        let url = Url::parse("https://a.test/x").unwrap();
        assert!(origins.may_be_h2(&url));
        assert!(!origins.may_be_h2(&Url::parse("http://a.test/").unwrap()));
        origins.note(&url, (2, 0));
        assert!(origins.may_be_h2(&url));
        origins.note(&url, (1, 1));
        assert!(!origins.may_be_h2(&Url::parse("https://a.test/y").unwrap()));
    }
}
