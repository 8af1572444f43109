//! Electron's `Certificate` (data as PEM, issuer and subject principals, names, serial
//! number, validity, SHA-256 fingerprint, `issuerCert` chain) as Rust types, made from DER.
//! The binding gives them their JS shape.

use base64::Engine;
use rustls::pki_types::CertificateDer;
use sha2::{Digest, Sha256};
use x509_parser::prelude::{FromDer, X509Certificate, X509Name};

/// One certificate of a chain.
#[derive(Debug, Clone, PartialEq)]
pub struct Certificate {
    /// PEM.
    pub data: String,
    /// `sha256/<base64>` of the DER.
    pub fingerprint: String,
    /// What X.509 parsing found (`None` for DER that does not parse).
    pub fields: Option<CertificateFields>,
    /// The next certificate of the chain (only for one that parsed).
    pub issuer_cert: Option<Box<Certificate>>,
}

/// The parsed fields of a certificate.
#[derive(Debug, Clone, PartialEq)]
pub struct CertificateFields {
    /// The issuer.
    pub issuer: Principal,
    /// Chromium's display name of the issuer.
    pub issuer_name: String,
    /// The subject.
    pub subject: Principal,
    /// Chromium's display name of the subject.
    pub subject_name: String,
    /// Upper-case hex.
    pub serial_number: String,
    /// Seconds since the epoch.
    pub valid_start: f64,
    /// Seconds since the epoch.
    pub valid_expiry: f64,
}

/// Electron's `CertificatePrincipal`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Principal {
    /// CN.
    pub common_name: String,
    /// O, every one.
    pub organizations: Vec<String>,
    /// OU, every one.
    pub organization_units: Vec<String>,
    /// L.
    pub locality: String,
    /// ST.
    pub state: String,
    /// C.
    pub country: String,
}

/// The leaf, each certificate's `issuer_cert` the next in the chain; `None` for no chain.
pub fn chain_to_electron(chain: &[CertificateDer<'_>]) -> Option<Certificate> {
    chain
        .iter()
        .rev()
        .fold(None, |issuer, der| Some(one(der, issuer)))
}

fn one(der: &CertificateDer<'_>, issuer_cert: Option<Certificate>) -> Certificate {
    let data = to_pem(der);
    let fingerprint = format!(
        "sha256/{}",
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(der.as_ref()))
    );
    let Ok((_, cert)) = X509Certificate::from_der(der.as_ref()) else {
        return Certificate {
            data,
            fingerprint,
            fields: None,
            issuer_cert: None,
        };
    };
    let fields = CertificateFields {
        issuer: principal(cert.issuer()),
        issuer_name: display_name(cert.issuer()),
        subject: principal(cert.subject()),
        subject_name: display_name(cert.subject()),
        serial_number: cert
            .raw_serial()
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect(),
        valid_start: cert.validity().not_before.timestamp() as f64,
        valid_expiry: cert.validity().not_after.timestamp() as f64,
    };
    Certificate {
        data,
        fingerprint,
        fields: Some(fields),
        issuer_cert: issuer_cert.map(Box::new),
    }
}

fn to_pem(der: &CertificateDer<'_>) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der.as_ref());
    let mut pem = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in b64.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(line).unwrap_or_default());
        pem.push('\n');
    }
    pem.push_str("-----END CERTIFICATE-----\n");
    pem
}

fn strings<'a>(
    it: impl Iterator<Item = &'a x509_parser::x509::AttributeTypeAndValue<'a>>,
) -> Vec<String> {
    it.filter_map(|a| a.as_str().ok().map(str::to_owned))
        .collect()
}

fn principal(name: &X509Name<'_>) -> Principal {
    let first = |v: Vec<String>| v.into_iter().next().unwrap_or_default();
    Principal {
        common_name: first(strings(name.iter_common_name())),
        organizations: strings(name.iter_organization()),
        organization_units: strings(name.iter_organizational_unit()),
        locality: first(strings(name.iter_locality())),
        state: first(strings(name.iter_state_or_province())),
        country: first(strings(name.iter_country())),
    }
}

/// Chromium's CertPrincipal::GetDisplayName: common name, else organization, else unit.
fn display_name(name: &X509Name<'_>) -> String {
    strings(name.iter_common_name())
        .into_iter()
        .chain(strings(name.iter_organization()))
        .chain(strings(name.iter_organizational_unit()))
        .next()
        .unwrap_or_default()
}
