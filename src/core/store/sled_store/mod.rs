//! The on-disk store of persistent partitions: one sled database per partition directory.
//!
//! sled writes go to its page cache at once and a background thread makes them durable
//! every `FLUSH_EVERY_MS`, which is what gives "on disk within a second of a change without
//! any call"; `flush()` fsyncs before it returns.
//!
//! A damaged database is set aside and replaced, and flushes are numbered so that damage
//! sled would hide is found (`recovery`).

mod recovery;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::{KvStore, KvTree};
use crate::core::{Error, Result};

/// How often sled's background thread makes writes durable.
const FLUSH_EVERY_MS: u64 = 200;
/// Upper bound of sled's page cache; it is a limit, not an allocation.
const CACHE_CAPACITY_BYTES: u64 = 64 * 1024 * 1024;

/// A sled database in a directory.
pub struct SledStore {
    db: sled::Db,
    dir: PathBuf,
    flushes: Mutex<u64>,
}

impl SledStore {
    /// Opens (creating if needed) the database in `dir`. A database already opened by
    /// another process fails with a message saying so, and nothing on disk is touched; a
    /// damaged one is set aside and replaced (see the module's doc).
    pub fn open(dir: &Path, partition: &str) -> Result<Self> {
        let open_error = |reason: String| Error::StorageOpen {
            partition: partition.to_owned(),
            path: dir.to_path_buf(),
            reason,
        };
        std::fs::create_dir_all(dir).map_err(|e| open_error(e.to_string()))?;
        // sled rewrites a damaged log while it opens it: the files as they were are copied
        // first, so that what is set aside is what was on disk.
        let pristine = recovery::pristine_copy(dir);
        let damaged = |reason: String, salvaged, pristine| {
            recovery::set_aside_and_restart(dir, partition, &reason, salvaged, pristine)
                .map(|db| Self::with(db, dir, 0))
                .map_err(open_error)
        };
        match open_db(&db_path(dir)) {
            Ok(db) => match recovery::flushes_kept(dir, &db) {
                Ok(flushes) => {
                    recovery::discard(pristine);
                    Ok(Self::with(db, dir, flushes))
                }
                Err(reason) => {
                    let salvaged = recovery::salvage(&db);
                    drop(db);
                    damaged(reason, salvaged, pristine)
                }
            },
            Err(e) if is_locked(&e) => {
                recovery::discard(pristine);
                Err(open_error(
                    "it is in use by another process (its lock is held)".to_owned(),
                ))
            }
            Err(e) => damaged(describe(&e), Vec::new(), pristine),
        }
    }

    fn with(db: sled::Db, dir: &Path, flushes: u64) -> Self {
        Self {
            db,
            dir: dir.to_path_buf(),
            flushes: Mutex::new(flushes),
        }
    }
}

/// Opens a sled database; a panic inside sled (it has some on damaged files) is an error.
fn open_db(path: &Path) -> sled::Result<sled::Db> {
    let config = sled::Config::new()
        .path(path)
        .flush_every_ms(Some(FLUSH_EVERY_MS))
        .cache_capacity(CACHE_CAPACITY_BYTES);
    catch_unwind(AssertUnwindSafe(|| config.open())).unwrap_or_else(|_| {
        Err(sled::Error::Unsupported(
            "the database could not be read".to_owned(),
        ))
    })
}

/// Where the database lives inside a partition directory.
fn db_path(dir: &Path) -> PathBuf {
    dir.join("Store")
}

fn is_locked(e: &sled::Error) -> bool {
    matches!(e, sled::Error::Io(io) if io.kind() == std::io::ErrorKind::WouldBlock
        || io.to_string().contains("could not acquire lock"))
}

/// A sled error as a sentence (its Display is Rust debug text for corruption).
fn describe(e: &sled::Error) -> String {
    match e {
        sled::Error::Corruption { .. } => "its files hold damaged data".to_owned(),
        sled::Error::Io(io) => format!("the disk reported: {io}"),
        sled::Error::Unsupported(what) => what.clone(),
        sled::Error::CollectionNotFound(_) => "a part of it is missing".to_owned(),
        sled::Error::ReportableBug(what) => format!("the database failed: {what}"),
    }
}

impl From<sled::Error> for Error {
    fn from(e: sled::Error) -> Self {
        Error::Storage(describe(&e))
    }
}

impl KvStore for SledStore {
    fn tree(&self, name: &str) -> Result<Arc<dyn KvTree>> {
        Ok(Arc::new(SledTree(self.db.open_tree(name)?)))
    }

    fn flush(&self) -> Result<()> {
        let mut flushes = self.flushes.lock().unwrap_or_else(|p| p.into_inner());
        let next = *flushes + 1;
        recovery::number_flush(&self.db, next)?;
        self.db.flush()?;
        recovery::mark_flush(&self.dir, next)
            .map_err(|e| Error::Storage(format!("the disk reported: {e}")))?;
        *flushes = next;
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
