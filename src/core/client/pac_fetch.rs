//! The PAC fetcher the request stack hands down to the proxy layer (`proxy::pac_load`): a
//! GET through the session's own stack (redirects followed, no cookies, no login prompts),
//! its 2xx body read as text. The largest script taken is 4 MiB, as Chromium's
//! PacFileFetcher limits it.

use crate::core::cache::CacheMode;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use url::Url;

use super::request::{RedirectMode, RequestBody, RequestSpec};
use super::{Exchange, NetContext, Step};
use crate::core::cookies::JarSource;
use crate::core::proxy::pac_load::PacFetcher;

/// The most bytes of PAC script read (Chromium's kDefaultMaxResponseBytes).
pub const MAX_PAC_BYTES: usize = 4 * 1024 * 1024;

/// Fetches PAC scripts through a session's request stack.
pub struct StackFetcher {
    jars: Arc<dyn JarSource>,
    net: Arc<NetContext>,
}

impl StackFetcher {
    /// A fetcher for the session whose jars and network context these are.
    pub fn new(jars: Arc<dyn JarSource>, net: Arc<NetContext>) -> Self {
        Self { jars, net }
    }

    async fn get(&self, url: Url) -> Result<String, String> {
        let spec = RequestSpec {
            method: "GET".to_owned(),
            url,
            headers: Vec::new(),
            body: RequestBody::Empty,
            redirect: RedirectMode::Follow,
            use_cookies: false,
            prompt_auth: false,
            // As Chromium's PacFileFetcher: a PAC download sends no credentials.
            server_auth: false,
            initiator: None,
            upload_progress: None,
            priority: Default::default(),
            // Chromium's PacFileFetcher loads with LOAD_DISABLE_CACHE.
            cache_mode: CacheMode::NoStore,
            bypass_custom_handlers: false,
            resource_type: Default::default(),
            web_contents_id: None,
        };
        let mut exchange = Exchange::new(self.jars.clone(), self.net.clone(), spec);
        let Step::Response(delivered) = exchange.start().await.map_err(|e| e.to_string())? else {
            return Err("net::ERR_FAILED".to_owned());
        };
        let status = delivered.head.status;
        if !(200..300).contains(&status) {
            return Err(format!("HTTP {status}"));
        }
        let mut body = delivered.body;
        let mut bytes = Vec::new();
        while let Some(piece) = body.read(64 * 1024).await.map_err(|e| e.to_string())? {
            bytes.extend_from_slice(&piece);
            if bytes.len() > MAX_PAC_BYTES {
                return Err("net::ERR_FILE_TOO_BIG".to_owned());
            }
        }
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}

impl PacFetcher for StackFetcher {
    fn fetch(&self, url: Url) -> Pin<Box<dyn Future<Output = Result<String, String>> + Send + '_>> {
        Box::pin(self.get(url))
    }
}
