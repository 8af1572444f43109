//! What a request is made of before it reaches the stack: method, URL, the caller's headers
//! (order and case kept), the body, and the per-request policies Electron's options set.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use url::Url;

use super::priority::Priority;
use super::upload_progress::{ProgressReport, Reported};
use crate::core::cache::CacheMode;
use crate::core::net_error::NetError;
use crate::core::resource_type::ResourceType;

/// The longest URL Chromium handles (url::kMaxURLChars); longer ones are invalid.
pub const MAX_URL_CHARS: usize = 2 * 1024 * 1024;

/// Parses a request's URL as Chromium would accept it: `net::ERR_INVALID_URL` when it does
/// not parse or is longer than `MAX_URL_CHARS`. A custom scheme registered as standard
/// (`registerSchemesAsPrivileged`) is canonicalised as Chromium's host-only standard schemes
/// are: like http, with a host required and no port or credentials (`app:///foo` and
/// `app://foo:1234` are `app://foo/`; `app://` is invalid).
pub fn parse_url(text: &str) -> Result<Url, NetError> {
    if text.len() > MAX_URL_CHARS {
        return Err(NetError::InvalidUrl);
    }
    let url = Url::parse(text).map_err(|_| NetError::InvalidUrl)?;
    let builtin = matches!(
        url.scheme(),
        "http" | "https" | "file" | "data" | "ws" | "wss"
    );
    if !builtin && crate::core::web_request::is_custom_standard(url.scheme()) {
        return standard_form(&url);
    }
    Ok(url)
}

/// `url` of a custom standard scheme, canonicalised by the rules of http.
fn standard_form(url: &Url) -> Result<Url, NetError> {
    let scheme = url.scheme();
    let as_http = Url::parse(&format!("http{}", &url.as_str()[scheme.len()..]))
        .map_err(|_| NetError::InvalidUrl)?;
    let host = as_http.host_str().ok_or(NetError::InvalidUrl)?;
    let mut text = format!("{scheme}://{host}{}", as_http.path());
    if let Some(query) = as_http.query() {
        text.push('?');
        text.push_str(query);
    }
    if let Some(fragment) = as_http.fragment() {
        text.push('#');
        text.push_str(fragment);
    }
    Url::parse(&text).map_err(|_| NetError::InvalidUrl)
}

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
    Stream(UploadSlot),
}

impl RequestBody {
    /// A streamed body read from `rx`; it ends normally when every sender is dropped, and
    /// fails (so the connection is torn down without ending the message) once `aborted` is
    /// cancelled.
    pub fn stream(rx: mpsc::Receiver<Bytes>, aborted: CancellationToken) -> Self {
        Self::Stream(UploadSlot(Arc::new(Mutex::new(Some(Upload {
            rx,
            aborted,
        })))))
    }

    /// The whole body, a streamed one read to its end first (and kept, so that it can be
    /// replayed like a known one): for protocol handlers, which take a request's body as
    /// one piece. `net::ERR_ABORTED` when the caller gave the upload up.
    pub async fn read_whole(&mut self) -> Result<Option<Bytes>, NetError> {
        use http_body_util::BodyExt;
        match self {
            Self::Empty => Ok(None),
            Self::Bytes(bytes) => Ok(Some(bytes.clone())),
            Self::Stream(slot) => {
                let bytes = slot.take_for_wire().collect().await?.to_bytes();
                *self = Self::Bytes(bytes.clone());
                Ok(Some(bytes))
            }
        }
    }
}

/// A streamed upload: the caller's chunks, and whether the caller gave up on it.
struct Upload {
    rx: mpsc::Receiver<Bytes>,
    aborted: CancellationToken,
}

/// Where a streamed upload waits until a connection takes it. A connection that failed
/// before asking for the first byte puts it back, so the request can still go out another
/// way (proxy failover); once read from, it is gone for good.
#[derive(Clone)]
pub struct UploadSlot(Arc<Mutex<Option<Upload>>>);

impl UploadSlot {
    /// The body hyper sends: the upload, if it has not been taken.
    pub(super) fn take_for_wire(&self) -> WireBody {
        match self.0.lock().unwrap_or_else(|p| p.into_inner()).take() {
            Some(upload) => WireBody::Stream(WireUpload {
                upload: Some(upload),
                started: false,
                home: self.clone(),
            }),
            None => WireBody::Full(None),
        }
    }

    /// Whether the upload is still unsent (a failed connection may try the next route).
    pub fn is_unsent(&self) -> bool {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).is_some()
    }
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
    /// Answer servers' 401s and send cached credentials pre-emptively; false for
    /// `credentials: 'omit'` (Chromium's allow_credentials), whose 401 is delivered as is.
    pub server_auth: bool,
    /// Skip the session's protocol handlers (fetch's `bypassCustomProtocolHandlers`).
    pub bypass_custom_handlers: bool,
    /// How the request uses the HTTP cache.
    pub cache_mode: CacheMode,
    /// The request's priority (the `priority` header on HTTP/2).
    pub priority: Priority,
    /// Told the body's progress as it goes out (ClientRequest's `upload-progress`).
    pub upload_progress: Option<ProgressReport>,
    /// The origin the request is made for (Electron's `origin` option, else the caller's
    /// `Origin` header): Chromium's request initiator, which `Sec-Fetch-Site` relates to.
    pub initiator: Option<url::Origin>,
    /// What the request loads (Electron's `resourceType`): shown to webRequest, and the
    /// Accept and sec-fetch-* headers it goes out with.
    pub resource_type: ResourceType,
    /// The webContents it loads for (webRequest's `webContentsId`), if any.
    pub web_contents_id: Option<u32>,
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
    /// Chunks as the caller writes them.
    Stream(WireUpload),
    /// Either of the above, its progress reported (ClientRequest's upload-progress).
    Reported(Box<Reported<WireBody>>),
}

impl WireBody {
    /// This body, reporting its progress to `report` when there is one.
    pub fn reported(self, report: Option<&ProgressReport>) -> Self {
        match report {
            Some(report) => Self::Reported(Box::new(Reported::new(self, report.clone()))),
            None => self,
        }
    }
}

/// A streamed upload on its way out.
pub struct WireUpload {
    upload: Option<Upload>,
    started: bool,
    home: UploadSlot,
}

impl Drop for WireUpload {
    fn drop(&mut self) {
        if !self.started {
            if let Some(upload) = self.upload.take() {
                *self.home.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(upload);
            }
        }
    }
}

impl Body for WireBody {
    type Data = Bytes;
    type Error = NetError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        match self.get_mut() {
            Self::Full(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Self::Reported(reported) => Pin::new(reported.as_mut()).poll_frame(cx),
            Self::Stream(wire) => {
                wire.started = true;
                let Some(upload) = wire.upload.as_mut() else {
                    return Poll::Ready(None);
                };
                match upload.rx.poll_recv(cx) {
                    Poll::Ready(Some(chunk)) => Poll::Ready(Some(Ok(Frame::data(chunk)))),
                    // The senders are gone: a finished upload ends the message, an
                    // abandoned one fails it, so hyper closes the connection without the
                    // last chunk (or the rest of a Content-Length) and the server can tell.
                    Poll::Ready(None) if upload.aborted.is_cancelled() => {
                        wire.upload = None;
                        Poll::Ready(Some(Err(NetError::Aborted)))
                    }
                    Poll::Ready(None) => {
                        wire.upload = None;
                        Poll::Ready(None)
                    }
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            Self::Reported(reported) => reported.is_end_stream(),
            other => matches!(other, Self::Full(None)),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Self::Full(Some(b)) => SizeHint::with_exact(b.len() as u64),
            Self::Full(None) => SizeHint::with_exact(0),
            Self::Stream(_) => SizeHint::default(),
            Self::Reported(reported) => reported.size_hint(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonicalises_custom_standard_schemes_as_http() {
        crate::core::web_request::set_standard_schemes(vec!["app-std".to_owned()]);
        let parsed = |text: &str| parse_url(text).map(|u| u.to_string());
        assert_eq!(parsed("app-std://foo").unwrap(), "app-std://foo/");
        assert_eq!(parsed("app-std:///foo").unwrap(), "app-std://foo/");
        assert_eq!(parsed("app-std://foo:1234").unwrap(), "app-std://foo/");
        assert_eq!(
            parsed("app-std://u:p@FOO/a/../b?q#f").unwrap(),
            "app-std://foo/b?q#f"
        );
        assert!(parsed("app-std://").is_err());
        assert_eq!(parsed("other://foo/:30").unwrap(), "other://foo/:30");
        assert_eq!(parsed("other://").unwrap(), "other://");
    }
}
