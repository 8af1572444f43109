//! The on-disk store of persistent partitions: one sled database per partition directory.
//!
//! sled writes go to its page cache at once and a background thread makes them durable
//! every `FLUSH_EVERY_MS`, which is what gives "on disk within a second of a change without
//! any call"; `flush()` fsyncs before it returns.
//!
//! A damaged database is handled as Chromium handles a corrupt cookie database, except
//! that nothing is deleted: the damaged files are moved aside (`Store.damaged-<time>`),
//! every entry that can still be read is carried into a fresh database, and a warning names
//! the partition and where the old files went. The partition keeps working.
//!
//! sled itself treats much damage as a torn write and quietly opens what precedes it (an
//! empty database, for garbage at the start of its log). So that flushed data is never lost
//! quietly, each `flush()` numbers itself inside the database and then in a marker file
//! beside it (`Store/flushed`); a database that opens with an older number than the marker
//! lost writes it had made durable, and is treated as damaged.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use super::{KvStore, KvTree};
use crate::core::error::shorten;
use crate::core::{warning, Error, Result};

/// How often sled's background thread makes writes durable.
const FLUSH_EVERY_MS: u64 = 200;
/// Upper bound of sled's page cache; it is a limit, not an allocation.
const CACHE_CAPACITY_BYTES: u64 = 64 * 1024 * 1024;

/// The tree holding the store's own bookkeeping (never a caller's tree name).
const META_TREE: &str = "__headless_session_store";
/// The key of the last flush's number in `META_TREE`.
const FLUSHES_KEY: &[u8] = b"flushes";

/// A sled database in a directory.
pub struct SledStore {
    db: sled::Db,
    dir: PathBuf,
    flushes: Mutex<u64>,
}

/// Entries read out of a damaged database: per tree, its key-value pairs.
type Salvage = Vec<(sled::IVec, Vec<(sled::IVec, sled::IVec)>)>;

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
        let pristine = pristine_copy(dir);
        let discard = |copy: Option<PathBuf>| {
            if let Some(copy) = copy {
                let _ = std::fs::remove_dir_all(copy);
            }
        };
        match open_db(&db_path(dir)) {
            Ok(db) => match check(&db).and_then(|()| flushes_kept(dir, &db)) {
                Ok(flushes) => {
                    discard(pristine);
                    Ok(Self::with(db, dir, flushes))
                }
                Err(reason) => {
                    let salvaged = salvage(&db);
                    drop(db);
                    Self::replace(dir, partition, &reason, salvaged, pristine).map_err(open_error)
                }
            },
            Err(e) if is_locked(&e) => {
                discard(pristine);
                Err(open_error(
                    "it is in use by another process (its lock is held)".to_owned(),
                ))
            }
            Err(e) => Self::replace(dir, partition, &describe(&e), Vec::new(), pristine)
                .map_err(open_error),
        }
    }

    fn with(db: sled::Db, dir: &Path, flushes: u64) -> Self {
        Self {
            db,
            dir: dir.to_path_buf(),
            flushes: Mutex::new(flushes),
        }
    }

    /// Moves the damaged database aside, starts a fresh one holding `salvaged`, and warns.
    fn replace(
        dir: &Path,
        partition: &str,
        reason: &str,
        salvaged: Salvage,
        pristine: Option<PathBuf>,
    ) -> std::result::Result<Self, String> {
        let aside = aside_path(dir);
        let not_moved = |e: std::io::Error| {
            format!("its files are damaged ({reason}) and could not be moved aside: {e}")
        };
        match pristine {
            Some(copy) => {
                std::fs::rename(copy, &aside).map_err(not_moved)?;
                // Large values live in blobs/, which opening does not rewrite.
                let _ = std::fs::rename(db_path(dir).join("blobs"), aside.join("blobs"));
                std::fs::remove_dir_all(db_path(dir)).map_err(not_moved)?;
            }
            None => std::fs::rename(db_path(dir), &aside).map_err(not_moved)?,
        }
        let db = open_db(&db_path(dir)).map_err(|e| describe(&e))?;
        let mut carried = 0usize;
        for (name, entries) in salvaged {
            if name == META_TREE.as_bytes() {
                continue;
            }
            let tree = db.open_tree(name).map_err(|e| describe(&e))?;
            for (key, value) in entries {
                tree.insert(key, value).map_err(|e| describe(&e))?;
                carried += 1;
            }
        }
        db.flush().map_err(|e| describe(&e))?;
        warning::emit(format!(
            "the storage of partition '{}' was damaged ({reason}); the damaged files were moved \
             to {} and a new store was started with the {carried} entries that could be read",
            shorten(partition),
            aside.display()
        ));
        Ok(Self::with(db, dir, 0))
    }
}

/// The number of the last flush the database holds, checked against the marker file: an
/// older one means the database lost writes it had made durable.
fn flushes_kept(dir: &Path, db: &sled::Db) -> std::result::Result<u64, String> {
    let read = || -> sled::Result<u64> {
        let value = db.open_tree(META_TREE)?.get(FLUSHES_KEY)?;
        Ok(value
            .and_then(|v| <[u8; 8]>::try_from(v.as_ref()).ok())
            .map_or(0, u64::from_be_bytes))
    };
    let kept = read().map_err(|e| describe(&e))?;
    let marked = std::fs::read_to_string(marker_path(dir))
        .ok()
        .and_then(|text| text.trim().parse::<u64>().ok())
        .unwrap_or(0);
    if kept < marked {
        return Err(format!(
            "it no longer holds what its flush {marked} wrote to disk"
        ));
    }
    Ok(kept)
}

/// A copy of the database's files (not blobs/) taken before opening, when it holds data
/// made durable before (its flush marker exists); `None` otherwise or when copying fails.
fn pristine_copy(dir: &Path) -> Option<PathBuf> {
    if !marker_path(dir).exists() {
        return None;
    }
    let copy = dir.join("Store.opening");
    let _ = std::fs::remove_dir_all(&copy);
    let copied = (|| -> std::io::Result<()> {
        std::fs::create_dir(&copy)?;
        for entry in std::fs::read_dir(db_path(dir))? {
            let entry = entry?;
            if entry.file_type()?.is_file() {
                std::fs::copy(entry.path(), copy.join(entry.file_name()))?;
            }
        }
        Ok(())
    })();
    match copied {
        Ok(()) => Some(copy),
        Err(_) => {
            let _ = std::fs::remove_dir_all(&copy);
            None
        }
    }
}

/// The marker file of the last flush.
fn marker_path(dir: &Path) -> PathBuf {
    db_path(dir).join("flushed")
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

/// Reads every entry of every tree once: an open database may still hold damaged pages.
fn check(db: &sled::Db) -> std::result::Result<(), String> {
    let read_all = || -> sled::Result<()> {
        for name in db.tree_names() {
            for entry in db.open_tree(name)?.iter() {
                entry?;
            }
        }
        Ok(())
    };
    match catch_unwind(AssertUnwindSafe(read_all)) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(describe(&e)),
        Err(_) => Err("the database could not be read".to_owned()),
    }
}

/// What can still be read: each tree from its start up to the first damaged entry, and
/// from its end back to the last one.
fn salvage(db: &sled::Db) -> Salvage {
    let read = || {
        let mut out = Salvage::new();
        for name in db.tree_names() {
            let Ok(tree) = db.open_tree(&name) else {
                continue;
            };
            let mut entries: Vec<(sled::IVec, sled::IVec)> =
                tree.iter().map_while(|e| e.ok()).collect();
            let mut tail: Vec<_> = tree.iter().rev().map_while(|e| e.ok()).collect();
            tail.retain(|(key, _)| entries.last().is_none_or(|(last, _)| key > last));
            entries.extend(tail.into_iter().rev());
            out.push((name, entries));
        }
        out
    };
    catch_unwind(AssertUnwindSafe(read)).unwrap_or_default()
}

/// Where the damaged database goes: `Store.damaged-<unix seconds>` (numbered if taken).
fn aside_path(dir: &Path) -> PathBuf {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let base = format!("Store.damaged-{secs}");
    let mut candidate = dir.join(&base);
    let mut n = 1;
    while candidate.exists() {
        n += 1;
        candidate = dir.join(format!("{base}-{n}"));
    }
    candidate
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
        self.db
            .open_tree(META_TREE)?
            .insert(FLUSHES_KEY, &next.to_be_bytes())?;
        self.db.flush()?;
        // Written only once the database is durable, so the marker is never ahead of it
        // after a crash; written to a temporary name first, so it is never half a number.
        let marker = marker_path(&self.dir);
        let temporary = marker.with_extension("tmp");
        std::fs::write(&temporary, next.to_string())
            .and_then(|()| std::fs::rename(&temporary, &marker))
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

    #[test]
    fn damage_that_sled_would_hide_is_found_set_aside_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = SledStore::open(dir.path(), "persist:d").unwrap();
            let tree = store.tree("t").unwrap();
            for i in 0..50u8 {
                tree.insert(&[i], b"value").unwrap();
            }
            store.flush().unwrap();
        }
        let db_file = dir.path().join("Store").join("db");
        let mut bytes = std::fs::read(&db_file).unwrap();
        let end = bytes.len().min(2100);
        bytes[100..end].fill(0xa5);
        std::fs::write(&db_file, &bytes).unwrap();

        let store = SledStore::open(dir.path(), "persist:d").unwrap();
        assert!(store.tree("t").unwrap().is_empty());
        let aside: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|name| name.starts_with("Store.damaged-"))
            .collect();
        assert_eq!(aside.len(), 1);
        // Kept as it was on disk, not deleted.
        let kept = std::fs::read(dir.path().join(&aside[0]).join("db")).unwrap();
        assert!(kept == bytes, "the damaged file was changed");
        assert!(!dir.path().join("Store.opening").exists());
        // The fresh store works and is checked like any other from now on.
        store.tree("t").unwrap().insert(b"k", b"v").unwrap();
        store.flush().unwrap();
        drop(store);
        let reopened = SledStore::open(dir.path(), "persist:d").unwrap();
        assert_eq!(reopened.tree("t").unwrap().len(), 1);
    }
}
