//! Certificates accepted despite their errors: what a window's 'certificate-error' listener
//! allowed (Chromium's SSLHostStateDelegate::AllowCert), per session, by host and chain; and
//! the last chain each host failed with, so that the embedder can show it and allow it.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use rustls::pki_types::CertificateDer;

use super::certificate::{self, Certificate};
use super::proc::chain_hash;
use crate::core::net_error::NetError;

/// A chain a host failed verification with.
#[derive(Debug, Clone)]
pub struct Rejection {
    /// The chain's hash: what allowing it names.
    pub key: [u8; 32],
    /// The leaf as Electron shows it (issuers chained).
    pub certificate: Option<Certificate>,
    /// The verification error.
    pub error: NetError,
}

/// A session's accepted certificates and last rejections.
#[derive(Default)]
pub struct CertOverrides {
    allowed: Mutex<HashSet<(String, [u8; 32])>>,
    rejected: Mutex<HashMap<String, Rejection>>,
}

/// Whether `error` is a certificate error (Chromium's -200 to -299).
pub fn is_certificate_error(error: NetError) -> bool {
    (-299..=-200).contains(&error.code())
}

impl CertOverrides {
    /// The verdict for `host`'s `chain` after the verifier's `result`: a certificate error
    /// on a chain allowed for the host passes; one that is not is remembered as the host's
    /// last rejection.
    pub fn apply(
        &self,
        host: &str,
        chain: &[CertificateDer<'_>],
        result: Result<(), NetError>,
    ) -> Result<(), NetError> {
        let Err(error) = result else { return Ok(()) };
        if !is_certificate_error(error) {
            return Err(error);
        }
        let host = host.to_ascii_lowercase();
        let key = chain_hash(chain);
        if lock(&self.allowed).contains(&(host.clone(), key)) {
            return Ok(());
        }
        let rejection = Rejection {
            key,
            certificate: certificate::chain_to_electron(chain),
            error,
        };
        lock(&self.rejected).insert(host, rejection);
        Err(error)
    }

    /// The last chain `host` failed with, if any.
    pub fn rejection(&self, host: &str) -> Option<Rejection> {
        lock(&self.rejected)
            .get(&host.to_ascii_lowercase())
            .cloned()
    }

    /// Accepts the chain with `key` for `host` from now on.
    pub fn allow(&self, host: &str, key: [u8; 32]) {
        lock(&self.allowed).insert((host.to_ascii_lowercase(), key));
    }

    /// Forgets every acceptance (a new verify proc, or the session's data cleared).
    pub fn clear(&self) {
        lock(&self.allowed).clear();
        lock(&self.rejected).clear();
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_allowed_chain_passes_for_its_host_only() {
        let overrides = CertOverrides::default();
        let chain = [CertificateDer::from(vec![1u8, 2, 3])];
        let other = [CertificateDer::from(vec![9u8])];
        let invalid = Err(NetError::CertAuthorityInvalid);
        assert_eq!(overrides.apply("Site.test", &chain, invalid), invalid);
        let rejection = overrides.rejection("site.test").unwrap();
        assert_eq!(rejection.error, NetError::CertAuthorityInvalid);
        overrides.allow("site.test", rejection.key);
        assert_eq!(overrides.apply("site.test", &chain, invalid), Ok(()));
        assert_eq!(overrides.apply("other.test", &chain, invalid), invalid);
        assert_eq!(overrides.apply("site.test", &other, invalid), invalid);
        // Not a certificate error: never overridden, nor remembered.
        assert_eq!(
            overrides.apply("x.test", &chain, Err(NetError::Failed)),
            Err(NetError::Failed)
        );
        assert!(overrides.rejection("x.test").is_none());
        overrides.clear();
        assert_eq!(overrides.apply("site.test", &chain, invalid), invalid);
    }
}
