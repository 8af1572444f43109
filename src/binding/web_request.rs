//! webRequest across the boundary. Listener calls travel the same batched event channel as
//! requests (`net_events`): a blocking event queues a HOOK event and parks a oneshot under
//! its hook id until JS answers with `netHookAnswer`; an observer event queues an OBSERVE
//! event and nothing waits. A request that goes away (aborted, connections closed) drops
//! its wait, which removes the parked entry, so a late answer is a no-op and nothing leaks.

use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;

use napi_derive::napi;
use tokio::sync::oneshot;

use super::net_events::{self, Event as QueueEvent, EventKind, NativeEvent, Pending};
use super::web_request_wire::{decision_from_json, details_json};
use crate::core::web_request::{Decision, Dispatcher, HookCall};

/// Blocking calls waiting for `netHookAnswer`.
fn hooks() -> &'static Pending<oneshot::Sender<Option<Decision>>> {
    static HOOKS: OnceLock<Pending<oneshot::Sender<Option<Decision>>>> = OnceLock::new();
    HOOKS.get_or_init(Pending::default)
}

fn queue(kind: u32, id: u32, call: HookCall) {
    let listeners = call
        .listeners
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    net_events::push(
        id,
        QueueEvent::Step(
            Box::new(NativeEvent {
                kind,
                event: Some(call.event.name().to_owned()),
                listeners: Some(listeners),
                details: Some(details_json(&call.details, call.event)),
                ..NativeEvent::default()
            }),
            None,
        ),
    );
}

/// The bridge every session's webRequest uses.
pub struct JsDispatcher;

impl Dispatcher for JsDispatcher {
    fn decide(&self, call: HookCall) -> Pin<Box<dyn Future<Output = Option<Decision>> + Send>> {
        let (tx, rx) = oneshot::channel();
        let parked = hooks().park(tx);
        queue(EventKind::Hook as u32, parked.id, call);
        Box::pin(async move {
            let answer = rx.await.ok().flatten();
            drop(parked);
            answer
        })
    }

    fn observe(&self, call: HookCall) {
        queue(EventKind::Observe as u32, 0, call);
    }
}

/// JS's answer to hook `id`: the merged decision as JSON, or nothing to go on unchanged.
/// An answer for a request that has gone away is ignored.
#[napi]
pub fn net_hook_answer(id: u32, decision: Option<String>) {
    if let Some(tx) = hooks().take(id) {
        let _ = tx.send(decision.as_deref().and_then(decision_from_json));
    }
}

/// Parked hooks waiting for JS (for the leak checks of the stress test).
#[napi]
pub fn net_pending_hooks() -> u32 {
    hooks().len() as u32
}
