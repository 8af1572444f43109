//! The webRequest stage of the request stack: builds the details of a request as it goes,
//! asks the blocking events (onBeforeRequest, onBeforeSendHeaders, onHeadersReceived) and
//! applies their decisions, and reports the observer events. Exists only for requests made
//! while a listener is registered, so an idle session pays nothing.

use std::sync::Arc;

use super::redirect::RedirectInfo;
use super::request::{RequestBody, RequestSpec};
use super::response::ResponseHead;
use super::{wire, NetContext};
use crate::core::net_error::NetError;
use crate::core::web_request::{Decision, Details, Event};

/// Why a hook stopped the request.
pub enum HookStop {
    /// `{cancel: true}`: `net::ERR_BLOCKED_BY_CLIENT`.
    Cancelled,
    /// A listener threw: the request fails with this message.
    ListenerFailed(String),
}

impl HookStop {
    /// The network error the request fails with.
    pub fn net_error(&self) -> NetError {
        match self {
            Self::Cancelled => NetError::BlockedByClient,
            Self::ListenerFailed(_) => NetError::Failed,
        }
    }
}

/// One request's webRequest state.
pub struct Hooks {
    net: Arc<NetContext>,
    details: Details,
}

/// `HTTP/1.1 200 OK` for a head.
pub fn status_line(head: &ResponseHead) -> String {
    format!(
        "HTTP/{}.{} {} {}",
        head.version.0, head.version.1, head.status, head.status_message
    )
    .trim_end()
    .to_owned()
}

fn stop_for(decision: &Decision) -> Option<HookStop> {
    if let Some(message) = &decision.error {
        return Some(HookStop::ListenerFailed(message.clone()));
    }
    decision.cancel.then_some(HookStop::Cancelled)
}

impl Hooks {
    /// The stage for a request, or `None` when the session has no listener.
    pub fn new(net: &Arc<NetContext>, spec: &RequestSpec) -> Option<Self> {
        if net.web_request.is_idle() {
            return None;
        }
        let id = net.web_request.next_request_id();
        let referrer = spec.header("referer").unwrap_or("").to_owned();
        Some(Self {
            net: net.clone(),
            details: Details::new(id, spec.url.clone(), &spec.method, &referrer)
                .loading(spec.resource_type, spec.web_contents_id),
        })
    }

    fn refresh(&mut self, spec: &RequestSpec) {
        self.details.parsed_url = spec.url.clone();
        self.details.method.clone_from(&spec.method);
        self.details.upload_data = match &spec.body {
            RequestBody::Bytes(b) => Some(b.clone()),
            _ => None,
        };
    }

    async fn decide(&mut self, event: Event) -> Option<Decision> {
        self.details.stamp();
        self.net.web_request.decide(event, &self.details).await
    }

    fn observe(&mut self, event: Event) {
        self.details.stamp();
        self.net.web_request.observe(event, &self.details);
    }

    /// onBeforeRequest: `Ok(Some(url))` for a redirect the listener asked for.
    pub async fn before_request(&mut self, spec: &RequestSpec) -> Result<Option<String>, HookStop> {
        self.refresh(spec);
        let Some(decision) = self.decide(Event::BeforeRequest).await else {
            return Ok(None);
        };
        if let Some(stop) = stop_for(&decision) {
            return Err(stop);
        }
        Ok(decision.redirect_url)
    }

    /// onBeforeSendHeaders (may replace the whole header list), then onSendHeaders.
    pub async fn send_headers(
        &mut self,
        headers: &mut Vec<(String, String)>,
    ) -> Result<(), HookStop> {
        self.details.request_headers.clone_from(headers);
        if let Some(decision) = self.decide(Event::BeforeSendHeaders).await {
            if let Some(stop) = stop_for(&decision) {
                return Err(stop);
            }
            if let Some(replacement) = decision.request_headers {
                *headers = listener_headers(headers, replacement);
                self.details.request_headers.clone_from(headers);
            }
        }
        self.observe(Event::SendHeaders);
        Ok(())
    }

    /// onHeadersReceived: may replace the head; `Ok(Some(url))` for a redirect.
    pub async fn headers_received(
        &mut self,
        head: &mut ResponseHead,
    ) -> Result<Option<String>, HookStop> {
        self.take_head(head);
        let Some(decision) = self.decide(Event::HeadersReceived).await else {
            return Ok(None);
        };
        if let Some(stop) = stop_for(&decision) {
            return Err(stop);
        }
        // As Electron's OnHeadersReceivedListenerResult: `responseHeaders` replaces the whole
        // set, and only with it does a `statusLine` replace the status.
        if let Some(headers) = decision.response_headers {
            head.headers = headers;
            if let Some(line) = decision.status_line {
                apply_status_line(head, &line);
            }
        }
        self.take_head(head);
        Ok(decision.redirect_url)
    }

    fn take_head(&mut self, head: &ResponseHead) {
        if let Some(ip) = head.ip {
            self.details.ip = Some(ip.to_string());
        }
        self.details.status_line = status_line(head);
        self.details.status_code = head.status;
        self.details.response_headers.clone_from(&head.headers);
    }

    /// onBeforeRedirect.
    pub fn before_redirect(&mut self, redirect: &RedirectInfo) {
        self.take_head(&redirect.head);
        self.details.redirect_url = Some(redirect.new_url.to_string());
        self.observe(Event::BeforeRedirect);
        self.details.redirect_url = None;
    }

    /// Whether the response comes from the HTTP cache (`fromCache` from here on).
    pub fn set_from_cache(&mut self, from_cache: bool) {
        self.details.from_cache = from_cache;
    }

    /// onResponseStarted.
    pub fn response_started(&mut self, head: &ResponseHead) {
        self.take_head(head);
        self.observe(Event::ResponseStarted);
    }

    /// onCompleted (`None`) or onErrorOccurred (the error), once the body is done.
    pub fn finished(mut self, error: Option<NetError>) {
        match error {
            None => {
                self.details.error = Some("net::OK".to_owned());
                self.observe(Event::Completed);
            }
            Some(e) => self.error_occurred(e),
        }
    }

    /// onErrorOccurred.
    pub fn error_occurred(&mut self, error: NetError) {
        self.details.error = Some(error.message());
        self.observe(Event::ErrorOccurred);
    }
}

/// A listener's header list as the request sends it: the headers the transport owns keep
/// the request's own values whatever the listener wrote (see `wire::is_transport_owned`).
fn listener_headers(
    original: &[(String, String)],
    replacement: Vec<(String, String)>,
) -> Vec<(String, String)> {
    let mut list: Vec<_> = replacement
        .into_iter()
        .filter(|(name, _)| !wire::is_transport_owned(name))
        .collect();
    list.extend(
        original
            .iter()
            .filter(|(name, _)| wire::is_transport_owned(name))
            .cloned(),
    );
    list
}

/// Applies a listener's `statusLine` (`HTTP/1.1 404 Not Found`) to a head.
fn apply_status_line(head: &mut ResponseHead, line: &str) {
    let mut parts = line.splitn(3, ' ');
    let version = parts.next().unwrap_or("");
    if let Some(code) = parts.next().and_then(|c| c.parse::<u16>().ok()) {
        head.status = code;
        head.status_message = parts.next().unwrap_or("").to_owned();
    }
    if let Some((major, minor)) = version
        .strip_prefix("HTTP/")
        .and_then(|v| v.split_once('.'))
    {
        if let (Ok(major), Ok(minor)) = (major.parse(), minor.parse()) {
            head.version = (major, minor);
        }
    }
}

/// The redirect a listener asked for, as Chromium reports it: an internal 307.
pub fn internal_redirect(from: &RequestSpec, to: &str) -> Result<RedirectInfo, NetError> {
    let new_url = from.url.join(to).map_err(|_| NetError::InvalidRedirect)?;
    Ok(RedirectInfo {
        status_code: 307,
        new_method: from.method.clone(),
        new_url: new_url.clone(),
        head: ResponseHead {
            status: 307,
            status_message: "Internal Redirect".to_owned(),
            version: (1, 1),
            headers: vec![
                ("Location".to_owned(), new_url.to_string()),
                (
                    "Non-Authoritative-Reason".to_owned(),
                    "WebRequest API".to_owned(),
                ),
            ],
            url: from.url.clone(),
            ip: None,
        },
    })
}
