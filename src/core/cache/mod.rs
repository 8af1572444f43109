//! A session's HTTP cache (Chromium's HttpCache as the reference): what a request may take
//! from it (`lookup`: fresh, or stale with the conditional headers to revalidate), what a 304
//! turns a stale entry into (`revalidated`), and what streams into it as the response
//! streams to the caller (`writer`). Only GET responses are kept, under their URL without
//! the fragment. The request stack calls it from its two cache stages.

pub mod disk;
mod disk_file;
pub mod entry;
pub mod headers;
mod http_date;
pub mod lru;
mod memo;
mod mode;
pub mod policy;
pub mod range;
pub mod store;
mod write;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use http_cache_semantics::{AfterResponse, BeforeRequest};
use url::Url;

use self::entry::EntryMeta;
use self::memo::MetaMemo;
pub use self::mode::CacheMode;
use self::store::{CacheStore, StoredBody};
pub use self::write::CacheWrite;
use crate::core::message::ResponseHead;

/// The default size limit (Chromium's default for a disk cache is a share of the disk;
/// this package picks a fixed 80 MiB, `disk-cache-size` changes it).
pub const DEFAULT_MAX_BYTES: u64 = 80 * 1024 * 1024;

static MAX_BYTES: AtomicU64 = AtomicU64::new(DEFAULT_MAX_BYTES);

/// `app.commandLine.appendSwitch('disk-cache-size', bytes)`: the limit of the caches of
/// sessions made from now on (as Chromium reads it at startup); a value that is not a
/// positive number of bytes restores the default.
pub fn set_max_bytes(switch_value: &str) {
    let bytes = switch_value
        .trim()
        .parse::<u64>()
        .ok()
        .filter(|b| *b > 0)
        .unwrap_or(DEFAULT_MAX_BYTES);
    MAX_BYTES.store(bytes, Ordering::Relaxed);
}

/// The limit for a session's cache made now.
pub fn max_bytes() -> u64 {
    MAX_BYTES.load(Ordering::Relaxed)
}

/// A response served from the cache.
pub struct Hit {
    /// The head (with `Age`).
    pub head: ResponseHead,
    /// The body as stored (decoded).
    pub body: StoredBody,
    /// Served stale within `stale-while-revalidate`: the caller revalidates it in the
    /// background (at most one such revalidation per URL runs at a time).
    pub revalidate_in_background: bool,
}

/// A stored response too old to serve without asking the server.
pub struct StaleEntry {
    key: String,
    meta: Arc<EntryMeta>,
    body: StoredBody,
}

/// What a request finds.
pub enum Lookup {
    /// Nothing usable: go to the network.
    Miss,
    /// A fresh response.
    Fresh(Hit),
    /// A stale response: send the request with `conditional` headers added; a 304 makes the
    /// entry usable again (`revalidated`).
    Stale {
        /// The entry.
        entry: Box<StaleEntry>,
        /// `If-None-Match` / `If-Modified-Since`.
        conditional: Vec<(String, String)>,
    },
}

/// The cache of one session; disabled ones (`{ cache: false }`) find and keep nothing.
#[derive(Clone)]
pub struct HttpCache {
    store: Option<Arc<dyn CacheStore>>,
    /// Entries' metadata already decoded.
    memo: MetaMemo,
    /// URLs whose `stale-while-revalidate` revalidation is under way.
    revalidating: Arc<Mutex<std::collections::HashSet<String>>>,
}

impl HttpCache {
    /// A cache over `store`.
    pub fn new(store: Arc<dyn CacheStore>) -> Self {
        Self {
            store: Some(store),
            memo: MetaMemo::default(),
            revalidating: Arc::default(),
        }
    }

    /// A cache that keeps nothing.
    pub fn disabled() -> Self {
        Self {
            store: None,
            memo: MetaMemo::default(),
            revalidating: Arc::default(),
        }
    }

    /// Whether the cache keeps anything.
    pub fn is_enabled(&self) -> bool {
        self.store.is_some()
    }

    fn key(url: &Url) -> std::borrow::Cow<'_, str> {
        match url.fragment() {
            None => url.as_str().into(),
            Some(_) => {
                let mut key = url.clone();
                key.set_fragment(None);
                String::from(key).into()
            }
        }
    }

    /// What a `method` request for `url` with `headers` (as they will go out) may take from
    /// the cache at `now`.
    pub async fn lookup(
        &self,
        method: &str,
        url: &Url,
        headers: &[(String, String)],
        mode: CacheMode,
        now: SystemTime,
    ) -> Lookup {
        let Some(store) = &self.store else {
            return Lookup::Miss;
        };
        // A HEAD may be answered by a fresh GET entry (Chromium reads the cache for it).
        let head_request = method == "HEAD";
        if !(method == "GET" || head_request)
            || matches!(mode, CacheMode::NoStore | CacheMode::Reload)
        {
            return Lookup::Miss;
        }
        let key = Self::key(url);
        let Some(stored) = store.get(&key).await else {
            return Lookup::Miss;
        };
        let key = key.into_owned();
        let Some(meta) = self.memo.decoded(&key, &stored.meta) else {
            // A corrupt entry is dropped and the network asked.
            store.remove(&key).await;
            return Lookup::Miss;
        };
        if mode == CacheMode::Default && policy::is_unusable_when_stale(&meta, headers, now) {
            // The common miss, answered without building the request the policy reads.
            return Lookup::Miss;
        }
        let mut request = policy::request_parts("GET", url, headers);
        if mode == CacheMode::NoCache {
            // Asking as a request with `no-cache` would: never fresh, validators added.
            request.headers.insert(
                http::header::CACHE_CONTROL,
                http::HeaderValue::from_static("no-cache"),
            );
        }
        let skip_validation = matches!(mode, CacheMode::ForceCache | CacheMode::OnlyIfCached)
            || (mode == CacheMode::Default
                && policy::is_permanent_redirect_without_expiry(&meta)
                && !policy::asks_revalidation(headers));
        let age = meta.policy.age(now).as_secs();
        let within_swr = mode == CacheMode::Default
            && !policy::asks_revalidation(headers)
            && policy::stale_while_revalidate_until(&meta).is_some_and(|until| age < until);
        match meta.policy.before_request(&request, now) {
            // A HEAD only takes what is fresh: its revalidation would re-key the entry.
            BeforeRequest::Stale { .. } if head_request => Lookup::Miss,
            BeforeRequest::Stale { matches: true, .. } if within_swr => {
                let first = self
                    .revalidating
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(key.clone());
                Lookup::Fresh(Hit {
                    head: meta.head(url, age),
                    body: stored.body,
                    revalidate_in_background: first,
                })
            }
            BeforeRequest::Stale { matches: true, .. } if skip_validation => Lookup::Fresh(Hit {
                head: meta.head(url, meta.policy.age(now).as_secs()),
                body: stored.body,
                revalidate_in_background: false,
            }),
            BeforeRequest::Fresh(_) => Lookup::Fresh(Hit {
                head: meta.head(url, meta.policy.age(now).as_secs()),
                body: stored.body,
                revalidate_in_background: false,
            }),
            BeforeRequest::Stale { request, matches } => {
                let validator = |name: &str| -> Option<String> {
                    if matches {
                        return Some(request.headers.get(name)?.to_str().ok()?.to_owned());
                    }
                    // Stored for other values of its Vary headers: Chromium still asks with
                    // the stored validators, and a 304 makes the entry this request's (RFC
                    // 9111 section 4.3.1 allows it).
                    let stored = match name {
                        "if-none-match" => "etag",
                        _ => "last-modified",
                    };
                    let varies_on_anything = meta
                        .headers
                        .iter()
                        .any(|(n, v)| n.eq_ignore_ascii_case("vary") && v.trim() == "*");
                    (!varies_on_anything && !head_request)
                        .then(|| {
                            meta.headers
                                .iter()
                                .find(|(n, _)| n.eq_ignore_ascii_case(stored))
                        })
                        .flatten()
                        .map(|(_, value)| value.clone())
                };
                let conditional: Vec<(String, String)> = ["if-none-match", "if-modified-since"]
                    .iter()
                    .filter(|name| !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)))
                    .filter_map(|name| Some((canonical_name(name).to_owned(), validator(name)?)))
                    .collect();
                if !matches && conditional.is_empty() {
                    return Lookup::Miss;
                }
                Lookup::Stale {
                    entry: Box::new(StaleEntry {
                        key,
                        meta,
                        body: stored.body,
                    }),
                    conditional,
                }
            }
        }
    }

    /// The server answered a revalidation with `head`: for a 304 that matches the entry, the
    /// stored response with its headers refreshed (and the entry updated); `None` otherwise.
    pub async fn revalidated(
        &self,
        entry: Box<StaleEntry>,
        method: &str,
        url: &Url,
        request_headers: &[(String, String)],
        head: &ResponseHead,
        now: SystemTime,
    ) -> Option<Hit> {
        let store = self.store.as_ref()?;
        // The request the refreshed policy keeps: what the stored or the new Vary names.
        let varies: Vec<(String, String)> = entry
            .meta
            .headers
            .iter()
            .chain(&head.headers)
            .cloned()
            .collect();
        let kept = headers::request_for_policy(request_headers, &varies);
        let request = policy::request_parts(method, url, &kept);
        let response = policy::not_modified_parts(head, &entry.meta, now);
        match entry.meta.policy.after_response(&request, &response, now) {
            AfterResponse::NotModified(policy, _) => {
                let meta = Arc::new(entry.meta.refreshed(policy, &head.headers));
                let encoded = meta.encode();
                store.update_meta(&entry.key, encoded.clone()).await;
                self.memo.remember(entry.key.clone(), encoded, meta.clone());
                Some(Hit {
                    head: meta.head(url, meta.policy.age(now).as_secs()),
                    body: entry.body,
                    revalidate_in_background: false,
                })
            }
            AfterResponse::Modified(..) => None,
        }
    }

    /// A writer keeping the response `head` (to a `method` request for `url` with
    /// `request_headers`) as its body streams, when the cache may keep it.
    pub fn writer(
        &self,
        method: &str,
        url: &Url,
        request_headers: &[(String, String)],
        head: &ResponseHead,
        now: SystemTime,
    ) -> Option<CacheWrite> {
        let store = self.store.as_ref()?;
        if method != "GET"
            || policy::says_no_store(&head.headers)
            || policy::says_no_store(request_headers)
        {
            return None;
        }
        let policy = policy::policy(method, url, request_headers, head, now);
        if !policy.is_storable() {
            return None;
        }
        let key = Self::key(url);
        let meta = Arc::new(EntryMeta::new(policy, head));
        Some(CacheWrite {
            writer: store.writer(&key),
            encoded: meta.encode(),
            meta,
            key: key.into_owned(),
            memo: self.memo.clone(),
            failed: false,
        })
    }

    /// Drops what is stored for `url` (an unsafe method changed it).
    pub async fn invalidate(&self, url: &Url) {
        if let Some(store) = &self.store {
            store.remove(&Self::key(url)).await;
        }
    }

    /// `ses.clearCache()`.
    pub async fn clear(&self) {
        if let Some(store) = &self.store {
            store.clear().await;
        }
        self.memo.clear();
    }

    /// Resolves once every response stored so far is durable.
    pub async fn flush(&self) {
        if let Some(store) = &self.store {
            store.flush().await;
        }
    }

    /// A background revalidation of `url` ended (another may start).
    pub fn revalidated_in_background(&self, url: &Url) {
        self.revalidating
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(Self::key(url).as_ref());
    }

    /// `clearData`'s cache part: the entries of `origins` (or of every origin but them when
    /// `exclude`) dropped.
    pub async fn clear_origins(&self, origins: Vec<url::Origin>, exclude: bool) {
        if let Some(store) = &self.store {
            let selected: store::KeyFilter = Box::new(move |key: &str| {
                let listed = Url::parse(key).is_ok_and(|u| origins.contains(&u.origin()));
                listed != exclude
            });
            store.remove_where(selected).await;
        }
    }

    /// `ses.getCacheSize()`: bytes used.
    pub async fn size(&self) -> u64 {
        match &self.store {
            Some(store) => store.size().await,
            None => 0,
        }
    }
}

fn canonical_name(lower: &str) -> &'static str {
    match lower {
        "if-none-match" => "If-None-Match",
        _ => "If-Modified-Since",
    }
}
