//! The native half of a request (Electron's URLLoader). JS starts a request with one call
//! and gets an id; every outcome (steps, body pieces, failures) comes back through the
//! event channel of `net_events`, exactly one event for each call that asks for one
//! (start, follow, login, read, write). JS resumes a request at a stop (redirect, login), pulls
//! its body and cancels it by id. A small body rides along with the head, so a typical
//! request costs one call and a share of one wake-up.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use bytes::Bytes;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use tokio::sync::{mpsc, Mutex as AsyncMutex};
use tokio_util::sync::CancellationToken;

use super::error::{net_to_js, Code};
use super::net_events::{self, Event, EventKind, NativeEvent};
use super::request_spec::{self, has_flag, Loading, RequestFlag};
use super::session::NativeSession;
use crate::core::auth::Credentials;
use crate::core::client::prefetch::Prefetched;
use crate::core::client::redirect::RedirectInfo;
use crate::core::client::response::MAX_READ;
use crate::core::client::{request, Exchange, RequestBody, ResponseHead, Step};
use crate::core::net_error::NetError;
use crate::core::resource_type::ResourceType;
use crate::core::session::Session;

/// How much body is handed over with the head when it is already there.
const INLINE_BODY: usize = 64 * 1024;

/// Pieces of a response body read ahead while JS handles the last one (each up to 1 MiB).
const PREFETCH_DEPTH: usize = 4;

/// Chunks a streamed upload may have in flight.
const UPLOAD_QUEUE: usize = 16;

/// One request in flight.
struct Loader {
    exchange: AsyncMutex<Exchange>,
    /// `RequestFlag::KeepBody`.
    keep_body: bool,
    body: AsyncMutex<Option<Prefetched>>,
    upload: Mutex<Option<mpsc::Sender<Bytes>>>,
    cancel: CancellationToken,
}

fn loaders() -> &'static Mutex<HashMap<u32, Arc<Loader>>> {
    static LOADERS: OnceLock<Mutex<HashMap<u32, Arc<Loader>>>> = OnceLock::new();
    LOADERS.get_or_init(Mutex::default)
}

fn loader(id: u32) -> Option<Arc<Loader>> {
    loaders()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&id)
        .cloned()
}

/// Takes request `id`'s body for a download to save: its reads are the download's from now.
pub(super) async fn take_body(id: u32) -> Option<Prefetched> {
    let loader = loader(id)?;
    let body = loader.body.lock().await.take();
    body
}

/// Forgets a finished request (its last event has been queued).
pub(super) fn finish(id: u32) {
    loaders()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&id);
}

fn fail(id: u32, error: NetError) {
    finish(id);
    net_events::push(id, Event::failed(error));
}

static NEXT_ID: AtomicU32 = AtomicU32::new(1);

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
        out.push_str(&net_events::pack_pairs(&r.head.headers, '\u{1}'));
    }
    out
}

fn head_event(kind: u32, head: &ResponseHead) -> NativeEvent {
    NativeEvent {
        kind,
        status_code: Some(head.status as u32),
        status_message: Some(head.status_message.clone()),
        http_version: Some(format!("{}.{}", head.version.0, head.version.1)),
        headers: Some(net_events::pack_pairs(&head.headers, '\0')),
        url: Some(head.url.to_string()),
        ..NativeEvent::default()
    }
}

/// Runs one stage of a request on tokio and queues its outcome.
fn drive<F, Fut>(id: u32, loader: Arc<Loader>, stage: F)
where
    F: FnOnce(Arc<Loader>) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = std::result::Result<Step, NetError>> + Send,
{
    napi::bindgen_prelude::spawn(async move {
        let cancel = loader.cancel.clone();
        let outcome: std::result::Result<Step, NetError> = tokio::select! {
            biased;
            _ = cancel.cancelled() => Err(NetError::Aborted),
            r = stage(loader.clone()) => r,
        };
        let step = match outcome {
            Ok(step) => step,
            Err(e) => {
                // A webRequest listener that threw names itself in the error.
                let message = loader
                    .exchange
                    .lock()
                    .await
                    .failure_message()
                    .map(str::to_owned);
                return match message {
                    Some(message) => {
                        finish(id);
                        let code = e.name();
                        net_events::push(id, Event::Error { message, code });
                    }
                    None => fail(id, e),
                };
            }
        };
        let event = match step {
            Step::Redirect(info) => {
                let mut e = head_event(EventKind::Redirect as u32, &info.head);
                e.new_url = Some(info.new_url.to_string());
                e.new_method = Some(info.new_method);
                Event::Step(Box::new(e), None)
            }
            Step::Login(info) => Event::Step(
                Box::new(NativeEvent {
                    kind: EventKind::Login as u32,
                    auth: Some(format!(
                        "{}\0{}\0{}\0{}\0{}",
                        info.is_proxy, info.scheme, info.host, info.port, info.realm
                    )),
                    ..NativeEvent::default()
                }),
                None,
            ),
            Step::Response(delivered) => {
                let mut e = head_event(EventKind::Response as u32, &delivered.head);
                if !delivered.redirects.is_empty() {
                    e.redirects = Some(pack_redirects(&delivered.redirects));
                }
                let mut body = delivered.body;
                let ready = match loader.keep_body {
                    true => None,
                    false => match body.read_ready(INLINE_BODY) {
                        Ok(ready) => ready,
                        Err(err) => return fail(id, err),
                    },
                };
                e.done = body.is_done();
                if e.done {
                    finish(id);
                } else {
                    *loader.body.lock().await = Some(body.prefetch(PREFETCH_DEPTH));
                }
                Event::Step(Box::new(e), ready)
            }
        };
        net_events::push(id, event);
    });
}

/// Starts a request on `session`: `headers` are names and values joined with NUL, `flags`
/// the `RequestFlag` bits, `origin` the initiator ('' for none; one that does not parse is
/// opaque, as Chromium's). Returns the id its events carry. Arguments are positional because
/// each object field read would be a crossing of its own.
#[allow(clippy::too_many_arguments)]
pub(crate) fn start(
    session: Arc<Session>,
    method: String,
    url: &str,
    headers: &str,
    body: Option<Buffer>,
    flags: u32,
    origin: &str,
    loading: Loading,
) -> Result<u32, Code> {
    let url = request::parse_url(url).map_err(net_to_js)?;
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    let pairs = net_events::unpack_pairs(headers);
    let cancel = CancellationToken::new();
    let (body, upload) = if has_flag(flags, RequestFlag::Chunked) {
        let (tx, rx) = mpsc::channel(UPLOAD_QUEUE);
        (RequestBody::stream(rx, cancel.clone()), Some(tx))
    } else {
        match body {
            Some(b) if !b.is_empty() => (RequestBody::Bytes(Bytes::copy_from_slice(&b)), None),
            _ => (RequestBody::Empty, None),
        }
    };
    let spec = request_spec::build(id, method, url, pairs, body, flags, origin, loading);
    let net = session.net().clone();
    let loader = Arc::new(Loader {
        exchange: AsyncMutex::new(Exchange::new(session, net, spec)),
        keep_body: has_flag(flags, RequestFlag::KeepBody),
        body: AsyncMutex::default(),
        upload: Mutex::new(upload),
        cancel,
    });
    loaders()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(id, loader.clone());
    drive(id, loader, |l| async move {
        l.exchange.lock().await.start().await
    });
    Ok(id)
}

#[napi]
impl NativeSession {
    /// Starts a request on this session and returns its id (its events carry it); see
    /// `start`. `resource_type` is Electron's name ('' for `other`), `web_contents_id`
    /// the webContents it loads for (0: none).
    #[napi]
    #[allow(clippy::too_many_arguments)]
    pub fn request(
        &self,
        method: String,
        url: String,
        headers: String,
        body: Option<Buffer>,
        flags: u32,
        origin: String,
        resource_type: String,
        web_contents_id: u32,
    ) -> Result<u32, Code> {
        let loading = Loading {
            resource_type: ResourceType::from_name(&resource_type).unwrap_or_default(),
            web_contents_id: (web_contents_id != 0).then_some(web_contents_id),
        };
        start(
            self.inner.clone(),
            method,
            &url,
            &headers,
            body,
            flags,
            &origin,
            loading,
        )
    }
}

/// Follows the redirect request `id` stopped at.
#[napi]
pub fn net_follow_redirect(id: u32) {
    match loader(id) {
        Some(l) => drive(id, l, |l| async move {
            l.exchange.lock().await.follow_redirect().await
        }),
        None => net_events::push(id, Event::failed(NetError::Aborted)),
    }
}

/// Answers request `id`'s login; no user name cancels (the 401 becomes the response).
#[napi]
pub fn net_login(id: u32, username: Option<String>, password: Option<String>) {
    let credentials = username.map(|username| Credentials {
        username,
        password: password.unwrap_or_default(),
    });
    match loader(id) {
        Some(l) => drive(id, l, move |l| async move {
            l.exchange.lock().await.answer_login(credentials).await
        }),
        None => net_events::push(id, Event::failed(NetError::Aborted)),
    }
}

/// Asks for request `id`'s next body piece (a DATA event: up to 1 MiB, or the end).
#[napi]
pub fn net_read(id: u32) {
    let Some(l) = loader(id) else {
        return net_events::push(id, Event::Data(None));
    };
    napi::bindgen_prelude::spawn(async move {
        let mut guard = l.body.lock().await;
        let Some(body) = guard.as_mut() else {
            drop(guard);
            finish(id);
            return net_events::push(id, Event::Data(None));
        };
        let piece = tokio::select! {
            biased;
            _ = l.cancel.cancelled() => Err(NetError::Aborted),
            r = body.read(MAX_READ) => r,
        };
        drop(guard);
        match piece {
            Ok(Some(bytes)) => net_events::push(id, Event::Data(Some(bytes))),
            Ok(None) => {
                finish(id);
                net_events::push(id, Event::Data(None));
            }
            Err(e) => fail(id, e),
        }
    });
}

/// Sends a chunk of request `id`'s streamed upload; a WRITTEN event says it was taken.
#[napi]
pub fn net_write(id: u32, chunk: Buffer) {
    let sender =
        loader(id).and_then(|l| l.upload.lock().unwrap_or_else(|p| p.into_inner()).clone());
    let bytes = Bytes::copy_from_slice(&chunk);
    napi::bindgen_prelude::spawn(async move {
        match sender {
            Some(tx) if tx.send(bytes).await.is_ok() => net_events::push(id, Event::Written),
            // The request is gone or no longer reads its body: its own error says why.
            _ => net_events::push(id, Event::Written),
        }
    });
}

/// Ends request `id`'s streamed upload.
#[napi]
pub fn net_end_upload(id: u32) {
    if let Some(l) = loader(id) {
        l.upload.lock().unwrap_or_else(|p| p.into_inner()).take();
    }
}

/// Cancels request `id`: what it was doing fails with `net::ERR_ABORTED` (reported as an
/// ERROR event unless it had already finished) and its connection is dropped.
#[napi]
pub fn net_cancel(id: u32) {
    if let Some(l) = loader(id) {
        finish(id);
        l.cancel.cancel();
        l.upload.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Ok(mut body) = l.body.try_lock() {
            body.take();
        }
    }
}
