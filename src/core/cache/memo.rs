//! Entries' metadata already decoded, by key, with the bytes they came from: a hit on an
//! unchanged entry skips decoding its policy again, and an entry just stored is known
//! without decoding what was just encoded.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bytes::Bytes;

use super::entry::EntryMeta;

/// The most decoded metadata kept (dropped all at once beyond it).
const MAX: usize = 4096;

/// Metadata decoded, by key, with the bytes it came from.
type Entries = HashMap<String, (Bytes, Arc<EntryMeta>)>;

/// Shared by a cache and its writes.
#[derive(Clone, Default)]
pub struct MetaMemo(Arc<Mutex<Entries>>);

impl MetaMemo {
    /// The metadata `bytes` stored under `key` decode to (remembered when unchanged);
    /// `None` for bytes that do not decode.
    pub fn decoded(&self, key: &str, bytes: &Bytes) -> Option<Arc<EntryMeta>> {
        if let Some((seen, meta)) = self.lock().get(key) {
            if seen == bytes {
                return Some(meta.clone());
            }
        }
        let meta = Arc::new(EntryMeta::decode(bytes)?);
        self.remember(key.to_owned(), bytes.clone(), meta.clone());
        Some(meta)
    }

    /// Keeps `meta`, decoded from (or encoded as) `bytes`, for the entry under `key`.
    pub fn remember(&self, key: String, bytes: Bytes, meta: Arc<EntryMeta>) {
        let mut memo = self.lock();
        if memo.len() >= MAX {
            memo.clear();
        }
        memo.insert(key, (bytes, meta));
    }

    /// Forgets everything (the cache was cleared).
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}
