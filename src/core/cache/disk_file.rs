//! The disk cache's entry files: one per entry, named by a hash of its key, written under a
//! temporary name and renamed once whole and synced, and checked against the SHA-256 at
//! their end when read (a damaged file reads as `Damaged`, never as a wrong body).
//!
//! Layout: `HSC1`, key length (u32 LE), key, body, metadata, metadata length (u32 LE),
//! body length (u64 LE), SHA-256 of everything before it.

use std::path::{Path, PathBuf};

use bytes::Bytes;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::lru::LruIndex;

const MAGIC: &[u8; 4] = b"HSC1";
pub(super) const TRAILER: usize = 4 + 8 + 32;
/// Entry files up to this size are read whole (one read answers a hit); larger ones are
/// checked against their hash in a first pass, then their body streams to the caller.
const READ_WHOLE_MAX: u64 = 1 << 20;

/// The file an entry for `key` is kept in.
pub(super) fn file_name(key: &str) -> String {
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

/// What reading an entry file found.
pub(super) enum Found {
    /// The whole entry, read into memory.
    Whole(Bytes, Bytes),
    /// A large entry checked against its hash: the open file (at its body), the body's
    /// length, and the metadata.
    Large(std::fs::File, u64, Bytes),
    /// A whole entry stored under another key (a file-name collision).
    OtherKey,
    /// A damaged entry.
    Damaged,
    /// No file.
    Missing,
}

/// Reads the entry file at `path` for `key` (blocking).
pub(super) fn read_entry(path: &Path, key: &str) -> Found {
    use std::io::{Read, Seek, SeekFrom};
    let Ok(mut file) = std::fs::File::open(path) else {
        return Found::Missing;
    };
    let Ok(len) = file.metadata().map(|m| m.len()) else {
        return Found::Missing;
    };
    if len <= READ_WHOLE_MAX {
        let mut data = Vec::with_capacity(len as usize);
        if file.read_to_end(&mut data).is_err() {
            return Found::Missing;
        }
        return match parse(&data) {
            Some((stored_key, body, meta)) if stored_key == key.as_bytes() => {
                Found::Whole(body, meta)
            }
            Some(_) => Found::OtherKey,
            None => Found::Damaged,
        };
    }
    let checked = (|| -> std::io::Result<Option<Found>> {
        // One pass over everything but the hash, which it must equal.
        let mut hasher = Sha256::new();
        let mut head = Vec::new();
        let mut tail = [0u8; TRAILER];
        let mut reader = std::io::BufReader::with_capacity(1 << 20, &mut file).take(len - 32);
        let mut chunk = vec![0u8; 1 << 20];
        let mut seen = 0u64;
        loop {
            let n = reader.read(&mut chunk)?;
            if n == 0 {
                break;
            }
            hasher.update(&chunk[..n]);
            if head.len() < 8 + key.len() + 1 {
                head.extend_from_slice(&chunk[..n.min(8 + key.len() + 1)]);
            }
            seen += n as u64;
            // The last TRAILER - 32 bytes read are the lengths.
            let keep = n.min(TRAILER - 32);
            tail.copy_within(keep..TRAILER - 32, 0);
            tail[TRAILER - 32 - keep..TRAILER - 32].copy_from_slice(&chunk[n - keep..n]);
        }
        reader.into_inner().read_exact(&mut tail[TRAILER - 32..])?;
        if seen != len - 32 || hasher.finalize().as_slice() != &tail[TRAILER - 32..] {
            return Ok(Some(Found::Damaged));
        }
        if head.get(..4) != Some(&MAGIC[..]) {
            return Ok(Some(Found::Damaged));
        }
        let key_len = u32::from_le_bytes(head[4..8].try_into().unwrap_or_default()) as usize;
        if head.get(8..8 + key_len) != Some(key.as_bytes()) {
            return Ok(Some(Found::OtherKey));
        }
        let meta_len = u32::from_le_bytes(tail[..4].try_into().unwrap_or_default()) as u64;
        let body_len = u64::from_le_bytes(tail[4..12].try_into().unwrap_or_default());
        let body_start = 8 + key_len as u64;
        let meta_start = body_start.checked_add(body_len);
        if meta_start.and_then(|m| m.checked_add(meta_len)) != Some(len - TRAILER as u64) {
            return Ok(Some(Found::Damaged));
        }
        let mut meta = vec![0u8; meta_len as usize];
        file.seek(SeekFrom::Start(body_start + body_len))?;
        file.read_exact(&mut meta)?;
        file.seek(SeekFrom::Start(body_start))?;
        Ok(Some(Found::Large(file, body_len, meta.into())))
    })();
    checked.ok().flatten().unwrap_or(Found::Missing)
}

/// The key an entry file starts with.
pub(super) async fn read_key(path: &Path) -> Option<String> {
    let mut file = tokio::fs::File::open(path).await.ok()?;
    let mut head = [0u8; 8];
    file.read_exact(&mut head).await.ok()?;
    let len = u32::from_le_bytes(head[4..8].try_into().ok()?) as usize;
    let mut key = vec![0u8; len.min(1 << 20)];
    file.read_exact(&mut key).await.ok()?;
    String::from_utf8(key).ok()
}

/// The entry files in `dir` and their sizes, oldest first in recency; temporary files go.
pub(super) fn scan(dir: &Path) -> LruIndex {
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
pub(super) struct TempEntry {
    file: tokio::io::BufWriter<tokio::fs::File>,
    temp: PathBuf,
    target: PathBuf,
    hasher: Sha256,
    body_len: u64,
    /// Bytes written so far.
    pub(super) size: u64,
}

impl TempEntry {
    pub(super) async fn create(dir: &Path, name: &str, key: &str) -> std::io::Result<Self> {
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

    pub(super) async fn write(&mut self, body: &[u8]) -> std::io::Result<()> {
        self.body_len += body.len() as u64;
        self.put(body).await
    }

    /// Writes the trailer, syncs and renames: the entry exists whole or not at all.
    pub(super) async fn finish(&mut self, meta: &[u8]) -> std::io::Result<()> {
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
