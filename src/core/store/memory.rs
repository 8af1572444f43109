//! The in-memory store used by in-memory partitions: a BTreeMap per tree.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use super::{KvStore, KvTree};
use crate::core::Result;

/// A store that lives and dies with the process.
#[derive(Default)]
pub struct MemoryStore {
    trees: Mutex<HashMap<String, Arc<MemoryTree>>>,
}

#[derive(Default)]
struct MemoryTree {
    map: Mutex<BTreeMap<Vec<u8>, Vec<u8>>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

impl KvStore for MemoryStore {
    fn tree(&self, name: &str) -> Result<Arc<dyn KvTree>> {
        let mut trees = self.trees.lock().unwrap_or_else(|p| p.into_inner());
        let tree = trees.entry(name.to_owned()).or_default().clone();
        Ok(tree)
    }

    fn flush(&self) -> Result<()> {
        Ok(())
    }

    fn is_persistent(&self) -> bool {
        false
    }
}

impl MemoryTree {
    fn map(&self) -> std::sync::MutexGuard<'_, BTreeMap<Vec<u8>, Vec<u8>>> {
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl KvTree for MemoryTree {
    fn insert(&self, key: &[u8], value: &[u8]) -> Result<()> {
        self.map().insert(key.to_vec(), value.to_vec());
        Ok(())
    }

    fn remove(&self, key: &[u8]) -> Result<()> {
        self.map().remove(key);
        Ok(())
    }

    fn for_each(&self, visit: &mut dyn FnMut(&[u8], &[u8])) -> Result<()> {
        for (k, v) in self.map().iter() {
            visit(k, v);
        }
        Ok(())
    }

    fn len(&self) -> usize {
        self.map().len()
    }
}
