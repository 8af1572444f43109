//! The cache store of persistent partitions: one file per entry under `<partition>/Cache`,
//! named by a hash of the key. A body streams into a temporary file from a task of its own
//! (the caller's reads never wait on the disk); the entry becomes visible by a rename once
//! the file, with the metadata and a SHA-256 of all of it at the end, is synced. So a
//! process killed mid-write leaves only a temporary file (removed at the next open), never
//! a truncated entry, and an entry whose hash does not match (a damaged disk) is dropped and
//! refetched, never an error. The index (sizes, recency) lives in memory, rebuilt from the
//! directory at first use; the least recently used entries go first when the limit is hit.
//!
//! File layout: `HSC1`, key length (u32 LE), key, body, metadata, metadata length (u32 LE),
//! body length (u64 LE), SHA-256 of everything before it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;
use tokio::sync::{mpsc, watch, OnceCell};

use super::lru::LruIndex;
use super::store::{max_entry, CacheStore, EntryWriter, KeyFilter, StoreFuture, StoredResponse};

const MAGIC: &[u8; 4] = b"HSC1";
const TRAILER: usize = 4 + 8 + 32;

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

fn file_name(key: &str) -> String {
    let digest = Sha256::digest(key.as_bytes());
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("{hex}.entry")
}

/// Parses an entry file: `(key, body, meta)` when it is whole and its hash matches.
fn parse(data: &[u8]) -> Option<(&[u8], Bytes, Bytes)> {
    if data.len() < 8 + TRAILER || &data[..4] != MAGIC {
        return None;
    }
    let (content, hash) = data.split_at(data.len() - 32);
    if Sha256::digest(content).as_slice() != hash {
        return None;
    }
    let key_len = u32::from_le_bytes(data[4..8].try_into().ok()?) as usize;
    let end = content.len();
    let body_len = u64::from_le_bytes(content[end - 8..end].try_into().ok()?) as usize;
    let meta_len = u32::from_le_bytes(content[end - 12..end - 8].try_into().ok()?) as usize;
    let key = data.get(8..8 + key_len)?;
    let body_start = 8 + key_len;
    let meta_start = body_start.checked_add(body_len)?;
    if meta_start.checked_add(meta_len)? != end - 12 {
        return None;
    }
    let body = Bytes::copy_from_slice(&data[body_start..meta_start]);
    let meta = Bytes::copy_from_slice(&data[meta_start..meta_start + meta_len]);
    Some((key, body, meta))
}

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
        body: &[u8],
        meta: &[u8],
    ) -> std::io::Result<()> {
        let mut writer = TempEntry::create(&self.0.dir, name, key).await?;
        writer.write(body).await?;
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

/// The entry files in `dir` and their sizes, oldest first in recency; temporary files go.
fn scan(dir: &Path) -> LruIndex {
    let mut index = LruIndex::default();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return index;
    };
    let mut files: Vec<(String, u64, std::time::SystemTime)> = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(meta) = entry.metadata() else { continue };
        if name.ends_with(".tmp") {
            let _ = std::fs::remove_file(entry.path());
        } else if name.ends_with(".entry") {
            let modified = meta.modified().unwrap_or(std::time::UNIX_EPOCH);
            files.push((name, meta.len(), modified));
        }
    }
    files.sort_by_key(|(_, _, modified)| *modified);
    for (name, size, _) in files {
        index.insert(name, size, u64::MAX);
    }
    index
}

/// An entry file being written under a temporary name.
struct TempEntry {
    file: tokio::io::BufWriter<tokio::fs::File>,
    temp: PathBuf,
    target: PathBuf,
    hasher: Sha256,
    body_len: u64,
    size: u64,
}

impl TempEntry {
    async fn create(dir: &Path, name: &str, key: &str) -> std::io::Result<Self> {
        tokio::fs::create_dir_all(dir).await?;
        let unique = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let temp = dir.join(format!("{name}.{unique}.tmp"));
        let file = tokio::fs::File::create(&temp).await?;
        let mut entry = Self {
            file: tokio::io::BufWriter::with_capacity(256 * 1024, file),
            temp,
            target: dir.join(name),
            hasher: Sha256::new(),
            body_len: 0,
            size: 0,
        };
        entry.put(MAGIC).await?;
        entry.put(&(key.len() as u32).to_le_bytes()).await?;
        entry.put(key.as_bytes()).await?;
        Ok(entry)
    }

    async fn put(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.hasher.update(bytes);
        self.size += bytes.len() as u64;
        self.file.write_all(bytes).await
    }

    async fn write(&mut self, body: &[u8]) -> std::io::Result<()> {
        self.body_len += body.len() as u64;
        self.put(body).await
    }

    /// Writes the trailer, syncs and renames: the entry exists whole or not at all.
    async fn finish(&mut self, meta: &[u8]) -> std::io::Result<()> {
        self.put(meta).await?;
        self.put(&(meta.len() as u32).to_le_bytes()).await?;
        let body_len = self.body_len.to_le_bytes();
        self.put(&body_len).await?;
        let hash = std::mem::take(&mut self.hasher).finalize();
        self.file.write_all(&hash).await?;
        self.size += 32;
        self.file.flush().await?;
        self.file.get_ref().sync_data().await?;
        tokio::fs::rename(&self.temp, &self.target).await
    }
}

impl Drop for TempEntry {
    fn drop(&mut self) {
        // Gone after a rename; otherwise an abandoned write.
        let _ = std::fs::remove_file(&self.temp);
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
}

impl DiskWriter {
    fn new(store: DiskCacheStore, key: &str) -> Self {
        let name = file_name(key);
        let (tx, mut rx) = mpsc::unbounded_channel::<Message>();
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
        }
    }
}

impl EntryWriter for DiskWriter {
    fn write(&mut self, piece: &Bytes) -> bool {
        self.written += piece.len() as u64;
        let fits = self.written <= max_entry(self.store.0.limit);
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
            let data = tokio::fs::read(self.0.dir.join(&name)).await.ok()?;
            match parse(&data) {
                Some((stored_key, body, meta)) if stored_key == key.as_bytes() => {
                    Some(StoredResponse { meta, body })
                }
                Some(_) => None,
                None => {
                    // Damaged: dropped, and the network asked.
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
                .write_file(&name, &key, &stored.body, &meta)
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
                let path = self.0.dir.join(&name);
                let key = tokio::fs::read(&path).await.ok().and_then(|data| {
                    let len = u32::from_le_bytes(data.get(4..8)?.try_into().ok()?) as usize;
                    Some(String::from_utf8_lossy(data.get(8..8 + len)?).into_owned())
                });
                if key.as_deref().is_none_or(&selected) {
                    self.forget(&name).await;
                }
            }
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
