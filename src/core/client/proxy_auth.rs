//! Proxy authentication in the auth stage: what a 407 from an HTTP proxy leads to, for a
//! forwarded http request or a CONNECT (whose handshake legs the connector runs): the next
//! leg of an NTLM/Negotiate handshake on the same connection, a retry once the proxy's
//! challenge is known, default credentials (the system's Kerberos ticket for Negotiate, then
//! NTLM_USER_FILE; every proxy may have them, as in Chromium's HttpAuthFilterAllowlist), the caller through `login` with `isProxy: true`, or the 407
//! itself (a refused CONNECT fails with `net::ERR_PROXY_AUTH_REQUESTED`). The answers live
//! in the session's proxy auth cache (`crate::core::proxy::credentials`).

use std::sync::Arc;

use url::Url;

use super::outcome::Delivered;
use super::request::RequestSpec;
use super::NetContext;
use crate::core::auth::{self, ambient, gssapi, AuthInfo, Challenge, Credentials, Scheme};
use crate::core::net_error::NetError;
use crate::core::proxy::ProxyServer;

/// Auth rounds one request may spend on a proxy before the 407 stands.
const MAX_ROUNDS: u8 = 4;

/// A proxy login waiting for the caller's answer.
struct Pending {
    proxy: ProxyServer,
    delivered: Option<Delivered>,
}

/// What a 407 leads to.
pub enum Outcome {
    /// Send the request again (the next leg, or answers the cache now has).
    Retry,
    /// Ask the caller (`login` with `isProxy: true`).
    Prompt(AuthInfo),
    /// Hand the 407 over as the response.
    Deliver(Box<Delivered>),
    /// Fail (a refused tunnel).
    Fail(NetError),
}

/// One request's proxy auth progress.
#[derive(Default)]
pub struct ProxyAuthState {
    pending: Option<Pending>,
    /// The next leg of a handshake, for the proxy that asked for it only.
    next_leg: Option<(ProxyServer, String)>,
    first_leg: Option<(Scheme, Credentials)>,
    rounds: u8,
    kerberos_tried: bool,
    default_tried: bool,
}

fn give_up(delivered: Option<Delivered>) -> Outcome {
    match delivered {
        Some(d) => Outcome::Deliver(Box::new(d)),
        None => Outcome::Fail(NetError::ProxyAuthRequested),
    }
}

impl ProxyAuthState {
    /// The `Proxy-Authorization` of a plain http hop forwarded by `proxy`, the HTTP proxy
    /// it is being sent through (CONNECT tunnels send theirs in the connector). Nothing for
    /// https hops, DIRECT or SOCKS: a proxy's credentials go to that proxy only.
    pub async fn header_for_hop(
        &mut self,
        net: &NetContext,
        proxy: &ProxyServer,
        url: &Url,
        method: &str,
    ) -> Option<String> {
        if url.scheme() != "http" || !proxy.is_http() {
            return None;
        }
        if let Some((_, leg)) = self.next_leg.take().filter(|(p, _)| p == proxy) {
            return Some(leg);
        }
        let answer = net
            .proxies
            .auth
            .authorization(proxy, method, &auth::request_uri(url))
            .await?;
        self.first_leg = answer
            .credentials
            .filter(|_| answer.scheme.is_connection_based())
            .map(|credentials| (answer.scheme, credentials));
        Some(answer.header)
    }

    /// Whether a `login` answer is awaited for a proxy.
    pub fn is_pending(&self) -> bool {
        self.pending.is_some()
    }

    /// Decides what the 407 of `proxy` (the proxy the request went through) leads to.
    /// `delivered` is the 407 of a forwarded request (`None` for a refused CONNECT, whose
    /// challenge the connector noted).
    pub async fn on_challenge(
        &mut self,
        net: &Arc<NetContext>,
        proxy: Option<ProxyServer>,
        spec: &RequestSpec,
        delivered: Option<Delivered>,
    ) -> Outcome {
        let Some(proxy) = proxy.filter(ProxyServer::is_http) else {
            return give_up(delivered);
        };
        let cache = &net.proxies.auth;
        let challenge = match &delivered {
            Some(d) => auth::pick_challenge(d.head.values("proxy-authenticate")),
            None => cache.challenge(&proxy),
        };
        let Some(challenge) = challenge else {
            return give_up(delivered);
        };
        if let (Some(_), Some((scheme, credentials))) = (&delivered, self.first_leg.take()) {
            let sent = Challenge {
                scheme,
                params: Default::default(),
            };
            if auth::continues(&sent, &challenge) {
                let uri = auth::request_uri(&spec.url);
                let leg = auth::authorization(&challenge, &credentials, &spec.method, &uri, 1);
                self.next_leg = Some((proxy, leg));
                return Outcome::Retry;
            }
        }
        let refused = match &delivered {
            Some(_) => cache.note_challenge(&proxy, &challenge),
            None => cache.was_refused(&proxy),
        };
        self.rounds += 1;
        if self.rounds > MAX_ROUNDS {
            return give_up(delivered);
        }
        if !refused && cache.credentials(&proxy).is_some() {
            return Outcome::Retry;
        }
        if proxy.credentials.is_some() {
            // The URI's credentials were refused: nothing else is tried over them.
            return give_up(delivered);
        }
        cache.remember(&proxy, None);
        // Default credentials, which every proxy may have (Chromium's allowlist passes
        // proxies): the system's Kerberos ticket for Negotiate, then NTLM_USER_FILE.
        if challenge.scheme == Scheme::Negotiate && !self.kerberos_tried {
            self.kerberos_tried = true;
            if gssapi::negotiate_header(proxy.host.clone()).await.is_some() {
                cache.use_kerberos(&proxy);
                return Outcome::Retry;
            }
        }
        if challenge.scheme.is_connection_based() && !self.default_tried {
            self.default_tried = true;
            if let Some(credentials) = ambient::default_credentials() {
                cache.remember(&proxy, Some(credentials));
                return Outcome::Retry;
            }
        }
        if !spec.prompt_auth {
            return give_up(delivered);
        }
        let info = AuthInfo {
            is_proxy: true,
            scheme: challenge.scheme.as_str(),
            host: proxy.host.clone(),
            port: proxy.port,
            realm: challenge.realm().to_owned(),
        };
        self.pending = Some(Pending { proxy, delivered });
        Outcome::Prompt(info)
    }

    /// Applies the caller's answer: `None` to retry with the new credentials, or the end of
    /// the request when the caller cancelled.
    pub fn answer(
        &mut self,
        net: &NetContext,
        credentials: Option<Credentials>,
    ) -> Option<Result<Delivered, NetError>> {
        let pending = self.pending.take()?;
        match credentials {
            Some(c) => {
                net.proxies.auth.remember(&pending.proxy, Some(c));
                None
            }
            None => Some(pending.delivered.ok_or(NetError::ProxyAuthRequested)),
        }
    }
}
