//! Certificate verification in two steps. During the handshake, `HandshakeVerifier` checks
//! only that the server holds the key of the certificate it sent (the handshake signatures);
//! afterwards `verify_chain` runs webpki against the trust anchors and names the result as
//! Chromium does, so that a verify proc (which may be JS) can see and override it before the
//! connection carries a request.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    AlertDescription, CertificateError, DigitallySignedStruct, Error as TlsError, SignatureScheme,
};

use super::roots::anchors;
use crate::core::net_error::NetError;

/// Accepts any chain during the handshake but still checks the handshake signatures.
#[derive(Debug)]
pub struct HandshakeVerifier {
    provider: Arc<CryptoProvider>,
}

impl HandshakeVerifier {
    /// A verifier using the provider's signature algorithms.
    pub fn new(provider: Arc<CryptoProvider>) -> Self {
        Self { provider }
    }
}

impl ServerCertVerifier for HandshakeVerifier {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, TlsError> {
        // Deferred to `verify_chain`, which runs before any request byte is written.
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// What webpki said of a chain, in Chromium's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainVerdict {
    /// `None` when the chain is valid for the name, else Chromium's certificate error.
    pub error: Option<NetError>,
    /// True when the chain leads to a system or bundled root (not an extra CA).
    pub issued_by_known_root: bool,
}

/// Verifies a server's chain for `host` against the trust anchors.
pub fn verify_chain(
    provider: &Arc<CryptoProvider>,
    chain: &[CertificateDer<'static>],
    host: &str,
) -> ChainVerdict {
    let Some((end_entity, intermediates)) = chain.split_first() else {
        return ChainVerdict {
            error: Some(NetError::CertInvalid),
            issued_by_known_root: false,
        };
    };
    let Ok(name) = ServerName::try_from(
        host.trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned(),
    ) else {
        return ChainVerdict {
            error: Some(NetError::CertCommonNameInvalid),
            issued_by_known_root: false,
        };
    };
    let anchors = anchors();
    let check = |roots| {
        WebPkiServerVerifier::builder_with_provider(roots, provider.clone())
            .build()
            .map_err(|_| NetError::CertAuthorityInvalid)
            .and_then(|v| {
                v.verify_server_cert(end_entity, intermediates, &name, &[], UnixTime::now())
                    .map_err(|e| certificate_error(&e))
            })
    };
    let result = check(anchors.all.clone());
    let issued_by_known_root = match (&result, anchors.has_extra) {
        (Ok(_), false) => true,
        (Ok(_), true) => check(anchors.known.clone()).is_ok(),
        (Err(_), _) => false,
    };
    ChainVerdict {
        error: result.err(),
        issued_by_known_root,
    }
}

/// Chromium's name for a rustls failure (certificate or handshake).
pub fn certificate_error(error: &TlsError) -> NetError {
    match error {
        TlsError::InvalidCertificate(e) => match e {
            CertificateError::UnknownIssuer | CertificateError::BadSignature => {
                NetError::CertAuthorityInvalid
            }
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                NetError::CertCommonNameInvalid
            }
            CertificateError::Expired
            | CertificateError::ExpiredContext { .. }
            | CertificateError::NotValidYet
            | CertificateError::NotValidYetContext { .. } => NetError::CertDateInvalid,
            CertificateError::Revoked => NetError::CertRevoked,
            CertificateError::BadEncoding => NetError::CertInvalid,
            // A CA certificate served as the server's own (a self-signed CA, say): Chromium
            // finds no path to a trusted root for it.
            CertificateError::Other(other)
                if matches!(
                    other.0.downcast_ref::<webpki::Error>(),
                    Some(webpki::Error::CaUsedAsEndEntity)
                ) =>
            {
                NetError::CertAuthorityInvalid
            }
            _ => NetError::CertInvalid,
        },
        TlsError::PeerIncompatible(_) => NetError::SslVersionOrCipherMismatch,
        // Chromium's MapOpenSSLError: these alerts mean no version or suite was shared.
        TlsError::AlertReceived(
            AlertDescription::ProtocolVersion
            | AlertDescription::HandshakeFailure
            | AlertDescription::InsufficientSecurity,
        ) => NetError::SslVersionOrCipherMismatch,
        _ => NetError::SslProtocolError,
    }
}
