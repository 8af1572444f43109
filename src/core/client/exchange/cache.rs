//! The HTTP cache's two stages of the request stack (the order is in `stack`): on the way
//! down, a fresh stored response answers at once, a stale one sends the request on with its
//! validators; on the way up, a 304 to those validators is the stored response again, a
//! storable response is kept as the caller reads it, and a successful unsafe method drops
//! what is stored for its URL.

use std::time::SystemTime;

use super::{Exchange, HopBody};
use crate::core::cache::{policy, range, CacheMode, Lookup};
use crate::core::client::request::{RedirectMode, RequestBody, RequestSpec};
use crate::core::client::response::{ResponseBody, ResponseHead, MAX_READ};
use crate::core::client::Step;
use crate::core::net_error::NetError;

impl Exchange {
    /// The lookup stage, for a network hop whose request will go out with `headers`: a
    /// fresh stored response, or `None` (with the validators of a stale one added);
    /// `net::ERR_CACHE_MISS` for an `only-if-cached` request nothing answers.
    pub(super) async fn cache_lookup(
        &mut self,
        headers: &mut Vec<(String, String)>,
    ) -> Result<Option<(ResponseHead, HopBody)>, NetError> {
        let mode = self.spec.cache_mode.for_request(headers);
        self.spec.cache_mode = mode;
        mode.add_request_headers(headers);
        if !self.net.cache.is_enabled() {
            return match mode {
                CacheMode::OnlyIfCached => Err(NetError::CacheMiss),
                _ => Ok(None),
            };
        }
        // The request headers are kept for the policy of a GET's response; other methods only
        // invalidate.
        self.cache_headers = Some(match self.spec.method.as_str() {
            "GET" => headers.clone(),
            _ => Vec::new(),
        });
        let (method, url) = (&self.spec.method, &self.spec.url);
        let now = SystemTime::now();
        match self.net.cache.lookup(method, url, headers, mode, now).await {
            Lookup::Fresh(hit) if range::requested(headers).is_some() => {
                // One range of a complete response is answered here; other Range requests
                // go to the network.
                if hit.revalidate_in_background {
                    self.revalidate_in_background();
                }
                let range = range::requested(headers).unwrap_or_default();
                Ok(hit.ranged(range).await.map(|partial| {
                    self.from_cache = true;
                    let body = ResponseBody::from_cache(partial.body);
                    (partial.head, HopBody::Ready(body))
                }))
            }
            Lookup::Fresh(hit) => {
                self.from_cache = true;
                if hit.revalidate_in_background {
                    self.revalidate_in_background();
                }
                Ok(Some((
                    hit.head,
                    HopBody::Ready(ResponseBody::from_cache(hit.body)),
                )))
            }
            _ if mode == CacheMode::OnlyIfCached => Err(NetError::CacheMiss),
            // The request's own `only-if-cached` (RFC 9111 section 5.2.1.7): a 504.
            _ if policy::says_only_if_cached(headers) => Ok(Some((
                ResponseHead {
                    status: 504,
                    status_message: "Gateway Timeout".to_owned(),
                    version: (1, 1),
                    headers: Vec::new(),
                    url: self.spec.url.clone(),
                    ip: None,
                },
                HopBody::Ready(ResponseBody::empty()),
            ))),
            Lookup::Miss => Ok(None),
            Lookup::Stale { entry, conditional } => {
                headers.extend(conditional);
                self.stale = Some(entry);
                Ok(None)
            }
        }
    }

    /// `stale-while-revalidate`: the same GET, sent again from a task of its own with the
    /// stored validators (as `no-cache`), so that its answer refreshes the entry; its body is
    /// read to the end and dropped.
    fn revalidate_in_background(&self) {
        let spec = RequestSpec {
            method: "GET".to_owned(),
            url: self.spec.url.clone(),
            headers: self.spec.headers.clone(),
            body: RequestBody::Empty,
            redirect: RedirectMode::Follow,
            use_cookies: self.spec.use_cookies,
            prompt_auth: false,
            server_auth: self.spec.server_auth,
            bypass_custom_handlers: false,
            initiator: self.spec.initiator.clone(),
            upload_progress: None,
            priority: self.spec.priority,
            cache_mode: CacheMode::NoCache,
            resource_type: self.spec.resource_type,
            web_contents_id: self.spec.web_contents_id,
        };
        let net = self.net.clone();
        let url = self.spec.url.clone();
        let mut exchange = Exchange::new(self.jars.clone(), net.clone(), spec);
        tokio::spawn(async move {
            if let Ok(Step::Response(delivered)) = exchange.start().await {
                let mut body = delivered.body;
                while let Ok(Some(_)) = body.read(MAX_READ).await {}
            }
            net.cache.revalidated_in_background(&url);
        });
    }

    /// After the network answered a revalidation: a 304 that matches the stale entry is the
    /// stored response, headers refreshed.
    pub(super) async fn cache_revalidated(
        &mut self,
        head: &ResponseHead,
    ) -> Option<(ResponseHead, HopBody)> {
        let entry = self.stale.take()?;
        if head.status != 304 {
            return None;
        }
        let request_headers = self.cache_headers.as_deref().unwrap_or_default();
        let hit = self
            .net
            .cache
            .revalidated(
                entry,
                &self.spec.method,
                &self.spec.url,
                request_headers,
                head,
                SystemTime::now(),
            )
            .await?;
        self.from_cache = true;
        Some((hit.head, HopBody::Ready(ResponseBody::from_cache(hit.body))))
    }

    /// A redirect from the network (301/308, or a 302/307 with freshness) is stored with
    /// its empty body before it is followed, so that the next request for its URL follows it
    /// without the network, as Chromium's cache does.
    pub(super) async fn cache_redirect(&mut self, head: &ResponseHead) {
        if self.from_cache || !self.spec.cache_mode.writes() || !(300..400).contains(&head.status) {
            return;
        }
        if head.value("location").is_none() {
            return;
        }
        let Some(request_headers) = self.cache_headers.as_deref() else {
            return;
        };
        let now = SystemTime::now();
        let cache = &self.net.cache;
        if let Some(write) = cache.writer(
            &self.spec.method,
            &self.spec.url,
            request_headers,
            head,
            now,
        ) {
            write.end(true).await;
        }
    }

    /// The store stage: the response as it goes up to the caller.
    pub(super) async fn cache_store(
        &mut self,
        head: &ResponseHead,
        body: ResponseBody,
    ) -> ResponseBody {
        // Only what came from the network this hop; nothing served from the cache again.
        let Some(request_headers) = self.cache_headers.take() else {
            return body;
        };
        if self.from_cache || !self.spec.cache_mode.writes() {
            return body;
        }
        if is_unsafe(&self.spec.method) {
            // RFC 9111 section 4.4: a successful unsafe request invalidates its target and
            // the same-origin Location and Content-Location.
            if (200..400).contains(&head.status) {
                self.net.cache.invalidate(&self.spec.url).await;
                for name in ["location", "content-location"] {
                    let target = head.value(name).and_then(|v| self.spec.url.join(v).ok());
                    if let Some(target) = target.filter(|t| t.origin() == self.spec.url.origin()) {
                        self.net.cache.invalidate(&target).await;
                    }
                }
            }
            return body;
        }
        match self.net.cache.writer(
            &self.spec.method,
            &self.spec.url,
            &request_headers,
            head,
            SystemTime::now(),
        ) {
            Some(write) => body.kept_in(write).await,
            None => body,
        }
    }
}

/// Methods that change what the server holds (everything but the safe ones).
fn is_unsafe(method: &str) -> bool {
    !matches!(method, "GET" | "HEAD" | "OPTIONS" | "TRACE")
}
