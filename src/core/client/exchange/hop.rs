//! One hop of an exchange: to a protocol handler, `file:` or `data:` without the transport,
//! or through the pooled client for http and https, with the headers the stages add
//! (defaults, credentials, proxy credentials, cookies) and the webRequest header events.

use super::{Exchange, HopBody};
use crate::core::auth;
use crate::core::client::response::{ResponseBody, ResponseHead};
use crate::core::client::{cookies, route, transport, wire, RequestBody};
use crate::core::net_error::NetError;
use crate::core::protocol::{data, file, ProtocolRequest};

impl Exchange {
    /// One hop: a protocol handler or `file:` when one serves the URL, the transport for
    /// http and https, `net::ERR_UNKNOWN_URL_SCHEME` otherwise.
    pub(super) async fn fetch_hop(&mut self) -> Result<(ResponseHead, HopBody), NetError> {
        let scheme = self.spec.url.scheme().to_owned();
        let handler = if self.spec.bypass_custom_handlers {
            None
        } else {
            self.net.protocols.handler_for(&scheme)
        };
        if handler.is_none() && matches!(scheme.as_str(), "http" | "https") {
            let (head, incoming) = self.send_hop().await?;
            return Ok((head, HopBody::Incoming(incoming)));
        }
        if handler.is_none() && scheme != "file" && scheme != "data" {
            return Err(NetError::UnknownUrlScheme);
        }
        let identity = self.net.identity();
        let mut headers = wire::compose_headers(&self.spec, &identity, || None);
        if let Some(hooks) = &mut self.hooks {
            if let Err(stop) = hooks.send_headers(&mut headers).await {
                return Err(self.stopped(stop));
            }
        }
        let request = ProtocolRequest {
            url: self.spec.url.clone(),
            method: self.spec.method.clone(),
            headers,
            body: match &self.spec.body {
                RequestBody::Bytes(bytes) => Some(bytes.clone()),
                _ => None,
            },
        };
        let response = match handler {
            Some(handler) => handler.handle(request).await?,
            None if scheme == "data" => data::serve(&request)?,
            None => file::serve(&request).await?,
        };
        Ok((
            response.head,
            HopBody::Ready(ResponseBody::from_handler(response.body)),
        ))
    }

    async fn send_hop(&mut self) -> Result<(ResponseHead, hyper::body::Incoming), NetError> {
        if self.spec.use_cookies && self.jar.is_none() {
            self.jar = Some(cookies::jar(&self.jars).await?);
        }
        let identity = self.net.identity();
        let url = &self.spec.url;
        let jar = self.jar.clone();
        let mut headers = wire::compose_headers(&self.spec, &identity, || {
            jar.and_then(|jar| cookies::request_header(&jar, url))
        });
        if let Some(hooks) = &mut self.hooks {
            if let Err(stop) = hooks.send_headers(&mut headers).await {
                return Err(self.stopped(stop));
            }
        }
        // The auth stage's answer goes on after the listeners ran: as in Chromium, webRequest
        // sees the caller's Authorization but never one the stack adds.
        if let Some(value) = self.authorization(&headers) {
            wire::set_header(&mut headers, "Authorization", value);
        }
        let epoch = self.net.epoch();
        let (parts, incoming) = tokio::select! {
            biased;
            _ = epoch.cancelled() => return Err(NetError::Aborted),
            response = self.send_by_route(headers) => response?,
        }
        .into_parts();
        Ok((wire::head_from(&parts, &self.spec.url)?, incoming))
    }

    /// The `Authorization` of this hop: the answer to a challenge, else a pre-emptive one
    /// from the session's cache unless the request carries its own.
    fn authorization(&self, headers: &[(String, String)]) -> Option<String> {
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
            None if !wire::has(headers, "authorization") => {
                self.net.auth.preemptive(url, &self.spec.method)
            }
            None => None,
        }
    }

    /// Sends the hop through the first way out that connects (see `route`); the proxy it
    /// went through is kept in `self.via` for the auth stage, and its credentials (for a
    /// forwarded http request) are the only ones sent.
    async fn send_by_route(
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
