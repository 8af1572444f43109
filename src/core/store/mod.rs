//! Key-value storage behind a trait, so that no pipeline stage knows whether it writes to
//! memory, to the embedded sled database, or (one day) to a shared store.
//!
//! A store holds named trees (one per concern: `cookies`, later `cache`, `downloads`); each
//! tree is an ordered map of byte keys to byte values.

mod memory;
mod sled_store;

use std::sync::Arc;

use crate::core::Result;

pub use memory::MemoryStore;
pub use sled_store::SledStore;

/// One named, ordered map of byte keys to byte values.
pub trait KvTree: Send + Sync {
    /// Writes `value` under `key`, replacing what was there.
    fn insert(&self, key: &[u8], value: &[u8]) -> Result<()>;
    /// Deletes `key` if present.
    fn remove(&self, key: &[u8]) -> Result<()>;
    /// Visits every entry in key order without copying it.
    fn for_each(&self, visit: &mut dyn FnMut(&[u8], &[u8])) -> Result<()>;
    /// Number of entries.
    fn len(&self) -> usize;
    /// True when the tree holds nothing.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A set of trees that can be made durable together.
pub trait KvStore: Send + Sync {
    /// Opens (creating if needed) the tree called `name`.
    fn tree(&self, name: &str) -> Result<Arc<dyn KvTree>>;
    /// Makes every write done so far durable before returning.
    fn flush(&self) -> Result<()>;
    /// True when the data survives the process.
    fn is_persistent(&self) -> bool;
}
