//! `ses.setCertificateVerifyProc`: the hook, what it is asked, and the per-session cache of
//! its decisions keyed by host and certificate chain. A proc that fails or does not answer in
//! time fails the connection closed.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use rustls::pki_types::CertificateDer;
use sha2::{Digest, Sha256};

use super::certificate;
use super::verify::ChainVerdict;
use crate::core::net_error::NetError;

/// How long a proc may take before the connection fails.
pub const PROC_TIMEOUT: Duration = Duration::from_secs(30);

/// What the proc is asked: Electron's `CertificateVerifyProcProcRequest`.
#[derive(Debug, Clone)]
pub struct VerifyRequest {
    /// The host the connection is for.
    pub hostname: String,
    /// The leaf (with `issuer_cert` chained); also Electron's `validatedCertificate`.
    pub certificate: Option<certificate::Certificate>,
    /// True when the chain leads to a system or bundled root.
    pub is_issued_by_known_root: bool,
    /// `net::OK` or Chromium's error string.
    pub verification_result: String,
    /// 0 or Chromium's error number.
    pub error_code: i32,
}

/// The proc's answer: 0 accepts, -3 takes the default verdict, any other code fails.
pub type VerifyDecision = i32;

/// A verify proc (in the binding, a JS function).
pub trait VerifyProc: Send + Sync {
    /// Answers for one connection; `Err` when the proc threw (its message).
    fn verify(
        &self,
        request: VerifyRequest,
    ) -> Pin<Box<dyn Future<Output = Result<VerifyDecision, String>> + Send>>;
}

/// A session's proc and its cached decisions.
#[derive(Default)]
pub struct ProcSlot {
    proc: RwLock<Option<Arc<dyn VerifyProc>>>,
    decisions: Mutex<HashMap<(String, [u8; 32]), VerifyDecision>>,
}

impl ProcSlot {
    /// Sets or clears the proc; earlier decisions are forgotten.
    pub fn set(&self, proc: Option<Arc<dyn VerifyProc>>) {
        *self.proc.write().unwrap_or_else(|p| p.into_inner()) = proc;
        self.decisions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }

    /// The final verdict for a chain: the proc's decision when there is a proc, else webpki's.
    pub async fn decide(
        &self,
        host: &str,
        chain: &[CertificateDer<'static>],
        verdict: ChainVerdict,
    ) -> Result<(), NetError> {
        let proc = self.proc.read().unwrap_or_else(|p| p.into_inner()).clone();
        let Some(proc) = proc else {
            return verdict.error.map_or(Ok(()), Err);
        };
        let key = (host.to_ascii_lowercase(), chain_hash(chain));
        let cached = self
            .decisions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
            .copied();
        let decision = match cached {
            Some(d) => d,
            None => {
                let request = VerifyRequest {
                    hostname: host.to_owned(),
                    certificate: certificate::chain_to_electron(chain),
                    is_issued_by_known_root: verdict.issued_by_known_root,
                    verification_result: verdict
                        .error
                        .map_or_else(|| "net::OK".to_owned(), NetError::message),
                    error_code: verdict.error.map_or(0, NetError::code),
                };
                let answer = tokio::time::timeout(PROC_TIMEOUT, proc.verify(request)).await;
                let Ok(Ok(d)) = answer else {
                    // Thrown, or no answer in time: fail closed, remember nothing.
                    return Err(NetError::Failed);
                };
                self.decisions
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(key, d);
                d
            }
        };
        match decision {
            0 => Ok(()),
            -3 => verdict.error.map_or(Ok(()), Err),
            code => Err(NetError::from_code(code).unwrap_or(NetError::Failed)),
        }
    }
}

/// A chain's identity: SHA-256 over its certificates, length-prefixed.
pub(super) fn chain_hash(chain: &[CertificateDer<'_>]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for cert in chain {
        hasher.update((cert.len() as u32).to_be_bytes());
        hasher.update(cert.as_ref());
    }
    hasher.finalize().into()
}
