//! Proxy authentication in the auth stage: a 407 from an HTTP proxy (to a forwarded http
//! request, or to a CONNECT) asks the caller through `login` with `isProxy: true`; the
//! answer goes into the session's proxy credential cache, which forwarded requests and
//! CONNECTs both use. Credentials in the proxy URI are used first and never prompted over.

use std::sync::Arc;

use super::auth::{AuthInfo, Credentials};
use super::exchange::Delivered;
use super::request::RequestSpec;
use super::NetContext;
use crate::core::net_error::NetError;
use crate::core::proxy::ProxyServer;

/// A proxy login waiting for the caller's answer.
pub struct Pending {
    proxy: ProxyServer,
    delivered: Option<Delivered>,
}

/// What a 407 leads to.
pub enum Outcome {
    /// Ask the caller (`login` with `isProxy: true`).
    Prompt(Pending, AuthInfo),
    /// Hand the 407 over as the response.
    Deliver(Delivered),
    /// Fail (a refused tunnel).
    Fail(NetError),
}

fn realm_of(delivered: Option<&Delivered>) -> Option<String> {
    let header = delivered?.head.value("proxy-authenticate")?;
    let realm = header.split("realm=\"").nth(1)?.split('"').next()?;
    Some(realm.to_owned())
}

fn give_up(delivered: Option<Delivered>) -> Outcome {
    match delivered {
        Some(d) => Outcome::Deliver(d),
        None => Outcome::Fail(NetError::ProxyAuthRequested),
    }
}

/// Decides what a proxy's 407 leads to. `delivered` is the 407 of a forwarded request
/// (`None` for a refused CONNECT).
pub fn challenge(
    net: &Arc<NetContext>,
    spec: &RequestSpec,
    delivered: Option<Delivered>,
    prompt: bool,
) -> Outcome {
    let Some(proxy) = net.proxies.first_http_proxy(&spec.url) else {
        return give_up(delivered);
    };
    // Whatever was cached was refused.
    net.proxies.remember_credentials(&proxy, None);
    if proxy.credentials.is_some() || !prompt {
        return give_up(delivered);
    }
    let realm = realm_of(delivered.as_ref()).unwrap_or_else(|| net.proxies.realm(&proxy));
    let info = AuthInfo {
        is_proxy: true,
        scheme: "basic",
        host: proxy.host.clone(),
        port: proxy.port,
        realm,
    };
    Outcome::Prompt(Pending { proxy, delivered }, info)
}

/// Applies the caller's answer: `None` to retry with the new credentials, or the end of the
/// request when the caller cancelled.
pub fn answer(
    net: &Arc<NetContext>,
    pending: Pending,
    credentials: Option<Credentials>,
) -> Option<Result<Delivered, NetError>> {
    match credentials {
        Some(c) => {
            net.proxies
                .remember_credentials(&pending.proxy, Some((c.username, c.password)));
            None
        }
        None => Some(pending.delivered.ok_or(NetError::ProxyAuthRequested)),
    }
}
