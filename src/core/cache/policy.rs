//! The freshness rules (RFC 9111 as http-cache-semantics implements them, for a private
//! cache as Chromium's is: `private` stored, `s-maxage` ignored, 10 % heuristic freshness;
//! it reads the headers as `headers` rewrites them),
//! Chromium's own rules on top of them (permanent redirects, statuses with explicit
//! freshness, `stale-while-revalidate`), and the conversions from the stack's header lists
//! to the `http` types it reads.

use std::time::SystemTime;

use http::header::{HeaderMap, HeaderName, HeaderValue};
use http_cache_semantics::{CacheOptions, CachePolicy};
use url::Url;

use super::entry::EntryMeta;
use super::headers::{
    cache_control, directive_seconds, for_policy, has_directive, request_for_policy, Directive,
};
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

/// A response with `status` and `headers` (as `headers::for_policy` gives them), as the
/// policy reads it.
pub fn response_parts(status: u16, headers: &[(String, String)]) -> http::response::Parts {
    let (mut parts, ()) = http::Response::builder()
        .status(status)
        .body(())
        .unwrap_or_else(|_| http::Response::new(()))
        .into_parts();
    parts.headers = header_map(headers);
    parts
}

/// A 304 to the validators the cache sent, as the policy is to read it. Chromium takes
/// any 304 as "the stored response is current", whatever validators it carries (none, or
/// others), so the policy is shown the stored ones and matches.
pub fn not_modified_parts(
    head: &ResponseHead,
    stored: &EntryMeta,
    received: SystemTime,
) -> http::response::Parts {
    let is_validator = |name: &str| {
        name.eq_ignore_ascii_case("etag") || name.eq_ignore_ascii_case("last-modified")
    };
    let headers: Vec<(String, String)> = head
        .headers
        .iter()
        .filter(|(name, _)| !is_validator(name))
        .chain(stored.headers.iter().filter(|(name, _)| is_validator(name)))
        .cloned()
        .collect();
    response_parts(head.status, &for_policy(&headers, received))
}

/// Statuses http-cache-semantics stores at all.
const UNDERSTOOD: [u16; 14] = [
    200, 203, 204, 300, 301, 302, 303, 307, 308, 404, 405, 410, 414, 501,
];

/// Whether the response says it may be stored whatever its status: explicit freshness
/// (`max-age` or `Expires`), or `public` (RFC 9111 sections 3 and 4.2.2).
fn marked_storable(head: &ResponseHead, directives: &[Directive]) -> bool {
    head.value("expires").is_some()
        || has_directive(directives, "max-age")
        || has_directive(directives, "public")
}

/// The policy for a response received at `now`, reading its headers as `headers` says. A
/// status http-cache-semantics does not know (a 400, a 503, a 599) is stored when the
/// response marks itself storable, as Chromium and RFC 9111 allow: the policy sees it as a
/// 200 (the entry keeps the real one).
pub fn policy(
    method: &str,
    url: &Url,
    request_headers: &[(String, String)],
    head: &ResponseHead,
    now: SystemTime,
) -> CachePolicy {
    let mut status = head.status;
    let unknown = !UNDERSTOOD.contains(&status) && status != 206 && status != 304;
    let directives = cache_control(&head.headers);
    // `must-understand` (RFC 9111 section 5.2.2.3): a status the cache does not know is
    // not stored.
    let must_understand = has_directive(&directives, "must-understand");
    if unknown
        && !must_understand
        && (200..600).contains(&status)
        && marked_storable(head, &directives)
    {
        status = 200;
    }
    let response = response_parts(status, &for_policy(&head.headers, now));
    let request_headers = request_for_policy(request_headers, &head.headers);
    CachePolicy::new_options(
        &request_parts(method, url, &request_headers),
        &response,
        now,
        options(),
    )
}

/// The age (seconds) until which a stale entry may still be served while it is
/// revalidated: `max-age` plus `stale-while-revalidate` (RFC 5861), when both are given.
pub fn stale_while_revalidate_until(meta: &EntryMeta) -> Option<u64> {
    let directives = cache_control(&meta.headers);
    Some(
        directive_seconds(&directives, "max-age")?
            + directive_seconds(&directives, "stale-while-revalidate")?,
    )
}

/// Chromium's freshness rule for a 301 or 308 without explicit freshness: fresh forever
/// (HttpResponseHeaders::GetFreshnessLifetimes).
pub fn is_permanent_redirect_without_expiry(meta: &EntryMeta) -> bool {
    let directives = cache_control(&meta.headers);
    let explicit = meta
        .headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("expires"))
        || ["max-age", "no-cache", "must-revalidate"]
            .iter()
            .any(|name| has_directive(&directives, name));
    matches!(meta.status, 301 | 308) && !explicit
}

/// Whether the request itself asks for revalidation (`no-cache`, `max-age=0`, Pragma).
pub fn asks_revalidation(headers: &[(String, String)]) -> bool {
    let directives = cache_control(headers);
    has_directive(&directives, "no-cache")
        || directive_seconds(&directives, "max-age") == Some(0)
        || headers.iter().any(|(name, value)| {
            name.eq_ignore_ascii_case("pragma") && value.to_ascii_lowercase().contains("no-cache")
        })
}

/// Whether `Cache-Control` says `no-store`: a response never kept, answered without
/// building its policy; a request whose answer is neither taken from nor kept in the cache.
pub fn says_no_store(headers: &[(String, String)]) -> bool {
    has_directive(&cache_control(headers), "no-store")
}

/// Whether a request's `Cache-Control` says `only-if-cached`.
pub fn says_only_if_cached(headers: &[(String, String)]) -> bool {
    has_directive(&cache_control(headers), "only-if-cached")
}

/// Whether an entry is stale at `now` with nothing to revalidate it by (no `ETag`, no
/// `Last-Modified`) for a request that relaxes nothing (no `Cache-Control` of its own):
/// such a request can only go to the network.
pub fn is_unusable_when_stale(
    meta: &EntryMeta,
    request_headers: &[(String, String)],
    now: SystemTime,
) -> bool {
    let has = |headers: &[(String, String)], name: &str| {
        headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
    };
    !has(request_headers, "cache-control")
        && !has(&meta.headers, "etag")
        && !has(&meta.headers, "last-modified")
        && stale_while_revalidate_until(meta).is_none()
        && !is_permanent_redirect_without_expiry(meta)
        && meta.policy.is_stale(now)
}
