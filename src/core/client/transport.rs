//! The innermost stage: hyper-util's pooled clients over the session's `Connector`s, one
//! pool for each way out (DIRECT, each proxy), HTTP/1.1 keep-alive and HTTP/2 by ALPN; and
//! the mapping of hyper's failures to Chromium's error names.

use std::collections::HashMap;
use std::error::Error as StdError;
use std::sync::Mutex;
use std::time::Duration;

use hyper::body::Incoming;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use super::request::WireBody;
use crate::core::connect::head_tap::HeadTap;
use crate::core::connect::Connector;
use crate::core::net_error::NetError;
use crate::core::proxy::ProxyServer;

/// The pooled client type.
pub type PooledClient = Client<Connector, WireBody>;

/// How long an idle connection stays in the pool (Chromium's unused idle socket timeout is
/// 10 s, its used one 5 min; hyper has one knob).
pub const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);

/// The most response header bytes Chromium accepts (its HttpStreamParser's
/// kMaxHeaderBufSize, also its HTTP/2 header list limit), checked in `wire::head_from`.
pub const MAX_RESPONSE_HEADER_BYTES: usize = 256 * 1024;

/// The most response header lines accepted (more is `net::ERR_RESPONSE_HEADERS_TOO_BIG`).
pub const MAX_RESPONSE_HEADER_LINES: usize = 16 * 1024;

/// A fresh pool over `connector`.
pub fn pooled_client(connector: Connector) -> PooledClient {
    Client::builder(TokioExecutor::new())
        .pool_idle_timeout(POOL_IDLE_TIMEOUT)
        .pool_timer(TokioTimer::new())
        .pool_max_idle_per_host(256)
        // hyper cannot send a caller's own spelling of a header name, so HTTP/1 names go
        // out in Title-Case, which is how Chromium spells every header it adds itself.
        .http1_title_case_headers(true)
        // Chromium limits response headers by size (256 KiB, checked in `wire::head_from`),
        // not by number: hyper's default of 100 would refuse a page with many Set-Cookie
        // lines. http's HeaderMap panics beyond 24,576 entries, so the count stops short.
        .http1_max_headers(MAX_RESPONSE_HEADER_LINES)
        .http2_max_header_list_size(MAX_RESPONSE_HEADER_BYTES as u32)
        .build(connector)
}

/// A session's connection pools: one per way out, so that a connection made through one
/// proxy never carries a request meant for another, or for none.
pub struct Pools {
    connector: Connector,
    direct: PooledClient,
    proxied: Mutex<HashMap<ProxyServer, PooledClient>>,
}

impl Pools {
    /// Empty pools whose connections the session's `connector` makes.
    pub fn new(connector: Connector) -> Self {
        Self {
            direct: pooled_client(connector.clone()),
            connector,
            proxied: Mutex::default(),
        }
    }

    /// The pool of connections going out `via` (DIRECT or a proxy).
    pub fn via(&self, via: &ProxyServer) -> PooledClient {
        if via.is_direct() {
            return self.direct.clone();
        }
        let mut proxied = self.proxied.lock().unwrap_or_else(|p| p.into_inner());
        proxied
            .entry(via.clone())
            .or_insert_with(|| pooled_client(self.connector.via(via.clone())))
            .clone()
    }
}

/// Why a request got no response.
#[derive(Debug, Clone, Copy)]
pub struct SendFailure {
    /// Chromium's error.
    pub error: NetError,
    /// True when no connection was made (nothing of the request was sent).
    pub connecting: bool,
}

/// Sends one request through a pool.
pub async fn send(
    client: &PooledClient,
    request: http::Request<WireBody>,
) -> Result<http::Response<Incoming>, SendFailure> {
    let mut response = client.request(request).await.map_err(|e| SendFailure {
        error: request_error(&e),
        connecting: e.is_connect(),
    })?;
    // The head as the server spelled it, taken off the connection's tap at once: the
    // connection carries no other request until this response is done.
    if let Some(raw) = response
        .extensions()
        .get::<HeadTap>()
        .and_then(HeadTap::take)
    {
        response.extensions_mut().insert(raw);
    }
    Ok(response)
}

/// Chromium's name for a failed request (before any response head).
pub fn request_error(error: &hyper_util::client::legacy::Error) -> NetError {
    let mut source: Option<&(dyn StdError + 'static)> = error.source();
    while let Some(e) = source {
        if let Some(net) = e.downcast_ref::<NetError>() {
            return *net;
        }
        if let Some(hyper) = e.downcast_ref::<hyper::Error>() {
            return hyper_error(hyper, None);
        }
        source = e.source();
    }
    if error.is_connect() {
        NetError::ConnectionFailed
    } else {
        NetError::Failed
    }
}

/// Chromium's name for a failure while reading a body.
pub fn body_error(error: &hyper::Error, chunked: bool) -> NetError {
    hyper_error(error, Some(chunked))
}

/// `chunked` is `Some` once a head has arrived (then an early end means a truncated body).
fn hyper_error(error: &hyper::Error, chunked: Option<bool>) -> NetError {
    let truncated = |chunked: Option<bool>| match chunked {
        None => NetError::EmptyResponse,
        Some(true) => NetError::IncompleteChunkedEncoding,
        Some(false) => NetError::ContentLengthMismatch,
    };
    if let Some(io) = find::<std::io::Error>(error) {
        // The peer closed mid-message: for a body that is a truncated transfer.
        if io.kind() == std::io::ErrorKind::UnexpectedEof && chunked.is_some() {
            return truncated(chunked);
        }
        // hyper's chunked decoder reports a bad size line or chunk end as invalid input.
        if chunked == Some(true)
            && matches!(
                io.kind(),
                std::io::ErrorKind::InvalidInput | std::io::ErrorKind::InvalidData
            )
        {
            return NetError::InvalidChunkedEncoding;
        }
        return crate::core::connect::tcp::io_error(io);
    }
    if find::<h2::Error>(error).is_some() {
        return NetError::Http2ProtocolError;
    }
    if error.is_incomplete_message() {
        return truncated(chunked);
    }
    if error.is_parse() {
        let text = error.to_string();
        if text.contains("too large") {
            return NetError::ResponseHeadersTooBig;
        }
        if text.contains("content-length") {
            return NetError::ResponseHeadersMultipleContentLength;
        }
        return match chunked {
            Some(true) => NetError::InvalidChunkedEncoding,
            _ => NetError::InvalidHttpResponse,
        };
    }
    if error.is_canceled() || error.is_closed() {
        return NetError::ConnectionClosed;
    }
    NetError::Failed
}

fn find<'a, T: StdError + 'static>(error: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    let mut current: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(e) = current {
        if let Some(t) = e.downcast_ref::<T>() {
            return Some(t);
        }
        current = e.source();
    }
    None
}
