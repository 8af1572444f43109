//! The trust anchors: the operating system's store, the bundled Mozilla roots (so a machine
//! without a store still verifies public sites), and `NODE_EXTRA_CA_CERTS` as Node reads it.

use std::sync::{Arc, OnceLock};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::RootCertStore;

/// The two stores a verification needs.
pub struct TrustAnchors {
    /// System, bundled and extra roots: what a chain must lead to.
    pub all: Arc<RootCertStore>,
    /// System and bundled roots only: a chain to them is "issued by a known root".
    pub known: Arc<RootCertStore>,
    /// True when `NODE_EXTRA_CA_CERTS` added any root.
    pub has_extra: bool,
}

/// Loaded once per process, on first TLS use (Node also reads the variable once).
pub fn anchors() -> &'static TrustAnchors {
    static ANCHORS: OnceLock<TrustAnchors> = OnceLock::new();
    ANCHORS.get_or_init(load)
}

fn load() -> TrustAnchors {
    let mut known = RootCertStore::empty();
    known.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    // A store that fails to load (or partly) leaves the bundled roots in place.
    let system = rustls_native_certs::load_native_certs();
    known.add_parsable_certificates(system.certs);
    let mut all = known.clone();
    let mut has_extra = false;
    if let Some(path) = std::env::var_os("NODE_EXTRA_CA_CERTS") {
        if let Ok(iter) = CertificateDer::pem_file_iter(&path) {
            let extra: Vec<CertificateDer<'static>> = iter.filter_map(Result::ok).collect();
            let (added, _) = all.add_parsable_certificates(extra);
            has_extra = added > 0;
        }
    }
    TrustAnchors {
        all: Arc::new(all),
        known: Arc::new(known),
        has_extra,
    }
}
