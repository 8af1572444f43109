//! Between the stack's own types and hyper's: the header list a request carries (the
//! caller's, then the defaults, credentials and cookies the stages add), the
//! `http::Request` made of it, and the `ResponseHead` made of hyper's response parts.

use http::header::{HeaderName, HeaderValue};

use super::fetch_site::FetchSite;
use super::request::{RequestBody, RequestSpec, WireBody};
use super::response::ResponseHead;
use super::{headers, transport};
use crate::core::connect::head_tap::RawHead;
use crate::core::connect::stream::RemoteIp;
use crate::core::identity::Identity;
use crate::core::net_error::NetError;

/// Headers the transport owns: the message's framing (`Content-Length`,
/// `Transfer-Encoding`, `Trailer`, `TE`, `Expect`), `Host`, and connection management
/// (`Connection`, `Keep-Alive`, `Upgrade`, `Proxy-Connection`). `ClientRequest.setHeader`
/// refuses them (lib/client-request.js keeps the same list), and a webRequest listener's
/// values for them are ignored, as Chromium's stack sets them itself: a listener's
/// `Content-Length` on a GET would otherwise hang it, and its `Transfer-Encoding` drop a body.
pub fn is_transport_owned(name: &str) -> bool {
    const OWNED: [&str; 10] = [
        "content-length",
        "transfer-encoding",
        "connection",
        "keep-alive",
        "upgrade",
        "te",
        "trailer",
        "expect",
        "proxy-connection",
        "host",
    ];
    OWNED.iter().any(|owned| owned.eq_ignore_ascii_case(name))
}

/// Whether a header list has `name` (case-insensitive).
pub fn has(list: &[(String, String)], name: &str) -> bool {
    list.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
}

/// Sets `name` to `value`, replacing every earlier value of it.
pub fn set_header(list: &mut Vec<(String, String)>, name: &str, value: String) {
    list.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    list.push((name.to_owned(), value));
}

/// The headers a request shows webRequest, in order: the caller's as written, then the
/// defaults it did not set, then `Cookie` when the cookie stage has one and the caller did
/// not set its own. (Credentials the auth stages add come after the listeners.)
pub fn compose_headers(
    spec: &RequestSpec,
    identity: &Identity,
    fetch_site: FetchSite,
    cookie: impl FnOnce() -> Option<String>,
) -> Vec<(String, String)> {
    let mut list = spec.headers.clone();
    for (name, value) in headers::defaults(identity, fetch_site.as_str(), spec.resource_type) {
        if !has(&list, name) {
            list.push((name.to_owned(), value));
        }
    }
    if !has(&list, "cookie") {
        if let Some(value) = cookie() {
            list.push(("Cookie".to_owned(), value));
        }
    }
    list
}

/// The hyper request for `spec` with `headers`; a replayable body stays in `spec`.
pub fn to_http(
    spec: &mut RequestSpec,
    headers: &[(String, String)],
) -> Result<http::Request<WireBody>, NetError> {
    let mut target = spec.url.clone();
    target.set_fragment(None);
    let uri: http::Uri = target.as_str().parse().map_err(|_| NetError::InvalidUrl)?;
    let mut builder = http::Request::builder()
        .method(spec.method.as_str())
        .uri(uri);
    let map = builder.headers_mut().ok_or(NetError::InvalidArgument)?;
    for (name, value) in headers {
        let name =
            HeaderName::from_bytes(name.as_bytes()).map_err(|_| NetError::InvalidArgument)?;
        let value = HeaderValue::from_str(value).map_err(|_| NetError::InvalidArgument)?;
        map.append(name, value);
    }
    let body = match std::mem::replace(&mut spec.body, RequestBody::Empty) {
        RequestBody::Empty => WireBody::Full(None),
        RequestBody::Bytes(bytes) => {
            spec.body = RequestBody::Bytes(bytes.clone());
            WireBody::Full(Some(bytes))
        }
        RequestBody::Stream(slot) => {
            let wire = slot.take_for_wire();
            spec.body = RequestBody::Stream(slot);
            wire
        }
    };
    let body = body.reported(spec.upload_progress.as_ref());
    builder.body(body).map_err(|_| NetError::InvalidArgument)
}

/// The response's headers: as the server spelled and ordered them when the connection's
/// head tap read the same head hyper parsed (HTTP/1), else as hyper has them (lower case,
/// a repeated name's values together). Values are decoded as UTF-8, as Electron shows them.
fn headers_as_sent(parts: &http::response::Parts) -> Vec<(String, String)> {
    let text = |v: &[u8]| String::from_utf8_lossy(v).into_owned();
    match parts.extensions.get::<RawHead>() {
        Some(raw) if raw.agrees_with(parts.status.as_u16(), &parts.headers) => raw
            .headers
            .iter()
            .map(|(n, v)| (n.clone(), text(v)))
            .collect(),
        _ => parts
            .headers
            .iter()
            .map(|(n, v)| (n.as_str().to_owned(), text(v.as_bytes())))
            .collect(),
    }
}

/// The head of a hyper response from `url`; `net::ERR_RESPONSE_HEADERS_TOO_BIG` when its
/// headers take more than Chromium's 256 KiB (counted as they travel in HTTP/1:
/// `name: value` and a line end each).
pub fn head_from(parts: &http::response::Parts, url: &url::Url) -> Result<ResponseHead, NetError> {
    let size: usize = parts
        .headers
        .iter()
        .map(|(n, v)| n.as_str().len() + v.len() + 4)
        .sum();
    if size > transport::MAX_RESPONSE_HEADER_BYTES {
        return Err(NetError::ResponseHeadersTooBig);
    }
    Ok(ResponseHead {
        status: parts.status.as_u16(),
        status_message: parts
            .extensions
            .get::<hyper::ext::ReasonPhrase>()
            .map(|r| String::from_utf8_lossy(r.as_bytes()).into_owned())
            .unwrap_or_else(|| parts.status.canonical_reason().unwrap_or("").to_owned()),
        version: match parts.version {
            http::Version::HTTP_09 => (0, 9),
            http::Version::HTTP_10 => (1, 0),
            http::Version::HTTP_2 => (2, 0),
            http::Version::HTTP_3 => (3, 0),
            _ => (1, 1),
        },
        headers: headers_as_sent(parts),
        url: url.clone(),
        ip: parts.extensions.get::<RemoteIp>().map(|r| r.0),
    })
}
