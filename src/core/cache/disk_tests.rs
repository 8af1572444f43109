//! Tests of the disk store: reopening, damage, leftovers of killed writes, eviction.

use super::*;
use crate::core::cache::disk_file::TRAILER;

async fn put(store: &DiskCacheStore, key: &str, body: &[u8], meta: &[u8]) {
    let mut writer = store.writer(key);
    assert!(writer.write(&Bytes::copy_from_slice(body)));
    writer.commit(Bytes::copy_from_slice(meta)).await;
}

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "hs-disk-cache-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn keeps_entries_across_reopening_and_drops_damaged_ones() {
    let dir = temp_dir();
    let store = DiskCacheStore::new(dir.clone(), 1 << 20);
    put(&store, "http://a/", b"body a", b"meta a").await;
    put(&store, "http://b/", b"body b", b"meta b").await;
    let a = store.get("http://a/").await.unwrap();
    assert!(matches!(a.body, StoredBody::Bytes(_)));
    let a_body = a.body.into_bytes().await.unwrap();
    assert_eq!((&a_body[..], &a.meta[..]), (&b"body a"[..], &b"meta a"[..]));
    // A leftover temporary file (a killed write) and a damaged entry.
    std::fs::write(dir.join("x.1.tmp"), b"partial").unwrap();
    let b_path = dir.join(file_name("http://b/"));
    let mut data = std::fs::read(&b_path).unwrap();
    data[10] ^= 0xff;
    std::fs::write(&b_path, data).unwrap();
    let reopened = DiskCacheStore::new(dir.clone(), 1 << 20);
    let a = reopened.get("http://a/").await.unwrap();
    assert_eq!(&a.body.into_bytes().await.unwrap()[..], b"body a");
    assert!(reopened.get("http://b/").await.is_none());
    assert!(!b_path.exists());
    assert!(!dir.join("x.1.tmp").exists());
    reopened.clear().await;
    assert_eq!(reopened.size().await, 0);
    assert!(reopened.get("http://a/").await.is_none());
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn evicts_the_least_recently_used_and_abandons_what_is_not_committed() {
    let dir = temp_dir();
    let entry = 8 + 9 + 100 + 1 + TRAILER as u64;
    let store = DiskCacheStore::new(dir.clone(), entry * 8);
    for key in ["http://1/", "http://2/", "http://3/", "http://4/"] {
        put(&store, key, &[7u8; 100], b"m").await;
    }
    for key in ["http://5/", "http://6/", "http://7/", "http://8/"] {
        put(&store, key, &[7u8; 100], b"m").await;
    }
    assert!(store.get("http://1/").await.is_some());
    put(&store, "http://9/", &[7u8; 100], b"m").await;
    assert!(store.get("http://2/").await.is_none());
    assert!(store.get("http://1/").await.is_some());
    let mut abandoned = store.writer("http://gone/");
    assert!(abandoned.write(&Bytes::from_static(b"half")));
    drop(abandoned);
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert!(store.get("http://gone/").await.is_none());
    let leftovers = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "tmp")
        })
        .count();
    assert_eq!(leftovers, 0);
    let _ = std::fs::remove_dir_all(dir);
}

/// A body of `len` bytes that is not all one value.
fn patterned(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

#[tokio::test]
async fn streams_large_bodies_and_drops_them_when_damaged() {
    let dir = temp_dir();
    let store = DiskCacheStore::new(dir.clone(), 64 << 20);
    let body = patterned(3 << 20);
    let mut writer = store.writer("http://big/");
    for piece in body.chunks(64 * 1024) {
        assert!(writer.write(&Bytes::copy_from_slice(piece)));
    }
    writer.commit(Bytes::from_static(b"meta")).await;
    let found = store.get("http://big/").await.unwrap();
    assert!(matches!(found.body, StoredBody::Reader(..)));
    assert_eq!(&found.meta[..], b"meta");
    assert!(found.body.into_bytes().await.unwrap() == body);
    // New metadata keeps the body (copied as a stream).
    store
        .update_meta("http://big/", Bytes::from_static(b"meta 2"))
        .await;
    let found = store.get("http://big/").await.unwrap();
    assert_eq!(&found.meta[..], b"meta 2");
    assert!(found.body.into_bytes().await.unwrap() == body);
    // Another key never reads it.
    assert!(store.get("http://other/").await.is_none());
    // One flipped byte in the middle of the body: dropped, not served.
    let path = dir.join(file_name("http://big/"));
    let mut data = std::fs::read(&path).unwrap();
    data[2 << 20] ^= 1;
    std::fs::write(&path, data).unwrap();
    assert!(store.get("http://big/").await.is_none());
    assert!(!path.exists());
    assert_eq!(store.size().await, 0);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn gives_an_entry_up_rather_than_buffering_what_the_disk_has_not_taken() {
    let dir = temp_dir();
    let store = DiskCacheStore::new(dir.clone(), 1 << 40);
    let mut writer = store.writer("http://fast/");
    // Handed over faster than any disk writes (no await in between): past the backlog's
    // bound the writer refuses, and nothing is kept.
    let piece = Bytes::from(vec![1u8; 1 << 20]);
    let taken = (0..64).take_while(|_| writer.write(&piece)).count();
    assert!((16..64).contains(&taken), "{taken}");
    drop(writer);
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert!(store.get("http://fast/").await.is_none());
    let _ = std::fs::remove_dir_all(dir);
}
