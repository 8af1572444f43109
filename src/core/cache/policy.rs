//! The freshness rules (RFC 9111 as http-cache-semantics implements them, for a private
//! cache as Chromium's is: `private` stored, `s-maxage` ignored, 10 % heuristic freshness),
//! Chromium's own rules on top of them (permanent redirects, statuses with explicit
//! freshness, `stale-while-revalidate`), and the conversions from the stack's header lists
//! to the `http` types it reads.

use std::time::SystemTime;

use http::header::{HeaderMap, HeaderName, HeaderValue};
use http_cache_semantics::{CacheOptions, CachePolicy};
use url::Url;

use super::entry::EntryMeta;
use crate::core::message::ResponseHead;

/// Chromium's cache is a private, single-user one.
pub fn options() -> CacheOptions {
    CacheOptions {
        shared: false,
        cache_heuristic: 0.1,
        ..CacheOptions::default()
    }
}

/// Headers as an `http` map (names or values `http` refuses are left out).
pub fn header_map(headers: &[(String, String)]) -> HeaderMap {
    let mut map = HeaderMap::with_capacity(headers.len());
    for (name, value) in headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            map.append(name, value);
        }
    }
    map
}

/// The request as the policy reads it.
pub fn request_parts(
    method: &str,
    url: &Url,
    headers: &[(String, String)],
) -> http::request::Parts {
    let mut target = url.clone();
    target.set_fragment(None);
    let (mut parts, ()) = http::Request::builder()
        .method(method)
        .uri(target.as_str())
        .body(())
        .unwrap_or_else(|_| http::Request::new(()))
        .into_parts();
    parts.headers = header_map(headers);
    parts
}

/// The response as the policy reads it.
pub fn response_parts(head: &ResponseHead) -> http::response::Parts {
    let (mut parts, ()) = http::Response::builder()
        .status(head.status)
        .body(())
        .unwrap_or_else(|_| http::Response::new(()))
        .into_parts();
    parts.headers = header_map(&head.headers);
    parts
}

/// Statuses http-cache-semantics stores at all.
const UNDERSTOOD: [u16; 14] = [
    200, 203, 204, 300, 301, 302, 303, 307, 308, 404, 405, 410, 414, 501,
];

/// Whether the response carries explicit freshness (`max-age` or `Expires`).
fn has_explicit_freshness(head: &ResponseHead) -> bool {
    head.value("expires").is_some()
        || head
            .values("cache-control")
            .flat_map(|v| v.split(','))
            .any(|d| d.trim().to_ascii_lowercase().starts_with("max-age"))
}

/// The policy for a response received at `now`. A status http-cache-semantics does not
/// know (a 400 or 503, say) is stored when it carries explicit freshness, as Chromium and
/// RFC 9111 section 3 allow: the policy sees it as a 200 (the entry keeps the real one).
pub fn policy(
    method: &str,
    url: &Url,
    request_headers: &[(String, String)],
    head: &ResponseHead,
    now: SystemTime,
) -> CachePolicy {
    let mut response = response_parts(head);
    let unknown = !UNDERSTOOD.contains(&head.status) && head.status != 206 && head.status != 304;
    if unknown && (200..600).contains(&head.status) && has_explicit_freshness(head) {
        response.status = http::StatusCode::OK;
    }
    CachePolicy::new_options(
        &request_parts(method, url, request_headers),
        &response,
        now,
        options(),
    )
}

/// The age (seconds) until which a stale entry may still be served while it is
/// revalidated: `max-age` plus `stale-while-revalidate` (RFC 5861), when both are given.
pub fn stale_while_revalidate_until(meta: &EntryMeta) -> Option<u64> {
    let directive = |name: &str| {
        meta.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("cache-control"))
            .flat_map(|(_, v)| v.split(','))
            .find_map(|d| {
                let (key, value) = d.trim().split_once('=')?;
                key.trim()
                    .eq_ignore_ascii_case(name)
                    .then(|| value.trim().trim_matches('"').parse::<u64>().ok())?
            })
    };
    Some(directive("max-age")? + directive("stale-while-revalidate")?)
}

/// Chromium's freshness rule for a 301 or 308 without explicit freshness: fresh forever
/// (HttpResponseHeaders::GetFreshnessLifetimes).
pub fn is_permanent_redirect_without_expiry(meta: &EntryMeta) -> bool {
    let explicit = meta.headers.iter().any(|(name, value)| {
        name.eq_ignore_ascii_case("expires")
            || (name.eq_ignore_ascii_case("cache-control")
                && value.split(',').any(|d| {
                    let d = d.trim().to_ascii_lowercase();
                    d.starts_with("max-age") || d == "no-cache" || d == "must-revalidate"
                }))
    });
    matches!(meta.status, 301 | 308) && !explicit
}

/// Whether the request itself asks for revalidation (`no-cache`, `max-age=0`, Pragma).
pub fn asks_revalidation(headers: &[(String, String)]) -> bool {
    headers.iter().any(|(name, value)| {
        let value = value.to_ascii_lowercase();
        (name.eq_ignore_ascii_case("cache-control")
            && (value.contains("no-cache") || value.contains("max-age=0")))
            || (name.eq_ignore_ascii_case("pragma") && value.contains("no-cache"))
    })
}

/// Whether `Cache-Control` says `no-store`: the common case of a response never kept,
/// answered without building its policy.
pub fn says_no_store(headers: &[(String, String)]) -> bool {
    headers.iter().any(|(name, value)| {
        name.eq_ignore_ascii_case("cache-control")
            && value
                .split(',')
                .any(|directive| directive.trim().eq_ignore_ascii_case("no-store"))
    })
}
