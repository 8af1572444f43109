//! The request stack in one place: every stage a hop passes, in order, down to the server
//! (`hop`, then `network` for http and https) and back up. Each line is one stage and names
//! the module its work lives in. A stage lets the hop go on (`Flow::On`), sends the request
//! again from the top (`Flow::Again`: a redirect followed, credentials to try), or ends the
//! exchange with a step for the caller (`Flow::Done`: the response, a stopped redirect, a
//! login prompt). The HTTP cache's stages are `cache_lookup` (with `cache_revalidated` for
//! the 304 it asked for) and `cache_store`, in `cache`.

use std::convert::Infallible;

use super::{has_no_body, Attempt, Exchange, HopBody, Source};
use crate::core::client::hooks::{self, HookStop};
use crate::core::client::redirect::{self, RedirectInfo, MAX_REDIRECTS};
use crate::core::client::request::RedirectMode;
use crate::core::client::response::{ResponseBody, ResponseHead};
use crate::core::client::{cookies, wire, Delivered, Step};
use crate::core::net_error::NetError;

/// What a stage lets happen next.
pub(super) enum Flow<T> {
    /// Go on to the next stage with this.
    On(T),
    /// Send the request again from the top of the stack.
    Again,
    /// The exchange stops here with this step.
    Done(Step),
}

/// The value of a stage that goes on; returns from the hop otherwise.
macro_rules! on {
    ($flow:expr) => {
        match $flow {
            Flow::On(value) => value,
            Flow::Again => return Ok(Flow::Again),
            Flow::Done(step) => return Ok(Flow::Done(step)),
        }
    };
}

impl Exchange {
    /// Sends hops until one ends the exchange.
    pub(super) async fn run_hops(&mut self) -> Result<Step, NetError> {
        loop {
            match self.hop().await? {
                Flow::Done(step) => return Ok(step),
                Flow::Again => {}
                Flow::On(never) => match never {},
            }
        }
    }

    /// One hop: down the stack, outermost stage first, and back up, innermost first. It
    /// always ends the exchange or sends the request again (`Flow::On` cannot be made).
    async fn hop(&mut self) -> Result<Flow<Infallible>, NetError> {
        // Down.
        on!(self.before_request().await?); // webRequest onBeforeRequest (hooks)
        let (mut head, body) = on!(self.serve_or_send().await?); // protocol handlers (hop) or `network`
                                                                 // Up.
        self.store_cookies(&head); // cookies (cookies)
        on!(self.headers_received(&mut head).await?); // webRequest onHeadersReceived (hooks)
        self.cache_redirect(&head).await; // HTTP cache: a redirect stored (cache)
        on!(self.redirect(&head)?); // redirect (redirect)
        let body = self.decode(&head, body); // content decoding (response, decode)
        let body = on!(self.proxy_challenge(&head, body).await?); // proxy auth: 407 (proxy_auth)
        let body = on!(self.server_challenge(&head, body).await?); // auth: 401 (unauthorized)
        self.remember_credentials(); // auth cache (auth)
        let body = self.cache_store(&head, body).await; // HTTP cache: store (cache)
        Ok(Flow::Done(self.deliver(head, body))) // webRequest onResponseStarted, onCompleted
    }

    /// The way down for http and https, after the protocol handlers passed.
    pub(super) async fn network(&mut self) -> Result<Flow<(ResponseHead, HopBody)>, NetError> {
        let mut headers = self.compose_headers().await?; // default headers (wire), cookies (cookies)
        self.send_headers(&mut headers).await?; // webRequest onBeforeSendHeaders, onSendHeaders
        if let Some(stored) = self.cache_lookup(&mut headers).await? {
            return Ok(Flow::On(stored)); // HTTP cache: lookup (cache)
        }
        self.authorize(&mut headers); // auth: Authorization (auth), after the listeners
        self.prioritize(&mut headers); // HTTP/2's priority header (priority)
        if self.net.emulation.is_offline() {
            return Err(NetError::InternetDisconnected); // emulation, below the cache
        }
        let sent = std::time::Instant::now();
        let response = self.send_by_route(headers).await; // proxy route (route), transport (hop)
        match response {
            Ok((head, incoming)) => {
                self.net.emulation.hold_response(sent).await; // emulation: latency
                self.net.http1_origins.note(&head.url, head.version);
                if let Some(stored) = self.cache_revalidated(&head).await {
                    return Ok(Flow::On(stored)); // HTTP cache: a 304 revalidated (cache)
                }
                Ok(Flow::On((head, HopBody::Incoming(incoming))))
            }
            // A CONNECT the proxy answered with 407 (proxy auth).
            Err(NetError::ProxyAuthRequested) => Ok(match self.on_proxy_challenge(None).await? {
                Some(step) => Flow::Done(step),
                None => Flow::Again,
            }),
            Err(error) => Err(error),
        }
    }

    fn stopped(&mut self, stop: HookStop) -> NetError {
        if let HookStop::ListenerFailed(message) = &stop {
            self.failure = Some(message.clone());
        }
        stop.net_error()
    }

    /// Follows a redirect in Follow mode (send again), or stops at it.
    fn redirect_to(&mut self, info: RedirectInfo) -> Result<Flow<()>, NetError> {
        match self.spec.redirect {
            RedirectMode::Follow => {
                self.follow(info)?;
                Ok(Flow::Again)
            }
            // As Chromium's URLRequestJob: a redirect past the limit is never reported.
            RedirectMode::Stop if self.followed.len() >= MAX_REDIRECTS => {
                Err(NetError::TooManyRedirects)
            }
            RedirectMode::Stop => {
                self.pending_redirect = Some(info.clone());
                Ok(Flow::Done(Step::Redirect(Box::new(info))))
            }
        }
    }

    /// A redirect a webRequest listener asked for, or none.
    fn listener_redirect(&mut self, url: Option<String>) -> Result<Flow<()>, NetError> {
        match url {
            None => Ok(Flow::On(())),
            Some(url) => {
                let info = hooks::internal_redirect(&self.spec, &url)?;
                self.redirect_to(info)
            }
        }
    }

    async fn before_request(&mut self) -> Result<Flow<()>, NetError> {
        let Some(hooks) = &mut self.hooks else {
            return Ok(Flow::On(()));
        };
        match hooks.before_request(&self.spec).await {
            Err(stop) => Err(self.stopped(stop)),
            Ok(url) => self.listener_redirect(url),
        }
    }

    pub(super) async fn send_headers(
        &mut self,
        headers: &mut Vec<(String, String)>,
    ) -> Result<(), NetError> {
        if let Some(hooks) = &mut self.hooks {
            if let Err(stop) = hooks.send_headers(headers).await {
                return Err(self.stopped(stop));
            }
        }
        Ok(())
    }

    async fn headers_received(&mut self, head: &mut ResponseHead) -> Result<Flow<()>, NetError> {
        let Some(hooks) = &mut self.hooks else {
            return Ok(Flow::On(()));
        };
        match hooks.headers_received(head).await {
            Err(stop) => Err(self.stopped(stop)),
            Ok(url) => self.listener_redirect(url),
        }
    }

    async fn compose_headers(&mut self) -> Result<Vec<(String, String)>, NetError> {
        if self.spec.use_cookies && self.jar.is_none() {
            self.jar = Some(cookies::jar(&self.jars).await?);
        }
        let identity = self.net.identity();
        let fetch_site = self.fetch_site();
        let url = &self.spec.url;
        let jar = self.jar.clone();
        Ok(wire::compose_headers(
            &self.spec,
            &identity,
            fetch_site,
            || jar.and_then(|jar| cookies::request_header(&jar, url)),
        ))
    }

    /// Chromium's `priority` header, for requests that may go out over HTTP/2, unless the
    /// caller set one.
    fn prioritize(&self, headers: &mut Vec<(String, String)>) {
        if wire::has(headers, "priority") || !self.net.http1_origins.may_be_h2(&self.spec.url) {
            return;
        }
        if let Some(value) = self.spec.priority.header_value() {
            headers.push(("priority".to_owned(), value));
        }
    }

    fn authorize(&self, headers: &mut Vec<(String, String)>) {
        // As in Chromium, webRequest sees the caller's Authorization but never one the
        // stack adds.
        if let Some(value) = self.authorization(headers) {
            wire::set_header(headers, "Authorization", value);
        }
    }

    fn store_cookies(&self, head: &ResponseHead) {
        if let Some(jar) = &self.jar {
            if matches!(head.url.scheme(), "http" | "https") {
                cookies::store(jar, head);
            }
        }
    }

    fn redirect(&mut self, head: &ResponseHead) -> Result<Flow<()>, NetError> {
        let protocols = &self.net.protocols;
        let may_follow_to = |scheme: &str| protocols.handler_for(scheme).is_some();
        match redirect::redirect_for(head, &self.spec.method, may_follow_to)? {
            Some(info) => self.redirect_to(info),
            None => Ok(Flow::On(())),
        }
    }

    fn decode(&self, head: &ResponseHead, body: HopBody) -> ResponseBody {
        match body {
            _ if has_no_body(&self.spec.method, head.status) => ResponseBody::empty(),
            HopBody::Ready(body) => body,
            HopBody::Incoming(incoming) => {
                ResponseBody::new(incoming, head).ending_with(self.net.epoch())
            }
        }
    }

    async fn proxy_challenge(
        &mut self,
        head: &ResponseHead,
        body: ResponseBody,
    ) -> Result<Flow<ResponseBody>, NetError> {
        if head.status != 407 || self.spec.url.scheme() != "http" {
            return Ok(Flow::On(body));
        }
        // Read to its end so that a handshake's next leg can reuse the connection.
        let body = drain_challenge(body, head).await?;
        // The redirects stay with the exchange too: a retry reaches the response.
        let delivered = Delivered {
            head: head.clone(),
            body,
            redirects: self.followed.clone(),
        };
        Ok(match self.on_proxy_challenge(Some(delivered)).await? {
            Some(step) => Flow::Done(step),
            None => Flow::Again,
        })
    }

    async fn server_challenge(
        &mut self,
        head: &ResponseHead,
        body: ResponseBody,
    ) -> Result<Flow<ResponseBody>, NetError> {
        if head.status != 401 {
            return Ok(Flow::On(body));
        }
        // A short challenge body is read to its end, so that the connection goes back to
        // the pool for the retry (NTLM's handshake needs that connection).
        let body = drain_challenge(body, head).await?;
        Ok(match self.on_unauthorized(head, body).await? {
            Some(step) => Flow::Done(step),
            None => Flow::Again,
        })
    }

    fn remember_credentials(&mut self) {
        // Default credentials are not remembered (Chromium caches only identities it was
        // given).
        let given = |a: &Attempt| !matches!(a.source, Source::Default | Source::Kerberos);
        if let Some(attempt) = self.attempt.take().filter(given) {
            self.net
                .auth
                .store(&self.spec.url, &attempt.challenge, &attempt.credentials);
        }
    }

    fn deliver(&mut self, head: ResponseHead, mut body: ResponseBody) -> Step {
        if let Some(mut hooks) = self.hooks.take() {
            hooks.set_from_cache(self.from_cache);
            hooks.response_started(&head);
            body = body.on_end(move |error| hooks.finished(error));
        }
        Step::Response(Box::new(Delivered {
            head,
            body,
            redirects: std::mem::take(&mut self.followed),
        }))
    }
}

/// Reads a 401/407 body of at most 64 KiB to its end, then lets the connection get back to
/// the pool before the retry is sent: hyper-util returns an HTTP/1 connection from a task of
/// its own once the connection is ready again, and a checkout made before that would race a
/// new connection against it (an NTLM or Negotiate handshake must stay on its connection).
async fn drain_challenge(
    body: ResponseBody,
    head: &ResponseHead,
) -> Result<ResponseBody, NetError> {
    let body = body.buffered_if_short(head, 64 * 1024).await?;
    for _ in 0..8 {
        tokio::task::yield_now().await;
    }
    Ok(body)
}
