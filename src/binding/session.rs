//! The native half of `Session`: identity, storage location, and opening storage off the
//! JS thread.

use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi_derive::napi;

use super::cookies::NativeCookies;
use super::error::{promise, to_js, Code, IntoJs};
use super::protocol::JsProtocolHandler;
use super::tls::JsVerifyProc;
use super::web_request::JsDispatcher;
use crate::core::connect::dns::{CacheUsage, QueryType};
use crate::core::protocol::source::{Route, Source};
use crate::core::proxy::{pac_string, ProxyConfig};
use crate::core::session::Session;
use crate::core::tls::config::{SslConfig, TlsVersion};
use crate::core::web_request::{Event as WebRequestEvent, RequestFilter};
use crate::core::Error;

/// A session as JS holds it.
#[napi]
pub struct NativeSession {
    pub(super) inner: Arc<Session>,
}

impl NativeSession {
    pub(crate) fn new(inner: Arc<Session>) -> Self {
        Self { inner }
    }
}

/// Runs blocking storage work on tokio's blocking pool and resolves a Promise with it.
pub(crate) fn blocking_promise<'env, T, F>(env: &'env Env, work: F) -> Result<PromiseRaw<'env, T>>
where
    T: 'static + Send + ToNapiValue,
    F: 'static + Send + FnOnce() -> crate::core::Result<T>,
{
    promise(env, async move {
        tokio::task::spawn_blocking(work).await.unwrap_or_else(|e| {
            Err(crate::core::Error::Storage(format!(
                "the storage task failed: {e}"
            )))
        })
    })
}

#[napi]
impl NativeSession {
    /// Process-unique id, so that JS keeps one Session object per native session.
    #[napi(getter)]
    pub fn id(&self) -> u32 {
        self.inner.id()
    }

    /// The partition string (or path for `fromPath`).
    #[napi(getter)]
    pub fn partition(&self) -> String {
        self.inner.partition().to_owned()
    }

    /// The storage directory, or null in memory.
    #[napi(getter)]
    pub fn storage_path(&self) -> Option<String> {
        self.inner
            .storage_path()
            .map(|p| p.to_string_lossy().into_owned())
    }

    /// True when data outlives the process.
    #[napi]
    pub fn is_persistent(&self) -> bool {
        self.inner.is_persistent()
    }

    /// True once storage is open (then cookie calls answer synchronously).
    #[napi]
    pub fn is_open(&self) -> bool {
        self.inner.is_open()
    }

    /// Opens storage on the blocking pool; rejects with a message naming the partition
    /// when it cannot (locked by another process, unreadable directory).
    #[napi]
    pub fn open<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, ()>> {
        let session = self.inner.clone();
        blocking_promise(env, move || session.open())
    }

    /// Makes every change so far durable (fsync) before resolving: cookies and the HTTP
    /// cache's entries.
    #[napi]
    pub fn flush<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, ()>> {
        let session = self.inner.clone();
        promise(env, async move {
            session.flush_cache().await;
            tokio::task::spawn_blocking(move || session.flush_storage())
                .await
                .unwrap_or_else(|e| {
                    Err(crate::core::Error::Storage(format!(
                        "the storage task failed: {e}"
                    )))
                })
        })
    }

    /// The native cookie API of this session.
    #[napi]
    pub fn cookies(&self) -> NativeCookies {
        NativeCookies::new(self.inner.clone())
    }

    /// `ses.setUserAgent(ua, acceptLanguages)`.
    #[napi]
    pub fn set_user_agent(&self, user_agent: String, accept_languages: Option<String>) {
        self.inner
            .net()
            .set_user_agent(user_agent, accept_languages.as_deref());
    }

    /// `ses.getUserAgent()`.
    #[napi]
    pub fn get_user_agent(&self) -> String {
        self.inner.net().identity().user_agent.clone()
    }

    /// `ses.clearAuthCache()`.
    #[napi]
    pub fn clear_auth_cache(&self) {
        self.inner.net().auth.clear();
    }

    /// `ses.allowNTLMCredentialsForDomains(domains)`: a rule that does not parse throws and
    /// the list in force stays.
    #[napi(js_name = "allowNTLMCredentialsForDomains")]
    pub fn allow_ntlm_credentials_for_domains(&self, domains: String) -> Result<(), Code> {
        self.inner
            .net()
            .auth_allowlist
            .set(&domains)
            .map_err(|m| to_js(Error::InvalidArgument(m)))
    }

    /// `ses.closeAllConnections()`.
    #[napi]
    pub fn close_all_connections(&self) {
        self.inner.net().close_all_connections();
    }

    /// `ses.clearHostResolverCache()`.
    #[napi]
    pub fn clear_host_resolver_cache(&self) {
        self.inner.net().resolver.clear_cache();
    }

    /// `ses.resolveHost(host, options)`: the addresses, comma separated.
    #[napi]
    pub fn resolve_host<'env>(
        &self,
        env: &'env Env,
        host: String,
        query_type: Option<String>,
        cache_usage: Option<String>,
    ) -> Result<PromiseRaw<'env, Vec<String>>> {
        let query = match query_type.as_deref() {
            Some("A") => QueryType::A,
            Some("AAAA") => QueryType::Aaaa,
            _ => QueryType::Any,
        };
        let cache = match cache_usage.as_deref() {
            Some("disallowed") => CacheUsage::Disallowed,
            Some("staleAllowed") => CacheUsage::StaleAllowed,
            _ => CacheUsage::Allowed,
        };
        let resolver = self.inner.net().resolver.clone();
        promise(env, async move {
            resolver
                .resolve_host(&host, query, cache)
                .await
                .map(|ips| ips.iter().map(ToString::to_string).collect())
                .map_err(Error::from)
        })
    }

    /// `ses.setSSLConfig(config)`; versions already checked by JS.
    #[napi]
    pub fn set_ssl_config(
        &self,
        min_version: Option<String>,
        max_version: Option<String>,
        disabled_cipher_suites: Vec<u32>,
    ) -> Result<(), Code> {
        let defaults = SslConfig::default();
        let version = |v: Option<String>, d| v.as_deref().and_then(TlsVersion::parse).unwrap_or(d);
        let config = SslConfig {
            min_version: version(min_version, defaults.min_version),
            max_version: version(max_version, defaults.max_version),
            disabled_cipher_suites: disabled_cipher_suites
                .into_iter()
                .map(|c| c as u16)
                .collect(),
        };
        self.inner.net().tls.set_config(config).into_js()
    }

    /// `ses.setCertificateVerifyProc(proc)`: a function taking the request as JSON and
    /// resolving with a code, or null to go back to the default verification.
    #[napi(ts_args_type = "proc: ((request: string) => Promise<number>) | null")]
    pub fn set_certificate_verify_proc(
        &self,
        proc: Option<Function<String, Promise<i32>>>,
    ) -> Result<()> {
        let proc = match proc {
            Some(f) => Some(std::sync::Arc::new(JsVerifyProc::new(f)?)
                as std::sync::Arc<dyn crate::core::tls::VerifyProc>),
            None => None,
        };
        self.inner.net().set_certificate_verify_proc(proc);
        Ok(())
    }

    /// Registers (or replaces) webRequest listener `id` of `event` with its filter; a bad
    /// pattern throws Electron's TypeError message and registers nothing.
    #[napi]
    pub fn web_request_set(
        &self,
        event: String,
        id: u32,
        urls: Vec<String>,
        exclude_urls: Vec<String>,
        types: Vec<String>,
    ) -> Result<(), Code> {
        let event = WebRequestEvent::parse(&event).ok_or_else(|| {
            to_js(Error::InvalidArgument(format!(
                "Unknown webRequest event {event}"
            )))
        })?;
        let standard = crate::core::web_request::standard_schemes();
        let filter = RequestFilter::new(&urls, &exclude_urls, &types, &standard)
            .map_err(|m| to_js(Error::InvalidArgument(m)))?;
        let web_request = &self.inner.net().web_request;
        web_request.set_dispatcher(Arc::new(JsDispatcher));
        web_request.add(event, id, filter);
        Ok(())
    }

    /// Removes webRequest listener `id` of `event`.
    #[napi]
    pub fn web_request_remove(&self, event: String, id: u32) {
        if let Some(event) = WebRequestEvent::parse(&event) {
            self.inner.net().web_request.remove(event, id);
        }
    }

    /// Marks `scheme` as served (or no longer served) by this session's JS handlers.
    #[napi]
    pub fn protocol_set_handled(&self, scheme: String, handled: bool) {
        let protocols = &self.inner.net().protocols;
        protocols.set_handler(Arc::new(JsProtocolHandler {
            session_id: self.inner.id(),
        }));
        protocols.set_handled(&scheme, handled);
    }

    /// `protocol.registerSource(scheme, { routes })` (`routes` checked by the JS face), or
    /// `None` to stop serving `scheme` from directories.
    #[napi]
    pub fn protocol_set_source(
        &self,
        scheme: String,
        routes: Option<Vec<SourceRoute>>,
    ) -> Result<(), Code> {
        let source = routes
            .map(|routes| Source::new(routes.into_iter().map(SourceRoute::into_core).collect()))
            .transpose()
            .map_err(|e| napi::Error::new(Code("ERR_INVALID_ARG_VALUE"), e.0))?;
        self.inner.net().protocols.set_source(&scheme, source);
        Ok(())
    }

    /// `ses.setProxy(config)`: `Err` carries Electron's message and nothing is applied.
    #[napi]
    pub fn set_proxy(
        &self,
        mode: Option<String>,
        pac_script: String,
        proxy_rules: String,
        proxy_bypass_rules: String,
    ) -> Result<(), Code> {
        let config = ProxyConfig::from_electron(
            mode.as_deref(),
            &pac_script,
            &proxy_rules,
            &proxy_bypass_rules,
        )
        .map_err(|m| to_js(Error::InvalidArgument(m)))?;
        self.inner.net().set_proxy(config);
        Ok(())
    }

    /// `ses.resolveProxy(url)`: Chromium's PAC string (`PROXY h:p;DIRECT`). A PAC script
    /// that fails answers DIRECT, as in Chromium.
    #[napi]
    pub fn resolve_proxy<'env>(
        &self,
        env: &'env Env,
        url: String,
    ) -> Result<PromiseRaw<'env, String>> {
        let proxies = self.inner.net().proxies.clone();
        promise(env, async move {
            let url = url::Url::parse(&url)
                .map_err(|_| Error::InvalidArgument("Invalid URL".to_owned()))?;
            Ok(pac_string(&proxies.resolve(&url).await.0))
        })
    }

    /// Fetches and loads the PAC script the proxy mode names (`setProxy`); resolves with
    /// the warning to give when it could not be loaded, else null.
    #[napi]
    pub fn load_pac<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, Option<String>>> {
        let session = self.inner.clone();
        promise(env, async move { Ok(session.load_pac().await) })
    }

    /// `ses.forceReloadProxyConfig()`: system settings read again, the PAC script fetched
    /// and loaded again; resolves with the warning to give, else null.
    #[napi]
    pub fn reload_proxy_config<'env>(
        &self,
        env: &'env Env,
    ) -> Result<PromiseRaw<'env, Option<String>>> {
        let session = self.inner.clone();
        promise(env, async move { Ok(session.reload_proxy_config().await) })
    }
}

/// One route of `protocol.registerSource`, as the JS face hands it over.
#[napi(object)]
pub struct SourceRoute {
    /// `match.host`, lower case.
    pub host: Option<String>,
    /// `match.path` (`/` when absent).
    pub path: String,
    /// `source.root`, absolute.
    pub root: String,
    /// `source.index` (`index.html` when absent, `''` for none).
    pub index: String,
    /// `source.headers`, names and values alternating.
    pub headers: Vec<String>,
}

impl SourceRoute {
    fn into_core(self) -> Route {
        Route {
            host: self.host,
            path: self.path,
            root: std::path::PathBuf::from(self.root),
            index: self.index,
            headers: self
                .headers
                .chunks_exact(2)
                .map(|pair| (pair[0].clone(), pair[1].clone()))
                .collect(),
        }
    }
}
