//! The on-disk store of persistent partitions: one sled database per partition directory.
//!
//! sled writes go to its page cache at once and a background thread makes them durable
//! every `FLUSH_EVERY_MS`, which is what gives "on disk within a second of a change without
//! any call"; `flush()` fsyncs before it returns.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{KvStore, KvTree};
use crate::core::{Error, Result};

/// How often sled's background thread makes writes durable.
const FLUSH_EVERY_MS: u64 = 200;
/// Upper bound of sled's page cache; it is a limit, not an allocation.
const CACHE_CAPACITY_BYTES: u64 = 64 * 1024 * 1024;

/// A sled database in a directory.
pub struct SledStore {
    db: sled::Db,
}

impl SledStore {
    /// Opens (creating if needed) the database in `dir`. A database already opened by
    /// another process fails with a message saying so, and nothing on disk is touched.
    pub fn open(dir: &Path, partition: &str) -> Result<Self> {
        let open_error = |reason: String| Error::StorageOpen {
            partition: partition.to_owned(),
            path: dir.to_path_buf(),
            reason,
        };
        std::fs::create_dir_all(dir).map_err(|e| open_error(e.to_string()))?;
        let db = sled::Config::new()
            .path(db_path(dir))
            .flush_every_ms(Some(FLUSH_EVERY_MS))
            .cache_capacity(CACHE_CAPACITY_BYTES)
            .open()
            .map_err(|e| open_error(describe_open_error(&e)))?;
        Ok(Self { db })
    }
}

/// Where the database lives inside a partition directory.
fn db_path(dir: &Path) -> PathBuf {
    dir.join("Store")
}

fn describe_open_error(e: &sled::Error) -> String {
    match e {
        sled::Error::Io(io) if io.kind() == std::io::ErrorKind::WouldBlock => {
            "it is in use by another process (its lock is held)".to_owned()
        }
        sled::Error::Io(io) if io.to_string().contains("could not acquire lock") => {
            "it is in use by another process (its lock is held)".to_owned()
        }
        other => other.to_string(),
    }
}

impl KvStore for SledStore {
    fn tree(&self, name: &str) -> Result<Arc<dyn KvTree>> {
        Ok(Arc::new(SledTree(self.db.open_tree(name)?)))
    }

    fn flush(&self) -> Result<()> {
        self.db.flush()?;
        Ok(())
    }

    fn is_persistent(&self) -> bool {
        true
    }
}

struct SledTree(sled::Tree);

impl KvTree for SledTree {
    fn insert(&self, key: &[u8], value: &[u8]) -> Result<()> {
        self.0.insert(key, value)?;
        Ok(())
    }

    fn remove(&self, key: &[u8]) -> Result<()> {
        self.0.remove(key)?;
        Ok(())
    }

    fn for_each(&self, visit: &mut dyn FnMut(&[u8], &[u8])) -> Result<()> {
        for entry in self.0.iter() {
            let (k, v) = entry?;
            visit(&k, &v);
        }
        Ok(())
    }

    fn len(&self) -> usize {
        self.0.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_open_of_a_locked_directory_fails_clearly_and_keeps_the_data() {
        let dir = tempfile::tempdir().unwrap();
        let first = SledStore::open(dir.path(), "persist:a").unwrap();
        first.tree("t").unwrap().insert(b"k", b"v").unwrap();
        first.flush().unwrap();
        let err = SledStore::open(dir.path(), "persist:a").err().unwrap();
        let message = err.to_string();
        assert!(
            message.starts_with("Failed to open the storage of partition 'persist:a' at "),
            "{message}"
        );
        assert!(
            message.ends_with("it is in use by another process (its lock is held)"),
            "{message}"
        );
        let mut seen = Vec::new();
        let tree = first.tree("t").unwrap();
        tree.for_each(&mut |k, v| seen.push((k.to_vec(), v.to_vec())))
            .unwrap();
        assert_eq!(seen, vec![(b"k".to_vec(), b"v".to_vec())]);
    }
}
