//! The proxy route stage of the request stack: the ways out a hop may take (the session's
//! proxy route for its URL: DIRECT alone when no proxy applies), tried in order until one
//! connects. A proxy that cannot be reached is marked bad and the next way is taken
//! (Chromium's failover), as long as nothing of the request has been sent. Because this
//! stage, not the pool, picks the way, a request always knows which proxy carries it, and
//! a proxy's credentials go to that proxy and nowhere else.

use url::Url;

use super::request::RequestBody;
use super::NetContext;
use crate::core::net_error::NetError;
use crate::core::proxy::ProxyServer;

/// Whether a failure to use a proxy lets the next one in the list be tried (Chromium's
/// CanFalloverToNextProxy).
fn may_fall_over(error: NetError) -> bool {
    matches!(
        error,
        NetError::ProxyConnectionFailed
            | NetError::SocksConnectionFailed
            | NetError::TunnelConnectionFailed
            | NetError::ProxyCertificateInvalid
            | NetError::NameNotResolved
            | NetError::ConnectionRefused
            | NetError::ConnectionReset
            | NetError::ConnectionClosed
            | NetError::ConnectionTimedOut
            | NetError::AddressUnreachable
    )
}

/// The ways out for `url`, in the order they are tried.
pub async fn ways_out(net: &NetContext, url: &Url) -> Vec<ProxyServer> {
    if net.proxies.is_direct() {
        return vec![ProxyServer::direct()];
    }
    let ways = net.proxies.resolve(url).await.0;
    if ways.is_empty() {
        return vec![ProxyServer::direct()];
    }
    ways
}

/// Whether a failure through `via` lets the request take the next way: the proxy could
/// not be reached (no connection, so nothing was sent) and the body can still go out.
pub fn may_take_next(
    via: &ProxyServer,
    error: NetError,
    connecting: bool,
    body: &RequestBody,
) -> bool {
    let body_unsent = match body {
        RequestBody::Stream(slot) => slot.is_unsent(),
        RequestBody::Empty | RequestBody::Bytes(_) => true,
    };
    !via.is_direct() && connecting && may_fall_over(error) && body_unsent
}
