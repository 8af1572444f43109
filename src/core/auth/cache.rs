//! A session's remembered HTTP credentials (Chromium's HttpAuthCache for servers): by
//! origin and realm, answering later challenges of the realm without asking and pre-empting
//! challenges for paths at or below one that was answered.

use std::sync::Mutex;

use url::Url;

use super::{authorization, request_uri, Challenge, Credentials};

struct CacheEntry {
    origin: String,
    realm: String,
    path: String,
    challenge: Challenge,
    credentials: Credentials,
    nc: u32,
}

/// A session's remembered credentials, by origin and realm.
#[derive(Default)]
pub struct AuthCache {
    entries: Mutex<Vec<CacheEntry>>,
}

fn directory(path: &str) -> &str {
    &path[..path.rfind('/').map_or(0, |i| i + 1)]
}

impl AuthCache {
    /// Remembers credentials that a challenge of `url` was answered with.
    pub fn store(&self, url: &Url, challenge: &Challenge, credentials: &Credentials) {
        let origin = url.origin().ascii_serialization();
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.retain(|e| !(e.origin == origin && e.realm == challenge.realm()));
        entries.push(CacheEntry {
            origin,
            realm: challenge.realm().to_owned(),
            path: directory(url.path()).to_owned(),
            challenge: challenge.clone(),
            credentials: credentials.clone(),
            nc: 1,
        });
    }

    /// Credentials remembered for a challenge's realm on `url`'s origin.
    pub fn lookup(&self, url: &Url, challenge: &Challenge) -> Option<Credentials> {
        let origin = url.origin().ascii_serialization();
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .iter()
            .find(|e| e.origin == origin && e.realm == challenge.realm())
            .map(|e| e.credentials.clone())
    }

    /// Forgets a realm's credentials (they were refused).
    pub fn forget(&self, url: &Url, challenge: &Challenge) {
        let origin = url.origin().ascii_serialization();
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|e| !(e.origin == origin && e.realm == challenge.realm()));
    }

    /// The `Authorization` to send before any challenge: Chromium pre-empts for a path at
    /// or below one that was answered before, reusing the challenge (a Digest nonce counts up).
    pub fn preemptive(&self, url: &Url, method: &str) -> Option<String> {
        let origin = url.origin().ascii_serialization();
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        // NTLM and Negotiate are bound to a connection's handshake: never sent ahead of a
        // challenge.
        let entry = entries.iter_mut().find(|e| {
            e.origin == origin
                && url.path().starts_with(&e.path)
                && !e.challenge.scheme.is_connection_based()
        })?;
        entry.nc += 1;
        Some(authorization(
            &entry.challenge,
            &entry.credentials,
            method,
            &request_uri(url),
            entry.nc,
        ))
    }

    /// `ses.clearAuthCache()`.
    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}
