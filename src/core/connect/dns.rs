//! The per-session host resolver: the host resolver rules, then the system resolver
//! (getaddrinfo on tokio's blocking pool, as Chromium's system resolver), with Chromium's
//! host cache: answers kept for 60 seconds (getaddrinfo gives no TTL; Chromium uses the same
//! fixed lifetime for it), failures not kept.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::rules::{self, Mapping};
use crate::core::net_error::NetError;

/// How long a system-resolver answer is reused (Chromium's `kCacheEntryTTLSeconds`).
pub const CACHE_TTL: Duration = Duration::from_secs(60);

/// Which address families `resolve_host` asks for (Electron's `queryType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueryType {
    /// Both families.
    #[default]
    Any,
    /// IPv4 only (`'A'`).
    A,
    /// IPv6 only (`'AAAA'`).
    Aaaa,
}

/// Whether the cache may answer (Electron's `cacheUsage`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CacheUsage {
    /// Use and fill the cache.
    #[default]
    Allowed,
    /// Stale entries may answer too.
    StaleAllowed,
    /// Neither read nor write the cache.
    Disallowed,
}

struct Entry {
    addresses: Vec<IpAddr>,
    expires: Instant,
}

/// One session's resolver and cache.
#[derive(Default)]
pub struct HostResolver {
    cache: Mutex<HashMap<String, Entry>>,
}

impl HostResolver {
    /// The addresses a connection to `host:port` tries, in order, after the host resolver
    /// rules (which may also change the port).
    pub async fn resolve(&self, host: &str, port: u16) -> Result<Vec<SocketAddr>, NetError> {
        let (host, port) = match rules::global().map(host, port) {
            Mapping::Unchanged => (host.to_owned(), port),
            Mapping::To(h, p) => (h, p),
            Mapping::NotFound => return Err(NetError::NameNotResolved),
        };
        let ips = self
            .lookup(&host, QueryType::Any, CacheUsage::Allowed)
            .await?;
        Ok(ips
            .into_iter()
            .map(|ip| SocketAddr::new(ip, port))
            .collect())
    }

    /// Electron's `ses.resolveHost(host, options)`: the addresses of a name, after the rules.
    pub async fn resolve_host(
        &self,
        host: &str,
        query: QueryType,
        cache: CacheUsage,
    ) -> Result<Vec<IpAddr>, NetError> {
        let host = match rules::global().map(host, 0) {
            Mapping::Unchanged => host.to_owned(),
            Mapping::To(h, _) => h,
            Mapping::NotFound => return Err(NetError::NameNotResolved),
        };
        let ips = self.lookup(&host, query, cache).await?;
        let ips: Vec<IpAddr> = ips
            .into_iter()
            .filter(|ip| match query {
                QueryType::Any => true,
                QueryType::A => ip.is_ipv4(),
                QueryType::Aaaa => ip.is_ipv6(),
            })
            .collect();
        if ips.is_empty() {
            return Err(NetError::NameNotResolved);
        }
        Ok(ips)
    }

    /// Empties the cache (`ses.clearHostResolverCache()`).
    pub fn clear_cache(&self) {
        self.cache.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    async fn lookup(
        &self,
        host: &str,
        _query: QueryType,
        usage: CacheUsage,
    ) -> Result<Vec<IpAddr>, NetError> {
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        if let Ok(ip) = bare.parse::<IpAddr>() {
            return Ok(vec![ip]);
        }
        let key = host.to_ascii_lowercase();
        // Chromium answers localhost names itself, without asking the system.
        if key == "localhost" || key.ends_with(".localhost") {
            return Ok(vec![
                IpAddr::from([127, 0, 0, 1]),
                IpAddr::from([0u16, 0, 0, 0, 0, 0, 0, 1]),
            ]);
        }
        if usage != CacheUsage::Disallowed {
            let cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(entry) = cache.get(&key) {
                if usage == CacheUsage::StaleAllowed || entry.expires > Instant::now() {
                    return Ok(entry.addresses.clone());
                }
            }
        }
        let addresses: Vec<IpAddr> = tokio::net::lookup_host((key.as_str(), 0))
            .await
            .map_err(|_| NetError::NameNotResolved)?
            .map(|a| a.ip())
            .collect();
        if addresses.is_empty() {
            return Err(NetError::NameNotResolved);
        }
        if usage != CacheUsage::Disallowed {
            self.cache.lock().unwrap_or_else(|p| p.into_inner()).insert(
                key,
                Entry {
                    addresses: addresses.clone(),
                    expires: Instant::now() + CACHE_TTL,
                },
            );
        }
        Ok(addresses)
    }
}
