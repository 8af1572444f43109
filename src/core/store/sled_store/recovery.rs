//! Recovery of a damaged sled database, as Chromium recovers a corrupt cookie database
//! (it keeps going) except that nothing is deleted: the damaged files, as they were before
//! sled opened them, are moved aside (`Store.damaged-<time>`), every entry that can still be
//! read is carried into a fresh database, and a warning names the partition and where the
//! old files went.
//!
//! sled itself treats much damage as a torn write and quietly opens what precedes it (an
//! empty database, for garbage at the start of its log). So that flushed data is never lost
//! quietly, each flush numbers itself inside the database (`META_TREE`) and then in a marker
//! file beside it (`Store/flushed`); a database that opens with an older number than the
//! marker lost writes it had made durable, and is treated as damaged. That check is one read
//! at open; entries are not read through twice.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::{db_path, describe, open_db};
use crate::core::error::shorten;
use crate::core::warning;

/// The tree holding the store's own bookkeeping (never a caller's tree name).
const META_TREE: &str = "__headless_session_store";
/// The key of the last flush's number in `META_TREE`.
const FLUSHES_KEY: &[u8] = b"flushes";

/// Entries read out of a damaged database: per tree, its key-value pairs.
pub type Salvage = Vec<(sled::IVec, Vec<(sled::IVec, sled::IVec)>)>;

/// Numbers a flush inside the database (before sled's own flush makes it durable).
pub fn number_flush(db: &sled::Db, number: u64) -> sled::Result<()> {
    db.open_tree(META_TREE)?
        .insert(FLUSHES_KEY, &number.to_be_bytes())
        .map(|_| ())
}

/// Records a flush's number in the marker file, once the database holding it is durable,
/// so the marker is never ahead of the database after a crash; written to a temporary name
/// first, so it is never half a number.
pub fn mark_flush(dir: &Path, number: u64) -> std::io::Result<()> {
    let marker = marker_path(dir);
    let temporary = marker.with_extension("tmp");
    std::fs::write(&temporary, number.to_string())?;
    std::fs::rename(&temporary, &marker)
}

/// The number of the last flush the database holds, checked against the marker file: an
/// older one means the database lost writes it had made durable.
pub fn flushes_kept(dir: &Path, db: &sled::Db) -> std::result::Result<u64, String> {
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
pub fn pristine_copy(dir: &Path) -> Option<PathBuf> {
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

/// Drops a copy `pristine_copy` made, once the database proved sound.
pub fn discard(copy: Option<PathBuf>) {
    if let Some(copy) = copy {
        let _ = std::fs::remove_dir_all(copy);
    }
}

/// What can still be read: each tree from its start up to the first damaged entry, and
/// from its end back to the last one.
pub fn salvage(db: &sled::Db) -> Salvage {
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

/// Moves the damaged database aside (the pristine copy when there is one), starts a fresh
/// one holding `salvaged`, and warns. `Err` is why that failed, in words.
pub fn set_aside_and_restart(
    dir: &Path,
    partition: &str,
    reason: &str,
    salvaged: Salvage,
    pristine: Option<PathBuf>,
) -> Result<sled::Db, String> {
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
    Ok(db)
}

#[cfg(test)]
mod tests {
    use crate::core::store::{KvStore, SledStore};

    /// Opens the store again: sled's flusher thread of a store just dropped may still hold
    /// the lock for a moment, so a busy machine gets a few tries.
    fn reopen(dir: &std::path::Path) -> SledStore {
        for _ in 0..50 {
            match SledStore::open(dir, "persist:d") {
                Ok(store) => return store,
                Err(_) => std::thread::sleep(std::time::Duration::from_millis(20)),
            }
        }
        SledStore::open(dir, "persist:d").unwrap()
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

        let store = reopen(dir.path());
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
        let reopened = reopen(dir.path());
        assert_eq!(reopened.tree("t").unwrap().len(), 1);
    }
}
