//! The cache store of persistent partitions: one file per entry under `<partition>/Cache`,
//! named by a hash of the key. A body streams into a temporary file from a task of its own
//! (the caller's reads never wait on the disk); the entry becomes visible by a rename once
//! the file, with the metadata and a SHA-256 of all of it at the end, is synced. So a
//! process killed mid-write leaves only a temporary file (removed at the next open), never
//! a truncated entry, and an entry whose hash does not match (a damaged disk) is dropped and
//! refetched, never an error. The index (sizes, recency) lives in memory, rebuilt from the
//! directory at first use; the least recently used entries go first when the limit is hit.
//! The files themselves are `disk_file`'s.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use tokio::io::AsyncReadExt;
use tokio::sync::{mpsc, watch, OnceCell};

use super::disk_file::{file_name, read_entry, read_key, scan, Found, TempEntry};
use super::lru::LruIndex;
use super::store::{
    max_entry, CacheStore, EntryWriter, KeyFilter, StoreFuture, StoredBody, StoredResponse,
};

/// How far a body may run ahead of the disk while it is written: beyond it the entry is
/// given up rather than buffered in memory (the caller's reads never wait for the disk).
const WRITE_BACKLOG_MAX: u64 = 16 << 20;

struct Inner {
    dir: PathBuf,
    limit: u64,
    index: OnceCell<Mutex<LruIndex>>,
    /// Commits under way, by file name: lookups wait for them.
    pending: Mutex<HashMap<String, watch::Receiver<bool>>>,
}

/// Entries on disk under one directory, at most `limit` bytes.
#[derive(Clone)]
pub struct DiskCacheStore(Arc<Inner>);

impl DiskCacheStore {
    /// A store in `dir` (created when needed) holding at most `limit` bytes.
    pub fn new(dir: PathBuf, limit: u64) -> Self {
        Self(Arc::new(Inner {
            dir,
            limit,
            index: OnceCell::new(),
            pending: Mutex::default(),
        }))
    }

    /// The index, read from the directory at first use (temporary files left by a killed
    /// process are removed then).
    async fn index(&self) -> &Mutex<LruIndex> {
        let dir = self.0.dir.clone();
        self.0
            .index
            .get_or_init(|| async move {
                let scan = tokio::task::spawn_blocking(move || scan(&dir)).await;
                Mutex::new(scan.unwrap_or_default())
            })
            .await
    }

    async fn wait_for_commit(&self, name: &str) {
        let pending = self
            .0
            .pending
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(name)
            .cloned();
        if let Some(mut done) = pending {
            let _ = done.wait_for(|d| *d).await;
        }
    }

    /// Waits for every commit under way (size and clear count what callers finished).
    async fn wait_for_all_commits(&self) {
        let pending: Vec<watch::Receiver<bool>> = self
            .0
            .pending
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .values()
            .cloned()
            .collect();
        for mut done in pending {
            let _ = done.wait_for(|d| *d).await;
        }
    }

    async fn forget(&self, name: &str) {
        self.index()
            .await
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(name);
        let _ = tokio::fs::remove_file(self.0.dir.join(name)).await;
    }

    /// Writes an entry file for `key` through a temporary file and a rename.
    async fn write_file(
        &self,
        name: &str,
        key: &str,
        body: StoredBody,
        meta: &[u8],
    ) -> std::io::Result<()> {
        let mut writer = TempEntry::create(&self.0.dir, name, key).await?;
        match body {
            StoredBody::Bytes(body) => writer.write(&body).await?,
            StoredBody::Reader(mut reader, _) => {
                let mut chunk = vec![0u8; 1 << 20];
                loop {
                    let n = reader.read(&mut chunk).await?;
                    if n == 0 {
                        break;
                    }
                    writer.write(&chunk[..n]).await?;
                }
            }
        }
        writer.finish(meta).await?;
        self.committed(name, writer.size).await;
        Ok(())
    }

    async fn committed(&self, name: &str, size: u64) {
        let evicted = self
            .index()
            .await
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(name.to_owned(), size, self.0.limit);
        for old in evicted {
            let _ = tokio::fs::remove_file(self.0.dir.join(old)).await;
        }
    }
}

enum Message {
    Piece(Bytes),
    Commit(Bytes, watch::Sender<bool>),
}

/// A body streaming to disk from a task of its own.
struct DiskWriter {
    store: DiskCacheStore,
    name: String,
    tx: Option<mpsc::UnboundedSender<Message>>,
    written: u64,
    /// Bytes handed over and not yet written.
    backlog: Arc<AtomicU64>,
}

impl DiskWriter {
    fn new(store: DiskCacheStore, key: &str) -> Self {
        let name = file_name(key);
        let (tx, mut rx) = mpsc::unbounded_channel::<Message>();
        let backlog = Arc::new(AtomicU64::new(0));
        let task_backlog = backlog.clone();
        let task_store = store.clone();
        let task_name = name.clone();
        let key = key.to_owned();
        tokio::spawn(async move {
            let Ok(mut entry) = TempEntry::create(&task_store.0.dir, &task_name, &key).await else {
                return;
            };
            while let Some(message) = rx.recv().await {
                match message {
                    Message::Piece(piece) => {
                        if entry.write(&piece).await.is_err() {
                            return;
                        }
                        task_backlog.fetch_sub(piece.len() as u64, Ordering::Relaxed);
                    }
                    Message::Commit(meta, done) => {
                        if entry.finish(&meta).await.is_ok() {
                            task_store.committed(&task_name, entry.size).await;
                        }
                        let _ = done.send(true);
                        task_store
                            .0
                            .pending
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .remove(&task_name);
                        return;
                    }
                }
            }
        });
        Self {
            store,
            name,
            tx: Some(tx),
            written: 0,
            backlog,
        }
    }
}

impl EntryWriter for DiskWriter {
    fn write(&mut self, piece: &Bytes) -> bool {
        self.written += piece.len() as u64;
        let size = piece.len() as u64;
        let fits = self.written <= max_entry(self.store.0.limit)
            && self.backlog.fetch_add(size, Ordering::Relaxed) + size <= WRITE_BACKLOG_MAX;
        let sent = fits
            && self
                .tx
                .as_ref()
                .is_some_and(|tx| tx.send(Message::Piece(piece.clone())).is_ok());
        if !sent {
            self.tx = None;
        }
        sent
    }

    fn commit(mut self: Box<Self>, meta: Bytes) -> StoreFuture<'static, ()> {
        let Some(tx) = self.tx.take() else {
            return Box::pin(async {});
        };
        let (done_tx, mut done_rx) = watch::channel(false);
        self.store
            .0
            .pending
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(self.name.clone(), done_rx.clone());
        let _ = tx.send(Message::Commit(meta, done_tx));
        Box::pin(async move {
            let _ = done_rx.wait_for(|d| *d).await;
        })
    }
}

impl CacheStore for DiskCacheStore {
    fn get(&self, key: &str) -> StoreFuture<'_, Option<StoredResponse>> {
        let name = file_name(key);
        let key = key.to_owned();
        Box::pin(async move {
            self.wait_for_commit(&name).await;
            let known = self
                .index()
                .await
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .touch(&name);
            if !known {
                return None;
            }
            let path = self.0.dir.join(&name);
            let found = tokio::task::spawn_blocking(move || read_entry(&path, &key)).await;
            match found.unwrap_or(Found::Missing) {
                Found::Whole(body, meta) => Some(StoredResponse {
                    meta,
                    body: StoredBody::Bytes(body),
                }),
                Found::Large(file, body_len, meta) => Some(StoredResponse {
                    meta,
                    body: StoredBody::Reader(
                        Box::pin(tokio::fs::File::from_std(file).take(body_len)),
                        body_len,
                    ),
                }),
                Found::OtherKey | Found::Missing => None,
                Found::Damaged => {
                    // Dropped, and the network asked.
                    self.forget(&name).await;
                    None
                }
            }
        })
    }

    fn writer(&self, key: &str) -> Box<dyn EntryWriter> {
        Box::new(DiskWriter::new(self.clone(), key))
    }

    fn update_meta(&self, key: &str, meta: Bytes) -> StoreFuture<'_, ()> {
        let key = key.to_owned();
        Box::pin(async move {
            let Some(stored) = self.get(&key).await else {
                return;
            };
            let name = file_name(&key);
            if self
                .write_file(&name, &key, stored.body, &meta)
                .await
                .is_err()
            {
                self.forget(&name).await;
            }
        })
    }

    fn remove(&self, key: &str) -> StoreFuture<'_, ()> {
        let name = file_name(key);
        Box::pin(async move {
            self.wait_for_commit(&name).await;
            self.forget(&name).await;
        })
    }

    fn clear(&self) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            self.wait_for_all_commits().await;
            let names: Vec<String> = {
                let index = self.index().await;
                let mut index = index.lock().unwrap_or_else(|p| p.into_inner());
                index.clear()
            };
            for name in names {
                let _ = tokio::fs::remove_file(self.0.dir.join(name)).await;
            }
        })
    }

    fn remove_where(&self, selected: KeyFilter) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            self.wait_for_all_commits().await;
            let names: Vec<String> = {
                let index = self.index().await;
                let index = index.lock().unwrap_or_else(|p| p.into_inner());
                index.keys().cloned().collect()
            };
            // The index knows files, not keys: each entry's key is read from its header.
            for name in names {
                let key = read_key(&self.0.dir.join(&name)).await;
                if key.as_deref().is_none_or(&selected) {
                    self.forget(&name).await;
                }
            }
        })
    }

    fn flush(&self) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            // Each entry file is synced before its rename; the directory, which holds the
            // renames, is synced here.
            self.wait_for_all_commits().await;
            let dir = self.0.dir.clone();
            let _ = tokio::task::spawn_blocking(move || {
                std::fs::File::open(dir).and_then(|d| d.sync_all())
            })
            .await;
        })
    }

    fn size(&self) -> StoreFuture<'_, u64> {
        Box::pin(async move {
            self.wait_for_all_commits().await;
            self.index()
                .await
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .bytes()
        })
    }
}

#[cfg(test)]
#[path = "disk_tests.rs"]
mod tests;
