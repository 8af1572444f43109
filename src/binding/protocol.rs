//! Protocol handlers across the boundary. A request to a handled scheme queues a PROTOCOL
//! event (the session, URL, method, headers and body) on the batched channel and waits for
//! `netProtocolRespond`; a streamed body then arrives with `netProtocolWrite` (each
//! acknowledged once the stack took it, which is the back-pressure) and `netProtocolEnd`.
//! A request that goes away drops its wait, and a late answer is a no-op.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, OnceLock};

use bytes::Bytes;
use napi::bindgen_prelude::Buffer;
use napi_derive::napi;
use tokio::sync::{mpsc, oneshot};

use super::net_events::{self, Event as QueueEvent, EventKind, NativeEvent, Pending};
use crate::core::message::ResponseHead;
use crate::core::net_error::NetError;
use crate::core::protocol::{Handler, ProtocolBody, ProtocolRequest, ProtocolResponse};

/// Pieces of a handler's streamed body that may wait in memory.
const BODY_QUEUE: usize = 8;

struct Call {
    url: url::Url,
    reply: oneshot::Sender<Result<ProtocolResponse, NetError>>,
}

type Streams = Mutex<HashMap<u32, mpsc::Sender<Result<Bytes, NetError>>>>;

/// Handler calls waiting for `netProtocolRespond` / `netProtocolFail`.
fn calls() -> &'static Pending<Call> {
    static CALLS: OnceLock<Pending<Call>> = OnceLock::new();
    CALLS.get_or_init(Pending::default)
}

fn streams() -> &'static Streams {
    static STREAMS: OnceLock<Streams> = OnceLock::new();
    STREAMS.get_or_init(Streams::default)
}

/// The JS handlers of one session.
pub struct JsProtocolHandler {
    /// The session's id, so JS finds its handler table.
    pub session_id: u32,
}

impl Handler for JsProtocolHandler {
    fn handle(
        &self,
        request: ProtocolRequest,
    ) -> Pin<Box<dyn Future<Output = Result<ProtocolResponse, NetError>> + Send>> {
        let (tx, rx) = oneshot::channel();
        let waiting = calls().park(Call {
            url: request.url.clone(),
            reply: tx,
        });
        let id = waiting.id;
        let headers = net_events::pack_pairs(&request.headers, '\0');
        net_events::push(
            id,
            QueueEvent::Step(
                Box::new(NativeEvent {
                    kind: EventKind::Protocol as u32,
                    session_id: Some(self.session_id),
                    url: Some(request.url.to_string()),
                    method: Some(request.method),
                    headers: Some(headers),
                    ..NativeEvent::default()
                }),
                request.body,
            ),
        );
        Box::pin(async move {
            let answer = rx.await.unwrap_or(Err(NetError::Aborted));
            drop(waiting);
            answer
        })
    }
}

fn take_call(id: u32) -> Option<Call> {
    calls().take(id)
}

/// Answers call `id` with a response head and either the whole body or, with `streaming`,
/// a body whose first piece is `body` and the rest follows through `netProtocolWrite` /
/// `netProtocolEnd`.
#[napi]
pub fn net_protocol_respond(
    id: u32,
    status_code: u32,
    status_text: String,
    headers: String,
    body: Option<Buffer>,
    streaming: bool,
) {
    let Some(call) = take_call(id) else { return };
    let pairs = net_events::unpack_pairs(&headers);
    let body = if streaming {
        let (tx, rx) = mpsc::channel(BODY_QUEUE);
        // The first piece may come with the head (one crossing fewer).
        if let Some(first) = body.filter(|b| !b.is_empty()) {
            let _ = tx.try_send(Ok(Bytes::copy_from_slice(&first)));
        }
        streams()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id, tx);
        ProtocolBody::Channel(rx)
    } else {
        ProtocolBody::Full(body.map(|b| Bytes::copy_from_slice(&b)).unwrap_or_default())
    };
    let head = ResponseHead {
        status: status_code.clamp(100, 999) as u16,
        status_message: status_text,
        version: (1, 1),
        headers: pairs,
        url: call.url,
        ip: None,
    };
    let _ = call.reply.send(Ok(ProtocolResponse { head, body }));
}

/// Fails call `id` with Chromium's error `code` (`net::ERR_FAILED` for unknown codes).
#[napi]
pub fn net_protocol_fail(id: u32, code: i32) {
    if let Some(call) = take_call(id) {
        let _ = call
            .reply
            .send(Err(NetError::from_code(code).unwrap_or(NetError::Failed)));
    }
}

/// Sends a piece of call `id`'s streamed body; a PROTOCOL_WRITTEN event says it was taken
/// (or that nobody reads it any more).
#[napi]
pub fn net_protocol_write(id: u32, chunk: Buffer) {
    let sender = streams()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&id)
        .cloned();
    let bytes = Bytes::copy_from_slice(&chunk);
    napi::bindgen_prelude::spawn(async move {
        if let Some(tx) = sender {
            let _ = tx.send(Ok(bytes)).await;
        }
        net_events::push(
            id,
            QueueEvent::Step(
                Box::new(NativeEvent {
                    kind: EventKind::ProtocolWritten as u32,
                    ..NativeEvent::default()
                }),
                None,
            ),
        );
    });
}

/// Ends call `id`'s streamed body; with an error code, the body fails with it.
#[napi]
pub fn net_protocol_end(id: u32, error: Option<i32>) {
    let sender = streams()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&id);
    if let (Some(tx), Some(code)) = (sender, error) {
        let error = NetError::from_code(code).unwrap_or(NetError::Failed);
        let _ = tx.try_send(Err(error));
    }
}
