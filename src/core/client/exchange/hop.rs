//! Where a hop is answered (the stack's order is in `stack`): a protocol handler, `file:`
//! or `data:` without the network; for http and https, the proxy route stage trying each
//! way out with that proxy's credentials, over the transport's pools.

use super::stack::Flow;
use super::{Exchange, HopBody};
use crate::core::auth;
use crate::core::client::response::{ResponseBody, ResponseHead};
use crate::core::client::{route, transport, wire};
use crate::core::net_error::NetError;
use crate::core::protocol::{data, file, ProtocolRequest};

impl Exchange {
    /// The hop's source: a protocol handler, `file:` or `data:` when one serves the URL,
    /// the network stages (`network`) for http and https, `net::ERR_UNKNOWN_URL_SCHEME`
    /// otherwise.
    pub(super) async fn serve_or_send(
        &mut self,
    ) -> Result<Flow<(ResponseHead, HopBody)>, NetError> {
        // Each hop starts with no cache state; the network stages set it.
        self.from_cache = false;
        self.stale = None;
        self.cache_headers = None;
        let scheme = self.spec.url.scheme().to_owned();
        let handler = if self.spec.bypass_custom_handlers {
            None
        } else {
            self.net.protocols.handler_for(&scheme)
        };
        if handler.is_none() && matches!(scheme.as_str(), "http" | "https") {
            return self.network().await;
        }
        if handler.is_none() && scheme != "file" && scheme != "data" {
            return Err(NetError::UnknownUrlScheme);
        }
        let identity = self.net.identity();
        let fetch_site = self.fetch_site();
        let mut headers = wire::compose_headers(&self.spec, &identity, fetch_site, || None);
        self.send_headers(&mut headers).await?;
        let request = ProtocolRequest {
            url: self.spec.url.clone(),
            method: self.spec.method.clone(),
            headers,
            body: self.spec.body.read_whole().await?,
        };
        let response = match handler {
            Some(handler) => handler.handle(request).await?,
            None if scheme == "data" => data::serve(&request)?,
            None => file::serve(&request).await?,
        };
        Ok(Flow::On((
            response.head,
            HopBody::Ready(ResponseBody::from_handler(response.body)),
        )))
    }

    /// The `Authorization` of this hop: the answer to a challenge, else a pre-emptive one
    /// from the session's cache unless the request carries its own.
    pub(super) fn authorization(&self, headers: &[(String, String)]) -> Option<String> {
        let url = &self.spec.url;
        match &self.attempt {
            Some(a) => Some(a.header.clone().unwrap_or_else(|| {
                auth::authorization(
                    &a.challenge,
                    &a.credentials,
                    &self.spec.method,
                    &auth::request_uri(url),
                    1,
                )
            })),
            None if self.spec.server_auth && !wire::has(headers, "authorization") => {
                self.net.auth.preemptive(url, &self.spec.method)
            }
            None => None,
        }
    }

    /// Sends the hop through the first way out that connects (see `route`); the proxy it
    /// went through is kept in `self.via` for the auth stage, and its credentials (for a
    /// forwarded http request) are the only ones sent.
    pub(super) async fn send_by_route(
        &mut self,
        headers: Vec<(String, String)>,
    ) -> Result<(ResponseHead, hyper::body::Incoming), NetError> {
        let epoch = self.net.epoch();
        let (parts, incoming) = tokio::select! {
            biased;
            _ = epoch.cancelled() => return Err(NetError::Aborted),
            response = self.try_ways_out(headers) => response?,
        }
        .into_parts();
        Ok((wire::head_from(&parts, &self.spec.url)?, incoming))
    }

    async fn try_ways_out(
        &mut self,
        mut headers: Vec<(String, String)>,
    ) -> Result<http::Response<hyper::body::Incoming>, NetError> {
        let ways = route::ways_out(&self.net, &self.spec.url).await;
        let pools = self.net.pools();
        let mut last = NetError::ProxyConnectionFailed;
        for via in ways {
            let proxy_authorization = self
                .proxy_auth
                .header_for_hop(&self.net, &via, &self.spec.url, &self.spec.method)
                .await;
            let pushed = proxy_authorization.is_some();
            if let Some(value) = proxy_authorization {
                headers.push(("Proxy-Authorization".to_owned(), value));
            }
            let request = wire::to_http(&mut self.spec, &headers);
            if pushed {
                headers.pop();
            }
            self.via = Some(via.clone());
            match transport::send(&pools.via(&via), request?).await {
                Ok(response) => return Ok(response),
                Err(f) if route::may_take_next(&via, f.error, f.connecting, &self.spec.body) => {
                    self.net.proxies.mark_bad(&via);
                    last = f.error;
                }
                Err(f) => return Err(f.error),
            }
        }
        Err(last)
    }
}
