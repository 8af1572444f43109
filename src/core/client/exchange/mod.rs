//! One request through the stack (see `super`): sends each hop, applies the cookie, auth
//! and redirect stages in order, and stops where the caller has to decide (a redirect in
//! manual mode, a login prompt) so that the binding can ask JS and resume. One hop's
//! transport is `hop`; what a 401 leads to is `unauthorized`.

mod hop;
mod unauthorized;

use std::sync::Arc;

use super::cookies;
use super::hooks::{self, HookStop, Hooks};
use super::outcome::{Delivered, Step};
use super::proxy_auth;
use super::redirect::{self, RedirectInfo, MAX_REDIRECTS};
use super::request::{RedirectMode, RequestSpec};
use super::response::{ResponseBody, ResponseHead};
use super::NetContext;
use crate::core::auth::{Challenge, Credentials};
use crate::core::cookies::{CookieJar, JarSource};
use crate::core::net_error::NetError;
use crate::core::proxy::ProxyServer;

/// A hop's body before the response stage: hyper's, or one a handler made.
pub(super) enum HopBody {
    Incoming(hyper::body::Incoming),
    Ready(ResponseBody),
}

/// Where the credentials of an attempt came from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
    Url,
    Cache,
    /// The system's Kerberos ticket (GSSAPI).
    Kerberos,
    /// The default NTLM credentials (`NTLM_USER_FILE`).
    Default,
    Caller,
}

pub(super) struct Attempt {
    pub(super) challenge: Challenge,
    pub(super) credentials: Credentials,
    pub(super) source: Source,
    /// A header made elsewhere (a Kerberos token), sent as it is.
    pub(super) header: Option<String>,
}

impl Attempt {
    /// An answer to `challenge` made from `credentials`.
    pub(super) fn new(challenge: Challenge, credentials: Credentials, source: Source) -> Self {
        Self {
            challenge,
            credentials,
            source,
            header: None,
        }
    }

    /// An answer the system's Kerberos library made (no credentials of ours in it).
    pub(super) fn kerberos(challenge: Challenge, header: String) -> Self {
        let none = Credentials {
            username: String::new(),
            password: String::new(),
        };
        Self {
            header: Some(header),
            ..Self::new(challenge, none, Source::Kerberos)
        }
    }
}

/// HEAD, 1xx, 204 and 304 responses have no body whatever their headers say.
pub(super) fn has_no_body(method: &str, status: u16) -> bool {
    method == "HEAD" || status == 204 || status == 304 || (100..200).contains(&status)
}

/// One request in progress.
pub struct Exchange {
    jars: Arc<dyn JarSource>,
    net: Arc<NetContext>,
    spec: RequestSpec,
    url_credentials: Option<Credentials>,
    followed: Vec<RedirectInfo>,
    pending_redirect: Option<RedirectInfo>,
    pending_login: Option<(Challenge, Delivered)>,
    proxy_auth: proxy_auth::ProxyAuthState,
    /// The way out (DIRECT or a proxy) the last hop went through.
    via: Option<ProxyServer>,
    attempt: Option<Attempt>,
    stale_retried: bool,
    kerberos_tried: bool,
    default_tried: bool,
    jar: Option<Arc<CookieJar>>,
    hooks: Option<Hooks>,
    failure: Option<String>,
}

impl Exchange {
    /// Prepares a request; nothing is sent until `start`. Credentials in the URL are taken
    /// out of it (they answer the first challenge, and are never sent otherwise).
    pub fn new(jars: Arc<dyn JarSource>, net: Arc<NetContext>, mut spec: RequestSpec) -> Self {
        let url_credentials = (!spec.url.username().is_empty()).then(|| Credentials {
            username: percent_decode(spec.url.username()),
            password: percent_decode(spec.url.password().unwrap_or("")),
        });
        let _ = spec.url.set_username("");
        let _ = spec.url.set_password(None);
        let hooks = Hooks::new(&net, &spec);
        Self {
            jars,
            net,
            spec,
            url_credentials,
            followed: Vec::new(),
            pending_redirect: None,
            pending_login: None,
            proxy_auth: Default::default(),
            via: None,
            attempt: None,
            stale_retried: false,
            kerberos_tried: false,
            default_tried: false,
            jar: None,
            hooks,
            failure: None,
        }
    }

    /// Why the request failed, when a webRequest listener threw (the error names it).
    pub fn failure_message(&self) -> Option<&str> {
        self.failure.as_deref()
    }

    /// Sends the request.
    pub async fn start(&mut self) -> Result<Step, NetError> {
        self.run().await
    }

    /// Continues after `Step::Redirect`.
    pub async fn follow_redirect(&mut self) -> Result<Step, NetError> {
        let Some(info) = self.pending_redirect.take() else {
            return Err(NetError::Failed);
        };
        self.follow(info)?;
        self.run().await
    }

    /// Continues after `Step::Login`: `None` cancels and delivers the 401 (or 407) as the
    /// response (a refused tunnel fails with `net::ERR_PROXY_AUTH_REQUESTED`).
    pub async fn answer_login(
        &mut self,
        credentials: Option<Credentials>,
    ) -> Result<Step, NetError> {
        if self.proxy_auth.is_pending() {
            return match self.proxy_auth.answer(&self.net, credentials) {
                Some(end) => end.map(|d| Step::Response(Box::new(d))),
                None => self.run().await,
            };
        }
        let Some((challenge, delivered)) = self.pending_login.take() else {
            return Err(NetError::Failed);
        };
        match credentials {
            None => Ok(Step::Response(Box::new(delivered))),
            Some(credentials) => {
                drop(delivered);
                self.attempt = Some(Attempt::new(challenge, credentials, Source::Caller));
                self.run().await
            }
        }
    }

    fn follow(&mut self, info: RedirectInfo) -> Result<(), NetError> {
        if self.followed.len() >= MAX_REDIRECTS {
            return Err(NetError::TooManyRedirects);
        }
        if let Some(hooks) = &mut self.hooks {
            hooks.before_redirect(&info);
        }
        redirect::apply(&mut self.spec, &info)?;
        // Credentials answer one origin's challenges only.
        if self
            .attempt
            .as_ref()
            .is_some_and(|_| info.new_url.origin() != info.head.url.origin())
        {
            self.attempt = None;
        }
        self.followed.push(info);
        Ok(())
    }

    async fn run(&mut self) -> Result<Step, NetError> {
        let result = self.run_hops().await;
        if let (Err(e), Some(hooks)) = (&result, &mut self.hooks) {
            hooks.error_occurred(*e);
        }
        result
    }

    /// Follows a redirect in Follow mode (`Ok(None)`: go on), or stops at it.
    fn redirect_to(&mut self, info: RedirectInfo) -> Result<Option<Step>, NetError> {
        match self.spec.redirect {
            RedirectMode::Follow => {
                self.follow(info)?;
                Ok(None)
            }
            RedirectMode::Stop => {
                self.pending_redirect = Some(info.clone());
                Ok(Some(Step::Redirect(Box::new(info))))
            }
        }
    }

    /// What a proxy's 407 leads to: `Ok(None)` to send the request again, or the step.
    async fn on_proxy_challenge(
        &mut self,
        delivered: Option<Delivered>,
    ) -> Result<Option<Step>, NetError> {
        match self
            .proxy_auth
            .on_challenge(&self.net, self.via.clone(), &self.spec, delivered)
            .await
        {
            proxy_auth::Outcome::Retry => Ok(None),
            proxy_auth::Outcome::Prompt(info) => Ok(Some(Step::Login(info))),
            proxy_auth::Outcome::Deliver(delivered) => Ok(Some(Step::Response(delivered))),
            proxy_auth::Outcome::Fail(error) => Err(error),
        }
    }

    fn stopped(&mut self, stop: HookStop) -> NetError {
        if let HookStop::ListenerFailed(message) = &stop {
            self.failure = Some(message.clone());
        }
        stop.net_error()
    }

    async fn run_hops(&mut self) -> Result<Step, NetError> {
        loop {
            if let Some(hooks) = &mut self.hooks {
                match hooks.before_request(&self.spec).await {
                    Err(stop) => return Err(self.stopped(stop)),
                    Ok(Some(url)) => {
                        let info = hooks::internal_redirect(&self.spec, &url)?;
                        match self.redirect_to(info)? {
                            Some(step) => return Ok(step),
                            None => continue,
                        }
                    }
                    Ok(None) => {}
                }
            }
            let (mut head, incoming) = match self.fetch_hop().await {
                Err(NetError::ProxyAuthRequested) => match self.on_proxy_challenge(None).await? {
                    Some(step) => return Ok(step),
                    None => continue,
                },
                other => other?,
            };
            if let Some(jar) = &self.jar {
                if matches!(head.url.scheme(), "http" | "https") {
                    cookies::store(jar, &head);
                }
            }
            if let Some(hooks) = &mut self.hooks {
                match hooks.headers_received(&mut head).await {
                    Err(stop) => return Err(self.stopped(stop)),
                    Ok(Some(url)) => {
                        drop(incoming);
                        let info = hooks::internal_redirect(&self.spec, &url)?;
                        match self.redirect_to(info)? {
                            Some(step) => return Ok(step),
                            None => continue,
                        }
                    }
                    Ok(None) => {}
                }
            }
            let protocols = &self.net.protocols;
            let may_follow_to = |scheme: &str| protocols.handler_for(scheme).is_some();
            if let Some(info) = redirect::redirect_for(&head, &self.spec.method, may_follow_to)? {
                drop(incoming);
                match self.redirect_to(info)? {
                    Some(step) => return Ok(step),
                    None => continue,
                }
            }
            let mut body = match incoming {
                _ if has_no_body(&self.spec.method, head.status) => ResponseBody::empty(),
                HopBody::Ready(body) => body,
                HopBody::Incoming(incoming) => {
                    ResponseBody::new(incoming, &head).ending_with(self.net.epoch())
                }
            };
            if head.status == 407 && self.spec.url.scheme() == "http" {
                // Read to its end so that a handshake's next leg can reuse the connection.
                let body = drain_challenge(body, &head).await?;
                // The redirects stay with the exchange too: a retry reaches the response.
                let delivered = Delivered {
                    head: head.clone(),
                    body,
                    redirects: self.followed.clone(),
                };
                match self.on_proxy_challenge(Some(delivered)).await? {
                    Some(step) => return Ok(step),
                    None => continue,
                }
            }
            if head.status == 401 {
                // A short challenge body is read to its end, so that the connection goes
                // back to the pool for the retry (NTLM's handshake needs that connection).
                let body = drain_challenge(body, &head).await?;
                if let Some(step) = self.on_unauthorized(&head, body).await? {
                    return Ok(step);
                }
                continue;
            }
            // Default credentials are not remembered (Chromium caches only identities it
            // was given).
            let given = |a: &Attempt| !matches!(a.source, Source::Default | Source::Kerberos);
            if let Some(attempt) = self.attempt.take().filter(given) {
                self.net
                    .auth
                    .store(&self.spec.url, &attempt.challenge, &attempt.credentials);
            }
            if let Some(mut hooks) = self.hooks.take() {
                hooks.response_started(&head);
                body = body.on_end(move |error| hooks.finished(error));
            }
            return Ok(Step::Response(Box::new(Delivered {
                head,
                body,
                redirects: std::mem::take(&mut self.followed),
            })));
        }
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

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}
