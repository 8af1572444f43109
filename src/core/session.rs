//! One session (Electron's BrowserContext): its partition, where it keeps its data, and the
//! parts built on that storage, opened lazily on first use.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use crate::core::cache::disk::DiskCacheStore;
use crate::core::cache::store::MemoryCacheStore;
use crate::core::cache::{max_bytes, HttpCache};
use crate::core::client::pac_fetch::StackFetcher;
use crate::core::client::NetContext;
use crate::core::cookies::domain::jar_key;
use crate::core::cookies::{persist, ChangeSink, CookieJar, JarSource};
use crate::core::store::{KvStore, MemoryStore, SledStore};
use crate::core::Result;

/// Options given when a session is first created (later calls for the same partition keep
/// the first options, as Electron does).
#[derive(Debug, Clone, Copy, Default)]
pub struct SessionOptions {
    /// Keep session cookies across restarts (Electron never does; off by default).
    pub persist_session_cookies: bool,
    /// `{ cache: false }`: no HTTP cache at all.
    pub cache_disabled: bool,
}

/// A session: partition, storage and cookie jar.
pub struct Session {
    id: u32,
    partition: String,
    storage_path: Option<PathBuf>,
    options: SessionOptions,
    cookie_sink: Arc<ChangeSink>,
    net: OnceLock<Arc<NetContext>>,
    opened: OnceLock<Opened>,
    opening: Mutex<()>,
    /// An attempt to open storage failed (writes since may have been refused).
    open_failed: AtomicBool,
}

/// The parts that exist once storage is open.
struct Opened {
    store: Arc<dyn KvStore>,
    cookies: Arc<CookieJar>,
}

static NEXT_ID: AtomicU32 = AtomicU32::new(1);

impl Session {
    /// A session; `storage_path` is `None` for an in-memory one. Nothing is opened yet.
    pub fn new(partition: String, storage_path: Option<PathBuf>, options: SessionOptions) -> Self {
        Self {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            partition,
            storage_path,
            options,
            cookie_sink: Arc::default(),
            net: OnceLock::new(),
            opened: OnceLock::new(),
            opening: Mutex::new(()),
            open_failed: AtomicBool::new(false),
        }
    }

    /// A process-unique id, so that the JS face can keep one object per session.
    pub fn id(&self) -> u32 {
        self.id
    }

    /// The partition string it was created with (`''`, `persist:name`, `name`), or the path
    /// for sessions made with `fromPath`.
    pub fn partition(&self) -> &str {
        &self.partition
    }

    /// Where its data lives on disk, or `None` in memory.
    pub fn storage_path(&self) -> Option<&Path> {
        self.storage_path.as_deref()
    }

    /// True when its data outlives the process.
    pub fn is_persistent(&self) -> bool {
        self.storage_path.is_some()
    }

    /// Where cookie changes are reported; usable before storage opens.
    pub fn cookie_sink(&self) -> &Arc<ChangeSink> {
        &self.cookie_sink
    }

    /// The network parts (pool, resolver, TLS, auth cache), made on first use.
    pub fn net(&self) -> &Arc<NetContext> {
        self.net.get_or_init(|| {
            // The HTTP cache: none with `{ cache: false }`, on disk under a persistent
            // partition's directory, else in memory.
            let cache = match (&self.storage_path, self.options.cache_disabled) {
                (_, true) => HttpCache::disabled(),
                (Some(dir), false) => HttpCache::new(Arc::new(DiskCacheStore::new(
                    dir.join("Cache"),
                    max_bytes(),
                ))),
                (None, false) => HttpCache::new(Arc::new(MemoryCacheStore::new(max_bytes()))),
            };
            Arc::new(NetContext::with_cache(cache))
        })
    }

    /// Fetches and loads the PAC script the proxy mode names, through this session's own
    /// request stack; the warning to give when it could not be loaded.
    pub async fn load_pac(self: &Arc<Self>) -> Option<String> {
        let fetcher = StackFetcher::new(self.clone(), self.net().clone());
        self.net().proxies.load_pac(&fetcher).await
    }

    /// `ses.forceReloadProxyConfig()`: the system's settings read again (mode system), then
    /// the PAC script fetched and loaded again.
    pub async fn reload_proxy_config(self: &Arc<Self>) -> Option<String> {
        self.net().reload_system_proxy();
        self.load_pac().await
    }

    /// Electron's `clearData`/`clearStorageData` for what this package keeps: cookies (at
    /// the registrable-domain level of `origins`) and the HTTP cache (by origin). `origins`
    /// `None` is every origin; `exclude` turns the list into the ones kept.
    pub async fn clear_data(
        self: &Arc<Self>,
        cookies: bool,
        cache: bool,
        origins: Option<Vec<url::Origin>>,
        exclude: bool,
    ) -> Result<()> {
        if cookies {
            let session = self.clone();
            let sites: Option<Vec<String>> = origins.as_ref().map(|list| {
                list.iter()
                    .filter_map(|o| match o {
                        url::Origin::Tuple(_, host, _) => {
                            Some(jar_key(&host.to_string()).to_owned())
                        }
                        url::Origin::Opaque(_) => None,
                    })
                    .collect()
            });
            tokio::task::spawn_blocking(move || {
                let jar = session.cookies()?;
                jar.remove_sites(|site| match &sites {
                    None => true,
                    Some(sites) => sites.iter().any(|s| s == site) != exclude,
                })
                .map(|_| ())
            })
            .await
            .map_err(|e| crate::core::Error::Storage(e.to_string()))??;
        }
        if cache {
            match origins {
                None => self.net().cache.clear().await,
                Some(origins) => self.net().cache.clear_origins(origins, exclude).await,
            }
        }
        Ok(())
    }

    /// True once storage has been opened.
    pub fn is_open(&self) -> bool {
        self.opened.get().is_some()
    }

    /// Opens storage if it is not open yet. May block on disk: call it off the JS thread.
    /// A failure (the partition locked by another process, say) leaves nothing half-open,
    /// and a later call tries again.
    pub fn open(&self) -> Result<()> {
        self.opened().map(|_| ())
    }

    fn opened(&self) -> Result<&Opened> {
        if let Some(opened) = self.opened.get() {
            return Ok(opened);
        }
        let _guard = self.opening.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(opened) = self.opened.get() {
            return Ok(opened);
        }
        let opened = self.open_storage().inspect_err(|_| {
            self.open_failed.store(true, Ordering::Relaxed);
        })?;
        self.open_failed.store(false, Ordering::Relaxed);
        Ok(self.opened.get_or_init(|| opened))
    }

    fn open_storage(&self) -> Result<Opened> {
        Ok(match &self.storage_path {
            None => Opened {
                store: Arc::new(MemoryStore::new()),
                cookies: Arc::new(CookieJar::in_memory(self.cookie_sink.clone())),
            },
            Some(path) => {
                let store: Arc<dyn KvStore> = Arc::new(SledStore::open(path, &self.partition)?);
                let tree = store.tree(persist::TREE)?;
                let jar = CookieJar::open(
                    tree,
                    self.options.persist_session_cookies,
                    self.cookie_sink.clone(),
                )?;
                Opened {
                    store,
                    cookies: Arc::new(jar),
                }
            }
        })
    }

    /// The cookie jar, opening storage first if needed.
    pub fn cookies(&self) -> Result<Arc<CookieJar>> {
        Ok(self.opened()?.cookies.clone())
    }

    /// Makes every response this session's HTTP cache stored so far durable (nothing to do
    /// before its first request).
    pub async fn flush_cache(&self) {
        if let Some(net) = self.net.get() {
            net.cache.flush().await;
        }
    }

    /// Makes every change so far durable. A session never opened has nothing to flush; one
    /// whose storage failed to open tries again, and fails if it still cannot, so a flush
    /// never reports success for writes that were refused.
    pub fn flush_storage(&self) -> Result<()> {
        match self.opened.get() {
            Some(opened) => opened.store.flush(),
            None if self.open_failed.load(Ordering::Relaxed) => self.opened()?.store.flush(),
            None => Ok(()),
        }
    }
}

impl JarSource for Session {
    fn is_open(&self) -> bool {
        Session::is_open(self)
    }

    fn jar(&self) -> Result<Arc<CookieJar>> {
        self.cookies()
    }
}
