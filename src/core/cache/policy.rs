//! The freshness rules (RFC 9111 as http-cache-semantics implements them, for a private
//! cache as Chromium's is: `private` stored, `s-maxage` ignored, 10 % heuristic freshness),
//! and the conversions from the stack's header lists to the `http` types it reads.

use std::time::SystemTime;

use http::header::{HeaderMap, HeaderName, HeaderValue};
use http_cache_semantics::{CacheOptions, CachePolicy};
use url::Url;

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

/// The policy for a response received at `now`.
pub fn policy(
    method: &str,
    url: &Url,
    request_headers: &[(String, String)],
    head: &ResponseHead,
    now: SystemTime,
) -> CachePolicy {
    CachePolicy::new_options(
        &request_parts(method, url, request_headers),
        &response_parts(head),
        now,
        options(),
    )
}
