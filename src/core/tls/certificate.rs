//! Electron's `Certificate` object (data as PEM, issuer and subject principals, names,
//! serial number, validity, SHA-256 fingerprint, `issuerCert` chain) made from DER.

use base64::Engine;
use rustls::pki_types::CertificateDer;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use x509_parser::prelude::{FromDer, X509Certificate, X509Name};

/// The leaf as Electron shows it, each certificate's `issuerCert` the next in the chain.
pub fn chain_to_electron(chain: &[CertificateDer<'_>]) -> Value {
    chain
        .iter()
        .rev()
        .fold(Value::Null, |issuer, der| one(der, issuer))
}

fn one(der: &CertificateDer<'_>, issuer_cert: Value) -> Value {
    let pem = to_pem(der);
    let fingerprint = format!(
        "sha256/{}",
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(der.as_ref()))
    );
    let Ok((_, cert)) = X509Certificate::from_der(der.as_ref()) else {
        return json!({ "data": pem, "fingerprint": fingerprint });
    };
    let subject = principal(cert.subject());
    let issuer = principal(cert.issuer());
    let mut value = json!({
        "data": pem,
        "issuer": issuer,
        "issuerName": display_name(cert.issuer()),
        "subject": subject,
        "subjectName": display_name(cert.subject()),
        "serialNumber": cert.raw_serial().iter().map(|b| format!("{b:02X}")).collect::<String>(),
        "validStart": cert.validity().not_before.timestamp() as f64,
        "validExpiry": cert.validity().not_after.timestamp() as f64,
        "fingerprint": fingerprint,
    });
    if !issuer_cert.is_null() {
        value["issuerCert"] = issuer_cert;
    }
    value
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

/// Electron's `CertificatePrincipal`.
fn principal(name: &X509Name<'_>) -> Value {
    let first = |v: Vec<String>| v.into_iter().next().unwrap_or_default();
    json!({
        "commonName": first(strings(name.iter_common_name())),
        "organizations": strings(name.iter_organization()),
        "organizationUnits": strings(name.iter_organizational_unit()),
        "locality": first(strings(name.iter_locality())),
        "state": first(strings(name.iter_state_or_province())),
        "country": first(strings(name.iter_country())),
    })
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
