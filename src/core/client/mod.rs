//! The request stack: how one request becomes a response. Outermost first:
//!
//! 1. redirect (`redirect`): follows or stops at 3xx, re-entering every stage below for
//!    each hop;
//! 2. protocol handlers (`crate::core::protocol`): a scheme a handler serves, and `file:`,
//!    are answered without the transport (redirects from them re-enter the stack);
//! 3. webRequest hooks (`hooks`): onBeforeRequest, onBeforeSendHeaders/onSendHeaders,
//!    onHeadersReceived, onBeforeRedirect (then onBeforeRequest again for the new URL),
//!    onResponseStarted, onCompleted/onErrorOccurred;
//! 4. HTTP cache -- the cache issue slots in here;
//! 5. auth (`crate::core::auth`, `exchange::unauthorized`, `proxy_auth`): answers 401
//!    challenges from the URL, the session's cache, default credentials (allow-listed
//!    servers) or the caller, and 407s of HTTP proxies likewise with the proxy auth cache;
//! 6. cookies (`cookies`): attaches the session's cookies, stores `Set-Cookie`;
//! 7. default headers (`headers`): User-Agent, Accept-*, sec-fetch-*;
//! 8. content decoding (`decode`) on the way back;
//! 9. proxy route (`route`): the ways out the session's proxy settings give the URL, tried
//!    in order (failover), so each request knows the proxy it goes through;
//! 10. transport (`transport`): hyper-util's pooled clients, one per way out, over
//!     `crate::core::connect`.
//!
//! The order is code, one line per stage, in `exchange::stack` (`hop` down and back up,
//! `network` for http and https); that is where a new stage (the HTTP cache's two slots are
//! there, empty) goes. `Exchange` keeps a request's state across hops; `NetContext` holds
//! what a session's requests share (pools, resolver, TLS, auth cache, user agent).

pub mod cookies;
pub mod decode;
pub mod exchange;
pub mod fetch_site;
pub mod headers;
pub mod hooks;
pub mod outcome;
pub mod pac_fetch;
pub mod prefetch;
pub mod priority;
pub mod proxy_auth;
pub mod redirect;
pub mod request;
pub mod response;
pub mod route;
pub mod transport;
pub mod upload_progress;
pub mod wire;

use std::sync::{Arc, RwLock};

use tokio_util::sync::CancellationToken;

use self::priority::Http1Origins;
use self::transport::Pools;
use crate::core::auth::ambient::AllowList;
use crate::core::auth::AuthCache;
use crate::core::cache::store::MemoryCacheStore;
use crate::core::cache::{HttpCache, DEFAULT_MAX_BYTES};
use crate::core::connect::dns::HostResolver;
use crate::core::connect::Connector;
use crate::core::emulation::Emulation;
use crate::core::identity::{Identity, SessionIdentity};
use crate::core::protocol::Protocols;
use crate::core::proxy::{ProxyConfig, ProxyService};
use crate::core::tls::{TlsContext, VerifyProc};
use crate::core::web_request::WebRequest;

pub use exchange::Exchange;
pub use outcome::{Delivered, Step};
pub use request::{RedirectMode, RequestBody, RequestSpec};
pub use response::{ResponseBody, ResponseHead};

/// What a session's requests share.
pub struct NetContext {
    /// DNS with the session's cache.
    pub resolver: Arc<HostResolver>,
    /// TLS settings and verify proc.
    pub tls: Arc<TlsContext>,
    /// Remembered HTTP credentials.
    pub auth: AuthCache,
    /// Servers that may be sent default credentials (`allowNTLMCredentialsForDomains`).
    pub auth_allowlist: AllowList,
    /// Proxy settings and bad-proxy memory.
    pub proxies: Arc<ProxyService>,
    /// Protocol handlers of the session.
    pub protocols: Protocols,
    /// webRequest listeners and their bridge to JS.
    pub web_request: WebRequest,
    /// https origins seen answering over HTTP/1.x (no `priority` header for them).
    pub http1_origins: Http1Origins,
    /// The HTTP cache.
    pub cache: HttpCache,
    /// Network emulation (`enableNetworkEmulation`), below the cache.
    pub emulation: Arc<Emulation>,
    /// User agent and Accept-Language.
    identity: Arc<SessionIdentity>,
    pools: RwLock<Arc<Pools>>,
    epoch: RwLock<CancellationToken>,
}

impl Default for NetContext {
    fn default() -> Self {
        let resolver = Arc::new(HostResolver::default());
        let tls = Arc::new(TlsContext::default());
        let proxies = Arc::new(ProxyService::default());
        let identity = Arc::new(SessionIdentity::default());
        let emulation = Arc::new(Emulation::default());
        let pools = Pools::new(Connector::new(
            resolver.clone(),
            tls.clone(),
            proxies.clone(),
            identity.clone(),
            emulation.clone(),
        ));
        Self {
            resolver,
            tls,
            auth: AuthCache::default(),
            auth_allowlist: AllowList::default(),
            web_request: WebRequest::default(),
            http1_origins: Http1Origins::default(),
            cache: HttpCache::new(Arc::new(MemoryCacheStore::new(DEFAULT_MAX_BYTES))),
            protocols: Protocols::default(),
            proxies,
            identity,
            emulation,
            pools: RwLock::new(Arc::new(pools)),
            epoch: RwLock::default(),
        }
    }
}

impl NetContext {
    /// The context with `cache` as its HTTP cache.
    pub fn with_cache(cache: HttpCache) -> Self {
        Self {
            cache,
            ..Self::default()
        }
    }

    /// The user agent and Accept-Language in force (shared: a request copies no string).
    pub fn identity(&self) -> Arc<Identity> {
        self.identity.get()
    }

    /// `ses.setUserAgent(ua[, acceptLanguages])`, for requests and proxy CONNECTs alike.
    pub fn set_user_agent(&self, user_agent: String, accept_languages: Option<&str>) {
        self.identity.set_user_agent(user_agent, accept_languages);
    }

    /// The pools requests go through now.
    pub fn pools(&self) -> Arc<Pools> {
        self.pools.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Cancelled when `close_all_connections` ends the connections of the moment: requests
    /// and bodies in flight watch it.
    pub fn epoch(&self) -> CancellationToken {
        self.epoch.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Starts new, empty pools: idle connections close as the old ones are dropped, and
    /// no request after this reuses a connection made before it (requests in flight
    /// finish on theirs).
    fn renew_pools(&self) {
        let fresh = Pools::new(Connector::new(
            self.resolver.clone(),
            self.tls.clone(),
            self.proxies.clone(),
            self.identity.clone(),
            self.emulation.clone(),
        ));
        *self.pools.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(fresh);
    }

    /// Applies a proxy configuration: new requests use it at once, and connections made
    /// through the old route are not reused.
    pub fn set_proxy(&self, config: ProxyConfig) {
        self.proxies.set(config);
        self.renew_pools();
    }

    /// `ses.setCertificateVerifyProc(proc)`: the proc's earlier decisions are forgotten and
    /// pooled connections are not reused, so every later request is verified under the new
    /// proc (Electron keeps connections its old proc accepted: electron#41448).
    pub fn set_certificate_verify_proc(&self, proc: Option<Arc<dyn VerifyProc>>) {
        self.tls.proc.set(proc);
        self.renew_pools();
    }

    /// `forceReloadProxyConfig()`'s first half: in mode system, the system's settings are
    /// read again and applied (the PAC script is the caller's second half).
    pub fn reload_system_proxy(&self) {
        if self.proxies.config().from_system {
            self.set_proxy(ProxyConfig::system());
        }
    }

    /// `ses.closeAllConnections()`: new, empty pools, and every request in flight fails
    /// with `net::ERR_ABORTED`, as Electron documents.
    pub fn close_all_connections(&self) {
        self.renew_pools();
        let old = std::mem::take(&mut *self.epoch.write().unwrap_or_else(|p| p.into_inner()));
        old.cancel();
    }
}
