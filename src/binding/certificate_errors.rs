//! A session's certificate errors from JS (a window's 'certificate-error'): the chain a
//! host last failed verification with, as Electron's Certificate, and accepting it.

use napi_derive::napi;

use super::session::NativeSession;
use super::tls_wire::certificate_error_json;

#[napi]
impl NativeSession {
    /// The chain `host` last failed with: `{ error, certificate, key }` in JSON (`key` names
    /// the chain for `allowCertificate`), or `null`.
    #[napi]
    pub fn rejected_certificate(&self, host: String) -> Option<String> {
        let rejection = self.inner.net().tls.overrides.rejection(&host)?;
        Some(certificate_error_json(&rejection))
    }

    /// Accepts the chain named `key` (hex) for `host` from now on.
    #[napi]
    pub fn allow_certificate(&self, host: String, key: String) {
        let mut bytes = [0u8; 32];
        if key.len() != 64 {
            return;
        }
        for (i, byte) in bytes.iter_mut().enumerate() {
            match u8::from_str_radix(&key[i * 2..i * 2 + 2], 16) {
                Ok(b) => *byte = b,
                Err(_) => return,
            }
        }
        self.inner.net().tls.overrides.allow(&host, bytes);
    }
}
