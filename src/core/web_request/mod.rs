//! `ses.webRequest`: which listeners each of the eight events has (with their filters,
//! matched here so that nothing crosses to JS for a request no filter wants), the details
//! each event reports, the decisions blocking events take back, and the `Dispatcher` the
//! binding implements to reach JS. Composition of several listeners happens on the JS side;
//! the core only learns which listener ids matched.

pub mod details;
pub mod filter;
pub mod pattern;

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use url::Url;

pub use details::{is_valid_header, Decision, Details};
pub use filter::RequestFilter;

/// The eight events, in the order a request meets them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Blocking: may cancel or redirect.
    BeforeRequest,
    /// Blocking: may cancel or replace the request headers.
    BeforeSendHeaders,
    /// Observer: the headers going out.
    SendHeaders,
    /// Blocking: may cancel, redirect, or replace the response head.
    HeadersReceived,
    /// Observer: the first body byte is ready.
    ResponseStarted,
    /// Observer: a redirect is being followed.
    BeforeRedirect,
    /// Observer: the request finished.
    Completed,
    /// Observer: the request failed.
    ErrorOccurred,
}

/// Every event, indexable by `Event as usize`.
pub const EVENTS: [Event; 8] = [
    Event::BeforeRequest,
    Event::BeforeSendHeaders,
    Event::SendHeaders,
    Event::HeadersReceived,
    Event::ResponseStarted,
    Event::BeforeRedirect,
    Event::Completed,
    Event::ErrorOccurred,
];

impl Event {
    /// Electron's method name (`onBeforeRequest`).
    pub fn name(self) -> &'static str {
        match self {
            Self::BeforeRequest => "onBeforeRequest",
            Self::BeforeSendHeaders => "onBeforeSendHeaders",
            Self::SendHeaders => "onSendHeaders",
            Self::HeadersReceived => "onHeadersReceived",
            Self::ResponseStarted => "onResponseStarted",
            Self::BeforeRedirect => "onBeforeRedirect",
            Self::Completed => "onCompleted",
            Self::ErrorOccurred => "onErrorOccurred",
        }
    }

    /// The event of an Electron method name.
    pub fn parse(name: &str) -> Option<Self> {
        EVENTS.into_iter().find(|e| e.name() == name)
    }

    /// True for the events whose listeners answer (and so hold the request).
    pub fn is_blocking(self) -> bool {
        matches!(
            self,
            Self::BeforeRequest | Self::BeforeSendHeaders | Self::HeadersReceived
        )
    }
}

/// One call to the listeners: the event, the listeners whose filters matched, the details
/// as they stand (the binding shapes them into the event's JS object).
#[derive(Debug, Clone)]
pub struct HookCall {
    /// The event.
    pub event: Event,
    /// Matching listener ids, in registration order.
    pub listeners: Vec<u32>,
    /// Everything known about the request at this event.
    pub details: Details,
}

/// How the core reaches the listeners (the binding's JS bridge).
pub trait Dispatcher: Send + Sync {
    /// Asks the listeners of a blocking event; resolves with their merged decision, or
    /// `None` when the request should go on unchanged (also when JS went away).
    fn decide(&self, call: HookCall) -> Pin<Box<dyn Future<Output = Option<Decision>> + Send>>;
    /// Tells the listeners of an observer event; never waits.
    fn observe(&self, call: HookCall);
}

/// A session's webRequest state.
#[derive(Default)]
pub struct WebRequest {
    listeners: RwLock<[Vec<(u32, RequestFilter)>; 8]>,
    next_request_id: AtomicU64,
    dispatcher: RwLock<Option<Arc<dyn Dispatcher>>>,
}

impl WebRequest {
    /// Installs the bridge to JS (once per session, by the binding).
    pub fn set_dispatcher(&self, dispatcher: Arc<dyn Dispatcher>) {
        *self.dispatcher.write().unwrap_or_else(|p| p.into_inner()) = Some(dispatcher);
    }

    /// Adds (or replaces, by id) a listener of `event`.
    pub fn add(&self, event: Event, id: u32, filter: RequestFilter) {
        let mut all = self.listeners.write().unwrap_or_else(|p| p.into_inner());
        let list = &mut all[event as usize];
        match list.iter_mut().find(|(i, _)| *i == id) {
            Some(slot) => slot.1 = filter,
            None => list.push((id, filter)),
        }
    }

    /// Removes a listener of `event`.
    pub fn remove(&self, event: Event, id: u32) {
        let mut all = self.listeners.write().unwrap_or_else(|p| p.into_inner());
        all[event as usize].retain(|(i, _)| *i != id);
    }

    /// True when no listener is registered at all (the stack skips every hook then).
    pub fn is_idle(&self) -> bool {
        self.listeners
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .all(Vec::is_empty)
    }

    /// The ids of `event`'s listeners whose filters match.
    pub fn matching(&self, event: Event, url: &Url, resource_type: &str) -> Vec<u32> {
        let all = self.listeners.read().unwrap_or_else(|p| p.into_inner());
        all[event as usize]
            .iter()
            .filter(|(_, f)| f.matches(url, resource_type))
            .map(|(id, _)| *id)
            .collect()
    }

    /// The next request id of this session (Electron's `details.id`).
    pub fn next_request_id(&self) -> u64 {
        self.next_request_id.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Runs a blocking event: `None` when no listener matched or none changed anything.
    pub async fn decide(&self, event: Event, details: &Details) -> Option<Decision> {
        let listeners = self.matching(event, &details.parsed_url, details.resource_type.name());
        if listeners.is_empty() {
            return None;
        }
        let dispatcher = self
            .dispatcher
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()?;
        let call = HookCall {
            event,
            listeners,
            details: details.clone(),
        };
        dispatcher.decide(call).await
    }

    /// Reports an observer event to the listeners whose filters match.
    pub fn observe(&self, event: Event, details: &Details) {
        let listeners = self.matching(event, &details.parsed_url, details.resource_type.name());
        if listeners.is_empty() {
            return;
        }
        let dispatcher = self
            .dispatcher
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        if let Some(dispatcher) = dispatcher {
            dispatcher.observe(HookCall {
                event,
                listeners,
                details: details.clone(),
            });
        }
    }
}

static STANDARD_SCHEMES: RwLock<Vec<String>> = RwLock::new(Vec::new());

/// Custom schemes registered as standard (`registerSchemesAsPrivileged`), which patterns then
/// write as `scheme://host/path`. Process-wide, as in Electron.
pub fn set_standard_schemes(schemes: Vec<String>) {
    *STANDARD_SCHEMES.write().unwrap_or_else(|p| p.into_inner()) = schemes;
}

/// Whether `scheme` (lower case) is a custom scheme registered as standard.
pub fn is_custom_standard(scheme: &str) -> bool {
    STANDARD_SCHEMES
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .any(|s| s == scheme)
}

/// The custom standard schemes.
pub fn standard_schemes() -> Vec<String> {
    STANDARD_SCHEMES
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
}
