//! TLS values as they cross to JS: the verify proc's request, with Electron's
//! `Certificate` objects (field names and shapes as Electron gives them), and a host's last
//! failed chain for a window's 'certificate-error'.

use serde_json::{json, Value};

use crate::core::tls::certificate::{Certificate, Principal};
use crate::core::tls::overrides::Rejection;
use crate::core::tls::VerifyRequest;

/// Electron's `CertificateVerifyProcProcRequest` in JSON.
pub fn verify_request_json(request: &VerifyRequest) -> String {
    let certificate = request
        .certificate
        .as_ref()
        .map_or(Value::Null, certificate_value);
    json!({
        "hostname": request.hostname,
        "certificate": certificate,
        "validatedCertificate": certificate,
        "isIssuedByKnownRoot": request.is_issued_by_known_root,
        "verificationResult": request.verification_result,
        "errorCode": request.error_code,
    })
    .to_string()
}

/// A host's last failed chain for a 'certificate-error': the error, the certificate and the
/// chain's key (hex) that accepting it names.
pub fn certificate_error_json(rejection: &Rejection) -> String {
    let key: String = rejection.key.iter().map(|b| format!("{b:02x}")).collect();
    json!({
        "error": rejection.error.message(),
        "certificate": rejection.certificate.as_ref().map_or(Value::Null, certificate_value),
        "key": key,
    })
    .to_string()
}

fn certificate_value(certificate: &Certificate) -> Value {
    let mut value = json!({ "data": certificate.data });
    let Some(fields) = &certificate.fields else {
        value["fingerprint"] = json!(certificate.fingerprint);
        return value;
    };
    value["issuer"] = principal_value(&fields.issuer);
    value["issuerName"] = json!(fields.issuer_name);
    value["subject"] = principal_value(&fields.subject);
    value["subjectName"] = json!(fields.subject_name);
    value["serialNumber"] = json!(fields.serial_number);
    value["validStart"] = json!(fields.valid_start);
    value["validExpiry"] = json!(fields.valid_expiry);
    value["fingerprint"] = json!(certificate.fingerprint);
    if let Some(issuer) = &certificate.issuer_cert {
        value["issuerCert"] = certificate_value(issuer);
    }
    value
}

fn principal_value(principal: &Principal) -> Value {
    json!({
        "commonName": principal.common_name,
        "organizations": principal.organizations,
        "organizationUnits": principal.organization_units,
        "locality": principal.locality,
        "state": principal.state,
        "country": principal.country,
    })
}
