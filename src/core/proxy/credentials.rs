//! A session's proxy auth cache (Chromium's HttpAuthCache for proxies): per proxy, the
//! challenge it last sent, the credentials that answer it (a `login` answer, or default
//! credentials, or the system's Kerberos ticket for Negotiate), and which scheme the last
//! answer used, so that a 407 can tell a refusal from a challenge that was not answered yet.
//! Credentials in the proxy's URI come first.

use std::collections::HashMap;
use std::sync::Mutex;

use super::ProxyServer;
use crate::core::auth::{self, gssapi, Challenge, Credentials, Scheme};

#[derive(Default)]
struct Entry {
    credentials: Option<Credentials>,
    challenge: Option<Challenge>,
    answered: Option<Scheme>,
    refused: bool,
    nc: u32,
    /// Negotiate is answered with the system's Kerberos ticket.
    kerberos: bool,
}

/// A `Proxy-Authorization` the cache made.
pub struct Answer {
    /// The scheme it answers.
    pub scheme: Scheme,
    /// The header value.
    pub header: String,
    /// The credentials a handshake's next leg is made from (`None` for a Kerberos token,
    /// which has no next leg here).
    pub credentials: Option<Credentials>,
}

/// Proxy credentials by proxy.
#[derive(Default)]
pub struct ProxyCredentials {
    entries: Mutex<HashMap<String, Entry>>,
}

fn uri_credentials(proxy: &ProxyServer) -> Option<Credentials> {
    proxy.credentials.as_ref().map(|(u, p)| Credentials {
        username: u.clone(),
        password: p.clone(),
    })
}

impl ProxyCredentials {
    fn with<R>(&self, proxy: &ProxyServer, f: impl FnOnce(&mut Entry) -> R) -> R {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        f(entries.entry(proxy.host_port()).or_default())
    }

    /// The credentials for `proxy`: its URI's, else remembered ones.
    pub fn credentials(&self, proxy: &ProxyServer) -> Option<Credentials> {
        uri_credentials(proxy).or_else(|| self.with(proxy, |e| e.credentials.clone()))
    }

    /// Remembers credentials for `proxy`; `None` forgets them.
    pub fn remember(&self, proxy: &ProxyServer, credentials: Option<Credentials>) {
        self.with(proxy, |e| {
            e.credentials = credentials;
            e.answered = None;
            e.kerberos = false;
        });
    }

    /// Answers `proxy`'s Negotiate challenges with the system's Kerberos ticket from now on
    /// (until a refusal).
    pub fn use_kerberos(&self, proxy: &ProxyServer) {
        self.with(proxy, |e| e.kerberos = true);
    }

    /// Records the challenge of a 407 (a connection-based one without its token, which
    /// belongs to one connection). Returns whether the last answer used the same scheme,
    /// i.e. whether the credentials were refused (a stale Digest nonce is not a refusal).
    pub fn note_challenge(&self, proxy: &ProxyServer, challenge: &Challenge) -> bool {
        let mut challenge = challenge.clone();
        challenge.params.remove("token");
        let stale = challenge
            .params
            .get("stale")
            .is_some_and(|s| s.eq_ignore_ascii_case("true"));
        self.with(proxy, |e| {
            let refused = e.answered == Some(challenge.scheme) && !stale;
            e.challenge = Some(challenge);
            e.answered = None;
            e.refused = refused;
            e.nc = 0;
            refused
        })
    }

    /// Whether the last challenge noted for `proxy` refused the answer before it.
    pub fn was_refused(&self, proxy: &ProxyServer) -> bool {
        self.with(proxy, |e| e.refused)
    }

    /// The challenge `proxy` last sent.
    pub fn challenge(&self, proxy: &ProxyServer) -> Option<Challenge> {
        self.with(proxy, |e| e.challenge.clone())
    }

    /// The `Proxy-Authorization` for a `method` request to `uri` (the path, or `host:port`
    /// for CONNECT) through `proxy`: a fresh Kerberos token where Kerberos answers it, else
    /// the last challenge answered from the credentials (a connection-based scheme's first
    /// message), or Basic when the proxy has not challenged yet and its URI carries
    /// credentials. `None` without credentials.
    pub async fn authorization(
        &self,
        proxy: &ProxyServer,
        method: &str,
        uri: &str,
    ) -> Option<Answer> {
        if self.with(proxy, |e| e.kerberos) {
            let header = gssapi::negotiate_header(proxy.host.clone()).await?;
            self.with(proxy, |e| e.answered = Some(Scheme::Negotiate));
            return Some(Answer {
                scheme: Scheme::Negotiate,
                header,
                credentials: None,
            });
        }
        let from_uri = uri_credentials(proxy);
        self.with(proxy, |e| {
            let credentials = from_uri.or_else(|| e.credentials.clone())?;
            let challenge = e.challenge.clone().unwrap_or_else(|| Challenge {
                scheme: Scheme::Basic,
                params: HashMap::new(),
            });
            e.answered = Some(challenge.scheme);
            e.nc += 1;
            let header = auth::authorization(&challenge, &credentials, method, uri, e.nc);
            Some(Answer {
                scheme: challenge.scheme,
                header,
                credentials: Some(credentials),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn tells_refusals_from_new_challenges() {
        let cache = ProxyCredentials::default();
        let proxy = ProxyServer::parse_uri(
            "http://u:p@proxy.test:3128",
            super::super::ProxyScheme::Http,
        )
        .unwrap();
        // Not challenged yet: Basic from the URI.
        let first = cache.authorization(&proxy, "GET", "/").await.unwrap();
        assert_eq!(first.header, "Basic dTpw");
        let digest = auth::pick_challenge(["Digest realm=\"r\", nonce=\"n\""].into_iter()).unwrap();
        assert!(
            !cache.note_challenge(&proxy, &digest),
            "Basic was sent, not Digest"
        );
        let second = cache
            .authorization(&proxy, "CONNECT", "a.test:443")
            .await
            .unwrap()
            .header;
        assert!(second.starts_with("Digest username=\"u\""), "{second}");
        assert!(second.contains("uri=\"a.test:443\""), "{second}");
        assert!(
            cache.note_challenge(&proxy, &digest),
            "the Digest answer was refused"
        );
        let stale =
            auth::pick_challenge(["Digest realm=\"r\", nonce=\"m\", stale=true"].into_iter())
                .unwrap();
        cache.authorization(&proxy, "GET", "/").await;
        assert!(!cache.note_challenge(&proxy, &stale));
        let bare =
            ProxyServer::parse_uri("proxy.test:8080", super::super::ProxyScheme::Http).unwrap();
        assert!(cache.authorization(&bare, "GET", "/").await.is_none());
        cache.remember(
            &bare,
            Some(Credentials {
                username: "x".into(),
                password: "y".into(),
            }),
        );
        assert_eq!(
            cache.authorization(&bare, "GET", "/").await.unwrap().header,
            "Basic eDp5"
        );
    }
}
