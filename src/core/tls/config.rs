//! A session's TLS settings (Electron's `setSSLConfig`) and the rustls client configuration
//! built from them, rebuilt whenever they change.

use std::sync::{Arc, RwLock};

use rustls::crypto::{ring, CryptoProvider};
use rustls::{ClientConfig, SupportedProtocolVersion};

use super::overrides::CertOverrides;
use super::proc::ProcSlot;
use super::verify::HandshakeVerifier;
use crate::core::{Error, Result};

/// TLS versions as Electron names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TlsVersion {
    /// `'tls1'` (not offered by rustls; treated as 1.2 when a minimum).
    Tls1,
    /// `'tls1.1'` (likewise).
    Tls11,
    /// `'tls1.2'`.
    Tls12,
    /// `'tls1.3'`.
    Tls13,
}

impl TlsVersion {
    /// Parses Electron's strings.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "tls1" => Self::Tls1,
            "tls1.1" => Self::Tls11,
            "tls1.2" => Self::Tls12,
            "tls1.3" => Self::Tls13,
            _ => return None,
        })
    }
}

/// Electron's `SSLConfigConfig`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SslConfig {
    /// Lowest version offered (Electron's default `tls1.2`).
    pub min_version: TlsVersion,
    /// Highest version offered (default `tls1.3`).
    pub max_version: TlsVersion,
    /// IANA cipher suite numbers never offered.
    pub disabled_cipher_suites: Vec<u16>,
}

impl Default for SslConfig {
    fn default() -> Self {
        Self {
            min_version: TlsVersion::Tls12,
            max_version: TlsVersion::Tls13,
            disabled_cipher_suites: Vec::new(),
        }
    }
}

/// The TLS half of a session: its settings, the rustls config made of them, its verify proc.
pub struct TlsContext {
    provider: Arc<CryptoProvider>,
    config: RwLock<(SslConfig, Arc<ClientConfig>)>,
    /// The session's `setCertificateVerifyProc` and its cached decisions.
    pub proc: ProcSlot,
    /// Certificates accepted despite their errors, and the last rejections.
    pub overrides: CertOverrides,
}

impl Default for TlsContext {
    fn default() -> Self {
        let provider = Arc::new(ring::default_provider());
        let config =
            build(&provider, &SslConfig::default()).expect("the default TLS config builds");
        Self {
            provider,
            config: RwLock::new((SslConfig::default(), config)),
            proc: ProcSlot::default(),
            overrides: CertOverrides::default(),
        }
    }
}

impl TlsContext {
    /// The crypto provider (for the after-handshake chain check).
    pub fn provider(&self) -> &Arc<CryptoProvider> {
        &self.provider
    }

    /// The rustls config new connections use.
    pub fn client_config(&self) -> Arc<ClientConfig> {
        self.config
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .1
            .clone()
    }

    /// Applies Electron's `setSSLConfig`; a config offering no version or no cipher suite is
    /// refused and the old one kept.
    pub fn set_config(&self, config: SslConfig) -> Result<()> {
        let built = build(&self.provider, &config)?;
        *self.config.write().unwrap_or_else(|p| p.into_inner()) = (config, built);
        Ok(())
    }
}

fn build(provider: &Arc<CryptoProvider>, config: &SslConfig) -> Result<Arc<ClientConfig>> {
    let min = config.min_version.max(TlsVersion::Tls12);
    let max = config.max_version;
    let versions: Vec<&'static SupportedProtocolVersion> = [
        (TlsVersion::Tls12, &rustls::version::TLS12),
        (TlsVersion::Tls13, &rustls::version::TLS13),
    ]
    .into_iter()
    .filter(|(v, _)| *v >= min && *v <= max)
    .map(|(_, p)| p)
    .collect();
    if versions.is_empty() {
        return Err(Error::InvalidArgument(
            "No TLS version is left between minVersion and maxVersion".to_owned(),
        ));
    }
    let mut provider = CryptoProvider::clone(provider);
    provider.cipher_suites.retain(|s| {
        !config
            .disabled_cipher_suites
            .contains(&u16::from(s.suite()))
    });
    if provider.cipher_suites.is_empty() {
        return Err(Error::InvalidArgument(
            "disabledCipherSuites leaves no cipher suite".to_owned(),
        ));
    }
    let provider = Arc::new(provider);
    let mut tls = ClientConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(&versions)
        .map_err(|e| Error::InvalidArgument(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(HandshakeVerifier::new(provider)))
        .with_no_client_auth();
    tls.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Arc::new(tls))
}
