//! Microbenchmark of proxy resolution in the core (run by `npm run bench`):
//! `cargo run --release --no-default-features --example proxy_resolve`.
//! Fixed rules with bypass rules, PAC cached lookups, PAC uncached lookups; prints one JSON
//! object.

use std::time::Instant;

use headless_session::core::proxy::{pac::PacEngine, ProxyConfig, ProxyService};
use url::Url;

fn main() {
    let service = ProxyService::default();
    service.set(
        ProxyConfig::from_electron(
            None,
            "",
            "http=proxy-a:3128,proxy-b:3128;https=https://secure:443;socks=socks5://s:1080",
            "*.internal.test,10.0.0.0/8,<local>",
        )
        .expect("rules parse"),
    );
    let urls: Vec<Url> = (0..1000)
        .map(|i| Url::parse(&format!("http://host{i}.example.com/path/{i}")).unwrap())
        .collect();
    let rounds = 2000;
    let start = Instant::now();
    let mut picked = 0usize;
    for _ in 0..rounds {
        for url in &urls {
            picked += service.resolve_fixed(url).len();
        }
    }
    let fixed_per_sec = (rounds * urls.len()) as f64 / start.elapsed().as_secs_f64();
    assert!(picked > 0);

    let script = r#"function FindProxyForURL(url, host) {
        if (isPlainHostName(host) || dnsDomainIs(host, ".internal.test")) return "DIRECT";
        if (shExpMatch(host, "*.example.com")) return "PROXY proxy-a:3128; PROXY proxy-b:3128; DIRECT";
        return "DIRECT";
    }"#;
    let engine = PacEngine::load(script.to_owned()).expect("PAC loads");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let uncached_n = 2000;
    let start = Instant::now();
    runtime.block_on(async {
        for i in 0..uncached_n {
            let url = Url::parse(&format!("http://u{i}.example.com/")).unwrap();
            engine.find(&url).await.unwrap();
        }
    });
    let uncached_us = start.elapsed().as_secs_f64() * 1e6 / uncached_n as f64;
    let cached_n = 200_000;
    let url = Url::parse("http://u1.example.com/x").unwrap();
    let start = Instant::now();
    runtime.block_on(async {
        for _ in 0..cached_n {
            engine.find(&url).await.unwrap();
        }
    });
    let cached_us = start.elapsed().as_secs_f64() * 1e6 / cached_n as f64;
    println!(
        "{{\"fixedResolutionsPerSecond\": {fixed_per_sec:.0}, \"pacCachedMicros\": {cached_us:.3}, \"pacUncachedMicros\": {uncached_us:.2}}}"
    );
}
