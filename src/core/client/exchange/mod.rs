//! One request through the stack: the state an exchange keeps across hops (redirects
//! followed, credentials tried, proxy auth, the jar, webRequest details), and where it
//! stops for the caller to decide (a redirect in manual mode, a login prompt) so that the
//! binding can ask JS and resume. The order of the stages is `stack`; where a hop is
//! answered is `hop`; what a 401 leads to is `unauthorized`.

mod cache;
mod hop;
mod stack;
mod unauthorized;

use std::sync::Arc;

use super::fetch_site::FetchSite;
use super::hooks::Hooks;
use super::outcome::{Delivered, Step};
use super::proxy_auth;
use super::redirect::{self, RedirectInfo, MAX_REDIRECTS};
use super::request::RequestSpec;
use super::response::ResponseBody;
use super::NetContext;
use crate::core::auth::{Challenge, Credentials};
use crate::core::cache::StaleEntry;
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
    /// Sec-Fetch-Site over the redirect chain so far.
    fetch_site: FetchSite,
    /// The hop's request headers when it went to the network with the cache on.
    cache_headers: Option<Vec<(String, String)>>,
    /// A stale stored response being revalidated by this hop.
    stale: Option<Box<StaleEntry>>,
    /// The response comes from the cache.
    from_cache: bool,
    jar: Option<Arc<CookieJar>>,
    hooks: Option<Hooks>,
    failure: Option<String>,
}

impl Exchange {
    /// Prepares a request; nothing is sent until `start`. Credentials in the URL are taken
    /// out of it (they answer the first challenge, and are never sent otherwise).
    pub fn new(jars: Arc<dyn JarSource>, net: Arc<NetContext>, mut spec: RequestSpec) -> Self {
        let has_credentials = spec.server_auth && !spec.url.username().is_empty();
        let url_credentials = has_credentials.then(|| Credentials {
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
            fetch_site: FetchSite::None,
            cache_headers: None,
            stale: None,
            from_cache: false,
            jar: None,
            hooks,
            failure: None,
        }
    }

    /// Sec-Fetch-Site for the current hop: the initiator's relation to every URL so far.
    fn fetch_site(&mut self) -> FetchSite {
        self.fetch_site = self
            .fetch_site
            .then(self.spec.initiator.as_ref(), &self.spec.url);
        self.fetch_site
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
            hooks.set_from_cache(self.from_cache);
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
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}
