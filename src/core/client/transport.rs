//! The innermost stage: hyper-util's pooled client over the session's `Connector`
//! (HTTP/1.1 keep-alive, HTTP/2 by ALPN), and the mapping of hyper's failures to
//! Chromium's error names.

use std::error::Error as StdError;
use std::time::Duration;

use hyper::body::Incoming;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use super::request::WireBody;
use crate::core::connect::Connector;
use crate::core::net_error::NetError;

/// The pooled client type.
pub type PooledClient = Client<Connector, WireBody>;

/// How long an idle connection stays in the pool (Chromium's unused idle socket timeout is
/// 10 s, its used one 5 min; hyper has one knob).
pub const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);

/// A fresh pool over `connector`.
pub fn pooled_client(connector: Connector) -> PooledClient {
    Client::builder(TokioExecutor::new())
        .pool_idle_timeout(POOL_IDLE_TIMEOUT)
        .pool_timer(TokioTimer::new())
        .pool_max_idle_per_host(256)
        // hyper cannot send a caller's own spelling of a header name, so HTTP/1 names go
        // out in Title-Case, which is how Chromium spells every header it adds itself.
        .http1_title_case_headers(true)
        .build(connector)
}

/// Sends one request through the pool.
pub async fn send(
    client: &PooledClient,
    request: http::Request<WireBody>,
) -> Result<http::Response<Incoming>, NetError> {
    client.request(request).await.map_err(|e| request_error(&e))
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
