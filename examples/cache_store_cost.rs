//! How long the HTTP cache takes to store and to look up one 1 KiB response, in the core
//! alone (bench tooling, not part of the library): the store path every storable miss pays.
//! `cargo run --release --no-default-features --example cache_store_cost`

use std::sync::Arc;
use std::time::{Instant, SystemTime};

use bytes::Bytes;
use headless_session::core::cache::entry::EntryMeta;
use headless_session::core::cache::policy;
use headless_session::core::cache::store::MemoryCacheStore;
use headless_session::core::cache::{CacheMode, HttpCache};
use headless_session::core::message::ResponseHead;
use url::Url;

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let cache = HttpCache::new(Arc::new(MemoryCacheStore::new(80 << 20)));
    let url = Url::parse("http://127.0.0.1:8080/1k").unwrap();
    let request = pairs(&[
        ("User-Agent", "Mozilla/5.0 headless-session"),
        ("Accept", "*/*"),
        ("Accept-Encoding", "gzip, deflate, br, zstd"),
        ("Accept-Language", "en-US"),
    ]);
    let head = ResponseHead {
        status: 200,
        status_message: "OK".to_owned(),
        version: (1, 1),
        headers: pairs(&[
            ("Content-Type", "application/octet-stream"),
            ("Content-Length", "1024"),
            ("Connection", "keep-alive"),
        ]),
        url: url.clone(),
        ip: None,
    };
    let body = Bytes::from(vec![b'x'; 1024]);
    let rounds = 200_000;
    let start = Instant::now();
    for _ in 0..rounds {
        let mut write = cache
            .writer("GET", &url, &request, &head, SystemTime::now())
            .unwrap();
        write.piece(&body);
        write.end(true).await;
    }
    let store = start.elapsed() / rounds;
    let make_policy = || policy::policy("GET", &url, &request, &head, SystemTime::now());
    let start = Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(make_policy());
    }
    let policy_cost = start.elapsed() / rounds;
    let policy = make_policy();
    let start = Instant::now();
    for _ in 0..rounds {
        let meta = EntryMeta::new(policy.clone(), &head);
        std::hint::black_box(meta.encode());
    }
    let encode_cost = start.elapsed() / rounds;
    let of_which =
        format!("of which policy {policy_cost:?}, metadata and encoding {encode_cost:?}");
    let start = Instant::now();
    for _ in 0..rounds {
        let found = cache
            .lookup("GET", &url, &request, CacheMode::Default, SystemTime::now())
            .await;
        std::hint::black_box(&found);
    }
    let lookup = start.elapsed() / rounds;
    println!("store {store:?} per 1 KiB response ({of_which}), lookup of a stale entry {lookup:?}");
}
