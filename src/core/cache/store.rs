//! Where cached responses live: the `CacheStore` trait the HTTP cache talks to, and the
//! in-memory store with a size limit and least-recently-used eviction (`disk` has the
//! other). The trait is asynchronous and hands out no pointer into the store, so that a
//! shared or remote store can stand behind it too.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use bytes::{Bytes, BytesMut};
use tokio::io::{AsyncRead, AsyncReadExt};

use super::lru::LruIndex;

/// A future a store returns.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Picks entries by key (their URL).
pub type KeyFilter = Box<dyn Fn(&str) -> bool + Send + Sync>;

/// One stored response: its metadata (policy, head; opaque to the store) and its body.
pub struct StoredResponse {
    /// The entry's metadata, as the cache encoded it.
    pub meta: Bytes,
    /// The body.
    pub body: StoredBody,
}

/// A stored body: in memory when small, else read from the store as the caller reads it
/// (so that a large entry never sits in memory whole).
pub enum StoredBody {
    /// The whole body.
    Bytes(Bytes),
    /// A reader of exactly the body's bytes (their count beside it), already checked
    /// against the entry's hash.
    Reader(Pin<Box<dyn AsyncRead + Send + Sync>>, u64),
}

impl StoredBody {
    /// The whole body read into memory (tests, and small bodies).
    pub async fn into_bytes(self) -> std::io::Result<Bytes> {
        match self {
            Self::Bytes(bytes) => Ok(bytes),
            Self::Reader(mut reader, _) => {
                let mut body = Vec::new();
                reader.read_to_end(&mut body).await?;
                Ok(body.into())
            }
        }
    }
}

impl StoredBody {
    /// The body's length in bytes.
    pub fn len(&self) -> u64 {
        match self {
            Self::Bytes(bytes) => bytes.len() as u64,
            Self::Reader(_, len) => *len,
        }
    }

    /// Whether the body is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes `first..=last` of the body (within it).
    pub async fn slice(self, first: u64, last: u64) -> std::io::Result<Self> {
        match self {
            Self::Bytes(bytes) => Ok(Self::Bytes(bytes.slice(first as usize..=last as usize))),
            Self::Reader(mut reader, _) => {
                tokio::io::copy(&mut (&mut reader).take(first), &mut tokio::io::sink()).await?;
                let len = last + 1 - first;
                Ok(Self::Reader(Box::pin(reader.take(len)), len))
            }
        }
    }
}

impl std::fmt::Debug for StoredBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Bytes(bytes) => f.debug_tuple("Bytes").field(&bytes.len()).finish(),
            Self::Reader(_, len) => f.debug_tuple("Reader").field(len).finish(),
        }
    }
}

/// A body on its way into the store, written piece by piece as it streams to the caller.
/// Neither call makes the caller's read wait for the store: a piece is handed over at once
/// (a disk store writes it from a task of its own), and a commit takes effect even if its
/// future is dropped.
pub trait EntryWriter: Send {
    /// Adds a piece; `false` when the entry cannot be kept (too large, or the store failed),
    /// after which the writer is dropped.
    fn write(&mut self, piece: &Bytes) -> bool;
    /// Keeps the entry with `meta`; lookups made after the returned future resolves find
    /// it. Dropping a writer without committing leaves nothing behind.
    fn commit(self: Box<Self>, meta: Bytes) -> StoreFuture<'static, ()>;
}

/// A cache's storage.
pub trait CacheStore: Send + Sync {
    /// The entry stored under `key`, marking it recently used.
    fn get(&self, key: &str) -> StoreFuture<'_, Option<StoredResponse>>;
    /// A writer for a new entry under `key` (it replaces the old one on commit).
    fn writer(&self, key: &str) -> Box<dyn EntryWriter>;
    /// Replaces the metadata of the entry under `key` (a 304 refreshed it).
    fn update_meta(&self, key: &str, meta: Bytes) -> StoreFuture<'_, ()>;
    /// Removes the entry under `key`.
    fn remove(&self, key: &str) -> StoreFuture<'_, ()>;
    /// Removes every entry.
    fn clear(&self) -> StoreFuture<'_, ()>;
    /// Removes the entries whose key `selected` picks.
    fn remove_where(&self, selected: KeyFilter) -> StoreFuture<'_, ()>;
    /// Bytes used by the entries (metadata and bodies).
    fn size(&self) -> StoreFuture<'_, u64>;
    /// Resolves once every entry committed so far is durable (survives a crash).
    fn flush(&self) -> StoreFuture<'_, ()>;
}

/// An entry of the memory store.
#[derive(Clone)]
struct MemoryEntry {
    meta: Bytes,
    body: Bytes,
}

/// The memory store's entries and their index.
#[derive(Default)]
struct Entries {
    index: LruIndex,
    stored: HashMap<String, MemoryEntry>,
}

impl Entries {
    fn weight(entry: &MemoryEntry, key: &str) -> u64 {
        (entry.meta.len() + entry.body.len() + key.len()) as u64
    }

    fn insert(&mut self, key: String, entry: MemoryEntry, limit: u64) {
        let weight = Self::weight(&entry, &key);
        self.take(&key);
        if weight > limit {
            return;
        }
        for evicted in self.index.insert(key.clone(), weight, limit) {
            self.stored.remove(&evicted);
        }
        self.stored.insert(key, entry);
    }

    fn take(&mut self, key: &str) -> Option<MemoryEntry> {
        self.index.remove(key);
        self.stored.remove(key)
    }
}

/// The largest body a store of `limit` bytes keeps: an eighth, as Chromium's disk caches
/// bound an entry, so that one response cannot push out everything else.
pub fn max_entry(limit: u64) -> u64 {
    limit / 8
}

/// Entries in memory (in-memory partitions), at most `limit` bytes.
#[derive(Clone)]
pub struct MemoryCacheStore {
    entries: Arc<Mutex<Entries>>,
    limit: u64,
}

impl MemoryCacheStore {
    /// An empty store holding at most `limit` bytes.
    pub fn new(limit: u64) -> Self {
        Self {
            entries: Arc::default(),
            limit,
        }
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }
}

struct MemoryWriter {
    store: MemoryCacheStore,
    key: String,
    body: BytesMut,
    too_large: bool,
}

impl EntryWriter for MemoryWriter {
    fn write(&mut self, piece: &Bytes) -> bool {
        let fits = !self.too_large
            && (self.body.len() + piece.len()) as u64 <= max_entry(self.store.limit);
        if fits {
            self.body.extend_from_slice(piece);
        } else {
            self.too_large = true;
            self.body = BytesMut::new();
        }
        fits
    }

    fn commit(self: Box<Self>, meta: Bytes) -> StoreFuture<'static, ()> {
        if !self.too_large {
            let entry = MemoryEntry {
                meta,
                body: self.body.freeze(),
            };
            let limit = self.store.limit;
            self.store.entries().insert(self.key, entry, limit);
        }
        Box::pin(async {})
    }
}

impl CacheStore for MemoryCacheStore {
    fn get(&self, key: &str) -> StoreFuture<'_, Option<StoredResponse>> {
        let mut entries = self.entries();
        entries.index.touch(key);
        let found = entries.stored.get(key).map(|entry| StoredResponse {
            meta: entry.meta.clone(),
            body: StoredBody::Bytes(entry.body.clone()),
        });
        Box::pin(async move { found })
    }

    fn writer(&self, key: &str) -> Box<dyn EntryWriter> {
        Box::new(MemoryWriter {
            store: self.clone(),
            key: key.to_owned(),
            body: BytesMut::new(),
            too_large: false,
        })
    }

    fn update_meta(&self, key: &str, meta: Bytes) -> StoreFuture<'_, ()> {
        let mut entries = self.entries();
        if let Some(old) = entries.take(key) {
            let limit = self.limit;
            entries.insert(key.to_owned(), MemoryEntry { meta, ..old }, limit);
        }
        Box::pin(async {})
    }

    fn remove(&self, key: &str) -> StoreFuture<'_, ()> {
        self.entries().take(key);
        Box::pin(async {})
    }

    fn clear(&self) -> StoreFuture<'_, ()> {
        *self.entries() = Entries::default();
        Box::pin(async {})
    }

    fn remove_where(&self, selected: KeyFilter) -> StoreFuture<'_, ()> {
        let mut entries = self.entries();
        let doomed: Vec<String> = entries
            .index
            .keys()
            .filter(|k| selected(k))
            .cloned()
            .collect();
        for key in doomed {
            entries.take(&key);
        }
        Box::pin(async {})
    }

    fn size(&self) -> StoreFuture<'_, u64> {
        let bytes = self.entries().index.bytes();
        Box::pin(async move { bytes })
    }

    fn flush(&self) -> StoreFuture<'_, ()> {
        Box::pin(async {})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn put(store: &MemoryCacheStore, key: &str, body: usize) {
        let mut writer = store.writer(key);
        assert!(writer.write(&Bytes::from(vec![0u8; body])));
        writer.commit(Bytes::from_static(b"m")).await;
    }

    #[tokio::test]
    async fn evicts_the_least_recently_used_to_fit() {
        // 240 bytes hold eight entries of 30 (28 of body, a byte of key and of meta); an
        // entry's body may take an eighth of the limit.
        let store = MemoryCacheStore::new(240);
        for key in ["a", "b", "c", "d", "e", "f", "g", "h"] {
            put(&store, key, 28).await;
        }
        assert_eq!(store.size().await, 240);
        assert!(store.get("a").await.is_some());
        put(&store, "i", 28).await;
        assert!(store.get("b").await.is_none());
        assert!(store.get("a").await.is_some());
        assert_eq!(store.size().await, 240);
        let mut big = store.writer("big");
        assert!(!big.write(&Bytes::from(vec![0u8; 31])));
        big.commit(Bytes::new()).await;
        assert!(store.get("big").await.is_none());
        store.clear().await;
        assert_eq!(store.size().await, 0);
    }
}
