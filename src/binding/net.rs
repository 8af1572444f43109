//! The native half of a request (Electron's URLLoader): JS starts it, then resumes it at
//! each stop (redirect, login) and pulls the body. A step crosses to JS as one object with
//! the head packed in strings, and a small body rides along with the head, so a typical
//! request costs two crossings.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use tokio::sync::{mpsc, Mutex as AsyncMutex};
use tokio_util::sync::CancellationToken;
use url::Url;

use crate::core::client::auth::Credentials;
use crate::core::client::redirect::RedirectInfo;
use crate::core::client::response::{Prefetched, MAX_READ};
use crate::core::client::{
    Exchange, RedirectMode, RequestBody, RequestSpec, ResponseHead, Step,
};
use crate::core::net_error::NetError;
use crate::core::session::Session;

type NetResult<T> = std::result::Result<T, NetError>;

/// How much body is handed over with the head when it is already there.
const INLINE_BODY: usize = 64 * 1024;

/// Pieces of a response body read ahead while JS handles the last one (each up to 1 MiB).
const PREFETCH_DEPTH: usize = 4;

/// Chunks a streamed upload may have in flight.
const UPLOAD_QUEUE: usize = 16;

/// One step as JS receives it. `kind`: 0 response, 1 redirect, 2 login.
#[napi(object)]
pub struct NativeStep {
    /// 0 response, 1 redirect (stopped), 2 login.
    pub kind: u32,
    /// Status code (of the response or the redirect).
    pub status_code: u32,
    /// Reason phrase.
    pub status_message: String,
    /// `1.1`, `2.0`, ...
    pub http_version: String,
    /// Header names and values, NUL separated, alternating.
    pub headers: String,
    /// URL of this response.
    pub url: String,
    /// Redirects followed to get here: status, method, URL and headers, NUL separated, four
    /// fields per redirect, the headers themselves joined with `\u{1}`.
    pub redirects: String,
    /// For a stopped redirect: the next method.
    pub new_method: Option<String>,
    /// For a stopped redirect: the next URL.
    pub new_url: Option<String>,
    /// For a login: `isProxy\0scheme\0host\0port\0realm`.
    pub auth: Option<String>,
    /// Body bytes that were already there (may be the whole body).
    pub body: Option<Buffer>,
    /// True when `body` is the whole body.
    pub done: bool,
}

fn pack_headers(headers: &[(String, String)], sep: char) -> String {
    let mut out = String::with_capacity(headers.len() * 32);
    for (i, (name, value)) in headers.iter().enumerate() {
        if i > 0 {
            out.push(sep);
        }
        out.push_str(name);
        out.push(sep);
        out.push_str(value);
    }
    out
}

fn version(head: &ResponseHead) -> String {
    format!("{}.{}", head.version.0, head.version.1)
}

fn pack_redirects(redirects: &[RedirectInfo]) -> String {
    let mut out = String::new();
    for (i, r) in redirects.iter().enumerate() {
        if i > 0 {
            out.push('\0');
        }
        out.push_str(&r.status_code.to_string());
        out.push('\0');
        out.push_str(&r.new_method);
        out.push('\0');
        out.push_str(r.new_url.as_str());
        out.push('\0');
        out.push_str(&pack_headers(&r.head.headers, '\u{1}'));
    }
    out
}

fn base_step(kind: u32, head: &ResponseHead) -> NativeStep {
    NativeStep {
        kind,
        status_code: head.status as u32,
        status_message: head.status_message.clone(),
        http_version: version(head),
        headers: pack_headers(&head.headers, '\0'),
        url: head.url.to_string(),
        redirects: String::new(),
        new_method: None,
        new_url: None,
        auth: None,
        body: None,
        done: false,
    }
}

fn net_error(e: NetError) -> napi::Error {
    napi::Error::from_reason(e.message())
}

/// A request in progress.
#[napi]
pub struct NativeRequest {
    exchange: Arc<AsyncMutex<Exchange>>,
    body: Arc<AsyncMutex<Option<Prefetched>>>,
    upload: Arc<Mutex<Option<mpsc::Sender<Bytes>>>>,
    cancel: CancellationToken,
}

/// Runs `work` unless the request is cancelled first (then `net::ERR_ABORTED`).
async fn cancellable<T>(
    cancel: &CancellationToken,
    work: impl std::future::Future<Output = NetResult<T>>,
) -> NetResult<T> {
    tokio::select! {
        biased;
        _ = cancel.cancelled() => Err(NetError::Aborted),
        r = work => r,
    }
}

/// `NativeSession.request` flags: a streamed body fed with `write`/`endUpload`.
pub const FLAG_CHUNKED: u32 = 1;
/// Follow redirects (else stop at each).
pub const FLAG_FOLLOW: u32 = 2;
/// Attach and store session cookies.
pub const FLAG_COOKIES: u32 = 4;
/// Stop at a 401 with a login step.
pub const FLAG_PROMPT_AUTH: u32 = 8;

impl NativeRequest {
    /// Prepares a request on `session`; errors are Chromium's (`net::ERR_INVALID_URL`).
    /// `headers` are names and values joined with NUL; `flags` the `FLAG_*` bits. Arguments
    /// are positional because each object field read is a crossing of its own.
    pub(crate) fn create(
        session: Arc<Session>,
        method: String,
        url: &str,
        headers: &str,
        body: Option<Buffer>,
        flags: u32,
    ) -> Result<Self> {
        let url = Url::parse(url).map_err(|_| net_error(NetError::InvalidUrl))?;
        let mut pairs = Vec::new();
        if !headers.is_empty() {
            let mut it = headers.split('\0');
            while let (Some(n), Some(v)) = (it.next(), it.next()) {
                pairs.push((n.to_owned(), v.to_owned()));
            }
        }
        let (body, upload) = if flags & FLAG_CHUNKED != 0 {
            let (tx, rx) = mpsc::channel(UPLOAD_QUEUE);
            (RequestBody::Stream(rx), Some(tx))
        } else {
            match body {
                Some(b) if !b.is_empty() => (RequestBody::Bytes(Bytes::copy_from_slice(&b)), None),
                _ => (RequestBody::Empty, None),
            }
        };
        let spec = RequestSpec {
            method,
            url,
            headers: pairs,
            body,
            redirect: if flags & FLAG_FOLLOW != 0 {
                RedirectMode::Follow
            } else {
                RedirectMode::Stop
            },
            use_cookies: flags & FLAG_COOKIES != 0,
            prompt_auth: flags & FLAG_PROMPT_AUTH != 0,
        };
        let net = session.net().clone();
        Ok(Self {
            exchange: Arc::new(AsyncMutex::new(Exchange::new(session, net, spec))),
            body: Arc::default(),
            upload: Arc::new(Mutex::new(upload)),
            cancel: CancellationToken::new(),
        })
    }

    fn step_promise<'env, F, Fut>(
        &self,
        env: &'env Env,
        drive: F,
    ) -> Result<PromiseRaw<'env, NativeStep>>
    where
        F: FnOnce(Arc<AsyncMutex<Exchange>>) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = NetResult<Step>> + Send,
    {
        let exchange = self.exchange.clone();
        let body_slot = self.body.clone();
        let cancel = self.cancel.clone();
        env.spawn_future(async move {
            let step = cancellable(&cancel, drive(exchange))
                .await
                .map_err(net_error)?;
            Ok(match step {
                Step::Redirect(info) => {
                    let mut s = base_step(1, &info.head);
                    s.new_method = Some(info.new_method);
                    s.new_url = Some(info.new_url.to_string());
                    s
                }
                Step::Login(info) => {
                    let mut s = NativeStep { ..empty_step(2) };
                    s.auth = Some(format!(
                        "{}\0{}\0{}\0{}\0{}",
                        info.is_proxy, info.scheme, info.host, info.port, info.realm
                    ));
                    s
                }
                Step::Response(delivered) => {
                    let mut s = base_step(0, &delivered.head);
                    s.redirects = pack_redirects(&delivered.redirects);
                    let mut body = delivered.body;
                    let ready = body.read_ready(INLINE_BODY).map_err(net_error)?;
                    s.body = ready.map(|b| Buffer::from(Vec::from(b)));
                    s.done = body.is_done();
                    if !s.done {
                        *body_slot.lock().await = Some(body.prefetch(PREFETCH_DEPTH));
                    }
                    s
                }
            })
        })
    }
}

fn empty_step(kind: u32) -> NativeStep {
    NativeStep {
        kind,
        status_code: 0,
        status_message: String::new(),
        http_version: String::new(),
        headers: String::new(),
        url: String::new(),
        redirects: String::new(),
        new_method: None,
        new_url: None,
        auth: None,
        body: None,
        done: false,
    }
}

#[napi]
impl NativeRequest {
    /// Sends the request; resolves with the first step.
    #[napi]
    pub fn start<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, NativeStep>> {
        self.step_promise(env, |ex| async move { ex.lock().await.start().await })
    }

    /// Follows a stopped redirect.
    #[napi]
    pub fn follow_redirect<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, NativeStep>> {
        self.step_promise(
            env,
            |ex| async move { ex.lock().await.follow_redirect().await },
        )
    }

    /// Answers a login step; no arguments cancels (the 401 becomes the response).
    #[napi]
    pub fn login<'env>(
        &self,
        env: &'env Env,
        username: Option<String>,
        password: Option<String>,
    ) -> Result<PromiseRaw<'env, NativeStep>> {
        let credentials = username.map(|username| Credentials {
            username,
            password: password.unwrap_or_default(),
        });
        self.step_promise(env, move |ex| async move {
            ex.lock().await.answer_login(credentials).await
        })
    }

    /// The next piece of the body (up to 1 MiB, whatever is ready), or null at the end.
    #[napi]
    pub fn read<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, Option<Buffer>>> {
        let body = self.body.clone();
        let cancel = self.cancel.clone();
        env.spawn_future(async move {
            if cancel.is_cancelled() {
                return Err(net_error(NetError::Aborted));
            }
            let mut guard = body.lock().await;
            let Some(body) = guard.as_mut() else {
                return Ok(None);
            };
            let piece = cancellable(&cancel, body.read(MAX_READ))
                .await
                .map_err(net_error)?;
            if piece.is_none() {
                *guard = None;
            }
            Ok(piece.map(|b| Buffer::from(Vec::from(b))))
        })
    }

    /// Sends a piece of a streamed upload; resolves when the stack has taken it.
    #[napi]
    pub fn write<'env>(&self, env: &'env Env, chunk: Buffer) -> Result<PromiseRaw<'env, ()>> {
        let sender = self
            .upload
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let bytes = Bytes::copy_from_slice(&chunk);
        env.spawn_future(async move {
            match sender {
                Some(tx) => tx
                    .send(bytes)
                    .await
                    .map_err(|_| net_error(NetError::ConnectionClosed)),
                None => Err(napi::Error::from_reason("The upload has already ended")),
            }
        })
    }

    /// Ends a streamed upload.
    #[napi]
    pub fn end_upload(&self) {
        self.upload.lock().unwrap_or_else(|p| p.into_inner()).take();
    }

    /// Cancels the request: pending steps and reads reject with `net::ERR_ABORTED`, the
    /// connection is dropped.
    #[napi]
    pub fn cancel(&self) {
        self.cancel.cancel();
        self.upload.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Ok(mut body) = self.body.try_lock() {
            body.take();
        }
    }
}
