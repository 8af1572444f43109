//! The one channel native events reach JS through, and what goes with it. Every step, body
//! piece, write acknowledgement and failure of every request, every webRequest listener call
//! and protocol handler call, and the core's warnings go into one queue; JS is woken once per
//! batch through a single threadsafe function, then takes the whole batch in one call
//! (`netTakeEvents`). Per request this costs no Promise, no threadsafe function and, under
//! load, a fraction of a wake-up.
//!
//! Wire format. An event is a `NativeEvent` object: `id` (the request, call or hook it is
//! about; 0 for warnings and observer calls), `kind` (an `EventKind`, exported to JS), and
//! the fields its kind uses. Header lists travel as one string, names and values alternating,
//! separated by NUL (`pack_pairs`/`unpack_pairs`); a followed redirect's headers use U+0001
//! inside the NUL-separated redirect list. Bodies travel as Buffers. A call that waits for JS
//! (a webRequest decision, a protocol handler's response) is parked in a `Pending` table
//! under its id until JS answers it by id; a wait that goes away takes its entry with it, so
//! a late answer is a no-op and nothing leaks.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};

use bytes::Bytes;
use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;

use super::js_bytes::JsBytes;

/// Names and values, alternating, joined with `separator` (NUL on the wire).
pub fn pack_pairs(pairs: &[(String, String)], separator: char) -> String {
    let mut out = String::with_capacity(pairs.len() * 32);
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(separator);
        }
        out.push_str(name);
        out.push(separator);
        out.push_str(value);
    }
    out
}

/// The pairs of a NUL-joined list (an odd last element is dropped).
pub fn unpack_pairs(packed: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    if packed.is_empty() {
        return pairs;
    }
    let mut it = packed.split('\0');
    while let (Some(name), Some(value)) = (it.next(), it.next()) {
        pairs.push((name.to_owned(), value.to_owned()));
    }
    pairs
}

/// Waits parked until JS answers them by id (webRequest decisions, protocol handler calls).
pub struct Pending<T> {
    waits: Mutex<HashMap<u32, T>>,
    next: AtomicU32,
}

impl<T> Default for Pending<T> {
    fn default() -> Self {
        Self {
            waits: Mutex::default(),
            next: AtomicU32::new(1),
        }
    }
}

impl<T> Pending<T> {
    /// Parks `wait` under a new id; the guard removes it if nobody took it first.
    pub fn park(&'static self, wait: T) -> Parked<T> {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        self.waits
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id, wait);
        Parked { table: self, id }
    }

    /// Takes the wait parked under `id` (JS's answer arrived), if it is still there.
    pub fn take(&self, id: u32) -> Option<T> {
        self.waits
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&id)
    }

    /// How many waits are parked (the leak checks of the stress specs).
    pub fn len(&self) -> usize {
        self.waits.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

/// A parked wait: dropping it (the request went away) removes the entry.
pub struct Parked<T: 'static> {
    table: &'static Pending<T>,
    /// The id JS answers with.
    pub id: u32,
}

impl<T> Drop for Parked<T> {
    fn drop(&mut self) {
        self.table.take(self.id);
    }
}

impl Event {
    /// A request's failure with Chromium's error.
    pub fn failed(error: crate::core::net_error::NetError) -> Self {
        let error = crate::core::Error::from(error);
        Self::Error {
            message: error.to_string(),
            code: error.code(),
        }
    }
}

/// What happened to a request, as queued off the JS thread.
pub enum Event {
    /// A step (response, stopped redirect, login), with its fields ready for JS.
    Step(Box<NativeEvent>, Option<Bytes>),
    /// A piece of the body; `None` at its end.
    Data(Option<Bytes>),
    /// A streamed upload chunk was taken.
    Written,
    /// The body went out to `position` of `total` bytes (0 for chunked).
    UploadProgress {
        /// Bytes handed to the connection.
        position: u64,
        /// The body's size.
        total: u64,
    },
    /// The request failed: the message JS sees and its `code`.
    Error {
        /// `net::ERR_…`, or the words of a listener that threw.
        message: String,
        /// `ERR_…`.
        code: &'static str,
    },
    /// A warning of the core's, for `process.emitWarning` (id 0).
    Warning(String),
    /// A download's bytes written so far (of `total`, 0 when unknown).
    DownloadProgress {
        /// Bytes received and written.
        received: u64,
    },
    /// A download ended: `completed`, `cancelled` or `interrupted` (with Chromium's reason).
    DownloadDone {
        /// Electron's state name.
        state: &'static str,
        /// An interrupted download's reason (`NETWORK_FAILED`…).
        reason: Option<&'static str>,
        /// Bytes received and written.
        received: u64,
        /// An interrupted download's temporary file (what a resumption continues).
        partial: Option<String>,
    },
}

/// The kinds of event on the channel, defined here once for every module that queues
/// events and exported to JS as `EventKind` (binding.d.ts): JS never numbers them itself.
#[napi]
pub enum EventKind {
    /// The final response head (and maybe its body).
    Response = 0,
    /// A redirect the request stopped at.
    Redirect = 1,
    /// A 401 or 407 the caller may answer.
    Login = 2,
    /// A body piece (`body`), or the end (`done`).
    Data = 3,
    /// A streamed upload chunk was taken.
    Written = 4,
    /// The request failed (`error`).
    Error = 5,
    /// A blocking webRequest event waits for `netHookAnswer(id, decision)`.
    Hook = 6,
    /// An observing webRequest event.
    Observe = 7,
    /// A request for a JS protocol handler.
    Protocol = 8,
    /// A chunk of a protocol handler's body was taken.
    ProtocolWritten = 9,
    /// A warning for `process.emitWarning` (`error` holds its text).
    Warning = 10,
    /// Upload progress (`position`, `total`); not an answer to a call.
    UploadProgress = 11,
    /// A download's progress (`position`: bytes written); not an answer to a call.
    DownloadProgress = 12,
    /// A download ended (`event`: its state, `code`: an interrupt reason, `position`, `url`:
    /// an interrupted download's temporary file).
    DownloadDone = 13,
}

/// One event as JS receives it. Fields that do not apply are absent.
#[napi(object, object_from_js = false)]
#[derive(Default)]
pub struct NativeEvent {
    /// The request's id.
    pub id: u32,
    /// An `EventKind`.
    pub kind: u32,
    /// Status code of a response or redirect.
    pub status_code: Option<u32>,
    /// Reason phrase.
    pub status_message: Option<String>,
    /// `1.1`, `2.0`, ...
    pub http_version: Option<String>,
    /// Header names and values, NUL separated, alternating.
    pub headers: Option<String>,
    /// URL of the response.
    pub url: Option<String>,
    /// Redirects followed: status, method, URL and headers (joined with `\u{1}`), NUL
    /// separated, four fields each.
    pub redirects: Option<String>,
    /// Next method of a stopped redirect.
    pub new_method: Option<String>,
    /// Next URL of a stopped redirect.
    pub new_url: Option<String>,
    /// `isProxy\0scheme\0host\0port\0realm` of a login.
    pub auth: Option<String>,
    /// Body bytes (with a response: those already there).
    #[napi(ts_type = "Buffer")]
    pub body: Option<JsBytes>,
    /// Response: `body` is the whole body. Data: the body has ended.
    pub done: bool,
    /// Error: the message (`net::ERR_…`); Warning: the text.
    pub error: Option<String>,
    /// Error: the stable code (`ERR_…`).
    pub code: Option<String>,
    /// webRequest: the event's method name (`onBeforeRequest`).
    pub event: Option<String>,
    /// webRequest: the matching listener ids, comma separated.
    pub listeners: Option<String>,
    /// webRequest: the details object as JSON.
    pub details: Option<String>,
    /// Protocol: the id of the session whose handler answers.
    pub session_id: Option<u32>,
    /// Protocol: the request's method.
    pub method: Option<String>,
    /// UploadProgress: bytes of the body handed to the connection.
    pub position: Option<f64>,
    /// UploadProgress: the body's size (0 for chunked).
    pub total: Option<f64>,
}

struct Sink {
    wake: Mutex<Option<ThreadsafeFunction<(), (), (), Status, false, true>>>,
    queue: Mutex<Vec<(u32, Event)>>,
}

fn sink() -> &'static Sink {
    static SINK: OnceLock<Sink> = OnceLock::new();
    SINK.get_or_init(|| Sink {
        wake: Mutex::new(None),
        queue: Mutex::new(Vec::new()),
    })
}

/// Queues an event; wakes JS if the queue was empty (a wake-up is pending otherwise).
pub fn push(id: u32, event: Event) {
    let sink = sink();
    let was_empty = {
        let mut queue = sink.queue.lock().unwrap_or_else(|p| p.into_inner());
        queue.push((id, event));
        queue.len() == 1
    };
    if was_empty {
        if let Some(wake) = sink.wake.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            wake.call((), ThreadsafeFunctionCallMode::NonBlocking);
        }
    }
}

/// Sets the function JS is woken with (called once, at load).
#[napi(ts_args_type = "wake: () => void")]
pub fn net_set_event_sink(wake: Function<(), ()>) -> Result<()> {
    let tsfn = wake
        .build_threadsafe_function::<()>()
        .callee_handled::<false>()
        .weak::<true>()
        .build()?;
    *sink().wake.lock().unwrap_or_else(|p| p.into_inner()) = Some(tsfn);
    Ok(())
}

/// Keeps Node alive while requests are in flight (`true`), or lets it exit (`false`).
// napi-rs deprecates these in favour of clone/drop counting, which cannot express "alive
// only while something is in flight" for a function kept for the whole process.
#[allow(deprecated)]
#[napi]
pub fn net_keep_alive(env: Env, alive: bool) -> Result<()> {
    if let Some(wake) = sink()
        .wake
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .as_mut()
    {
        if alive {
            wake.refer(&env)?;
        } else {
            wake.unref(&env)?;
        }
    }
    Ok(())
}

/// Takes every queued event.
#[napi]
pub fn net_take_events() -> Vec<NativeEvent> {
    let batch = std::mem::take(&mut *sink().queue.lock().unwrap_or_else(|p| p.into_inner()));
    batch
        .into_iter()
        .map(|(id, event)| match event {
            Event::Step(mut e, body) => {
                e.id = id;
                e.body = body.map(JsBytes);
                *e
            }
            Event::Data(piece) => NativeEvent {
                id,
                kind: EventKind::Data as u32,
                done: piece.is_none(),
                body: piece.map(JsBytes),
                ..NativeEvent::default()
            },
            Event::Written => NativeEvent {
                id,
                kind: EventKind::Written as u32,
                ..NativeEvent::default()
            },
            Event::UploadProgress { position, total } => NativeEvent {
                id,
                kind: EventKind::UploadProgress as u32,
                position: Some(position as f64),
                total: Some(total as f64),
                ..NativeEvent::default()
            },
            Event::Error { message, code } => NativeEvent {
                id,
                kind: EventKind::Error as u32,
                error: Some(message),
                code: Some(code.to_owned()),
                ..NativeEvent::default()
            },
            Event::Warning(message) => NativeEvent {
                id,
                kind: EventKind::Warning as u32,
                error: Some(message),
                ..NativeEvent::default()
            },
            Event::DownloadProgress { received } => NativeEvent {
                id,
                kind: EventKind::DownloadProgress as u32,
                position: Some(received as f64),
                ..NativeEvent::default()
            },
            Event::DownloadDone {
                state,
                reason,
                received,
                partial,
            } => NativeEvent {
                id,
                kind: EventKind::DownloadDone as u32,
                event: Some(state.to_owned()),
                code: reason.map(str::to_owned),
                position: Some(received as f64),
                url: partial,
                ..NativeEvent::default()
            },
        })
        .collect()
}
