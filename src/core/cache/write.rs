//! A response body on its way into the cache: every piece the caller reads is written,
//! and the entry is kept only once the body has been read to its end.

use std::sync::Arc;

use bytes::Bytes;

use super::entry::EntryMeta;
use super::memo::MetaMemo;
use super::store::EntryWriter;

/// One response being stored.
pub struct CacheWrite {
    pub(super) writer: Box<dyn EntryWriter>,
    /// The metadata, and as the store keeps it.
    pub(super) meta: Arc<EntryMeta>,
    pub(super) encoded: Bytes,
    pub(super) key: String,
    /// The cache's decoded metadata, which learns this entry's at commit.
    pub(super) memo: MetaMemo,
    pub(super) failed: bool,
}

impl CacheWrite {
    /// A piece the caller read.
    pub fn piece(&mut self, piece: &Bytes) {
        if !self.failed && !self.writer.write(piece) {
            self.failed = true;
        }
    }

    /// The body ended: kept when it ended well (a broken or abandoned body is not); once
    /// this resolves, lookups find it.
    pub async fn end(self, complete: bool) {
        if complete && !self.failed {
            self.writer.commit(self.encoded.clone()).await;
            self.memo.remember(self.key, self.encoded, self.meta);
        }
    }
}
