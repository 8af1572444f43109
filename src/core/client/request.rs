//! What a request is made of before it reaches the stack: method, URL, the caller's headers
//! (order and case kept), the body, and the per-request policies Electron's options set.

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::sync::mpsc;
use url::Url;

/// Redirect handling as the core sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirectMode {
    /// Follow up to the limit, reporting each hop with the response.
    Follow,
    /// Stop at each redirect and let the caller decide (`manual` and `error`).
    Stop,
}

/// The body of a request.
pub enum RequestBody {
    /// No body.
    Empty,
    /// A body known in full (replayable on 307/308 and auth retries).
    Bytes(Bytes),
    /// A streamed (chunked) body, fed by the caller; sent once, never replayed.
    Stream(mpsc::Receiver<Bytes>),
}

/// A request as the caller built it.
pub struct RequestSpec {
    /// Upper-case method.
    pub method: String,
    /// Absolute http(s) URL; credentials in it are used for auth, never sent.
    pub url: Url,
    /// Caller's headers in order, names as written.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: RequestBody,
    /// Follow or stop at redirects.
    pub redirect: RedirectMode,
    /// Attach session cookies and store `Set-Cookie` (Electron's `credentials`/`useSessionCookies`).
    pub use_cookies: bool,
    /// Ask the caller for credentials on 401/407 (ClientRequest's `login` event) instead of
    /// delivering the challenge response.
    pub prompt_auth: bool,
    /// Skip the session's protocol handlers (fetch's `bypassCustomProtocolHandlers`).
    pub bypass_custom_handlers: bool,
}

impl RequestSpec {
    /// The caller's value for a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Removes a header by case-insensitive name.
    pub fn remove_header(&mut self, name: &str) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    }
}

/// The body hyper sends: one buffer, or the caller's stream.
pub enum WireBody {
    /// A complete body (possibly empty).
    Full(Option<Bytes>),
    /// Chunks as the caller writes them; the stream ends when the sender is dropped.
    Stream(mpsc::Receiver<Bytes>),
}

impl Body for WireBody {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        match self.get_mut() {
            Self::Full(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Self::Stream(rx) => rx.poll_recv(cx).map(|c| c.map(|b| Ok(Frame::data(b)))),
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, Self::Full(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Self::Full(Some(b)) => SizeHint::with_exact(b.len() as u64),
            Self::Full(None) => SizeHint::with_exact(0),
            Self::Stream(_) => SizeHint::default(),
        }
    }
}
