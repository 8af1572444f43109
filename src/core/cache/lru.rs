//! The sizes and recency of a store's entries, shared by the memory and disk stores: the
//! least recently used go first when an entry must fit, found in O(log n) rather than by a
//! scan of every entry on each write of a full cache.

use std::collections::{BTreeMap, HashMap};

/// Entry sizes by key, and their order of use.
#[derive(Default)]
pub struct LruIndex {
    entries: HashMap<String, (u64, u64)>,
    by_use: BTreeMap<u64, String>,
    bytes: u64,
    clock: u64,
}

impl LruIndex {
    /// Bytes of all entries.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// The keys.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.entries.keys()
    }

    fn stamp(&mut self) -> u64 {
        self.clock += 1;
        self.clock
    }

    /// Marks `key` as just used; false when it is not there.
    pub fn touch(&mut self, key: &str) -> bool {
        let stamp = self.stamp();
        let Some((_, used)) = self.entries.get_mut(key) else {
            return false;
        };
        self.by_use.remove(used);
        *used = stamp;
        self.by_use.insert(stamp, key.to_owned());
        true
    }

    /// Forgets `key`; its size, when it was there.
    pub fn remove(&mut self, key: &str) -> Option<u64> {
        let (size, used) = self.entries.remove(key)?;
        self.by_use.remove(&used);
        self.bytes -= size;
        Some(size)
    }

    /// Records `key` at `size` as just used; the keys that had to go, least recently used
    /// first, so that everything fits in `limit`.
    pub fn insert(&mut self, key: String, size: u64, limit: u64) -> Vec<String> {
        self.remove(&key);
        let mut evicted = Vec::new();
        while self.bytes + size > limit {
            let Some((_, oldest)) = self.by_use.pop_first() else {
                break;
            };
            if let Some((old_size, _)) = self.entries.remove(&oldest) {
                self.bytes -= old_size;
            }
            evicted.push(oldest);
        }
        let stamp = self.stamp();
        self.bytes += size;
        self.by_use.insert(stamp, key.clone());
        self.entries.insert(key, (size, stamp));
        evicted
    }

    /// Forgets everything; the keys there were.
    pub fn clear(&mut self) -> Vec<String> {
        let keys = self.entries.drain().map(|(k, _)| k).collect();
        *self = Self::default();
        keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_least_recently_used_first() {
        let mut lru = LruIndex::default();
        for key in ["a", "b", "c"] {
            assert!(lru.insert(key.to_owned(), 10, 30).is_empty());
        }
        assert!(lru.touch("a"));
        assert_eq!(lru.insert("d".to_owned(), 15, 30), ["b", "c"]);
        assert_eq!(lru.bytes(), 25);
        assert_eq!(lru.remove("a"), Some(10));
        assert!(!lru.touch("a"));
        assert_eq!(lru.clear(), ["d"]);
        assert_eq!(lru.bytes(), 0);
    }
}
