//! Digest access authentication (RFC 7616, as Chromium's HttpAuthHandlerDigest answers it):
//! MD5, SHA-256 and their `-sess` forms, `qop=auth` with a client nonce and nonce count.

use md5::Md5;
use sha2::{Digest, Sha256};

use super::{Challenge, Credentials};

fn hex_digest(algorithm: &str, data: &str) -> String {
    let bytes: Vec<u8> = if algorithm.starts_with("SHA-256") {
        Sha256::digest(data.as_bytes()).to_vec()
    } else {
        Md5::digest(data.as_bytes()).to_vec()
    };
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The `Digest ...` header value answering `challenge` for `method` on `uri`.
pub fn authorization(
    challenge: &Challenge,
    creds: &Credentials,
    method: &str,
    uri: &str,
    nc: u32,
) -> String {
    let p = &challenge.params;
    let get = |k: &str| p.get(k).map_or("", String::as_str);
    let algorithm = if get("algorithm").is_empty() {
        "MD5"
    } else {
        get("algorithm")
    };
    let realm = get("realm");
    let nonce = get("nonce");
    let cnonce: String = {
        let seed = format!(
            "{:?}{nc}{}",
            std::time::SystemTime::now(),
            std::process::id()
        );
        hex_digest("MD5", &seed)[..16].to_owned()
    };
    let mut ha1 = hex_digest(
        algorithm,
        &format!("{}:{realm}:{}", creds.username, creds.password),
    );
    if algorithm.ends_with("-sess") {
        ha1 = hex_digest(algorithm, &format!("{ha1}:{nonce}:{cnonce}"));
    }
    let ha2 = hex_digest(algorithm, &format!("{method}:{uri}"));
    let qop_auth = get("qop").split(',').any(|q| q.trim() == "auth");
    let nc_text = format!("{nc:08x}");
    let response = if qop_auth {
        hex_digest(
            algorithm,
            &format!("{ha1}:{nonce}:{nc_text}:{cnonce}:auth:{ha2}"),
        )
    } else {
        hex_digest(algorithm, &format!("{ha1}:{nonce}:{ha2}"))
    };
    let mut header = format!(
        "Digest username=\"{}\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{uri}\", algorithm={algorithm}, response=\"{response}\"",
        creds.username
    );
    if !get("opaque").is_empty() {
        header.push_str(&format!(", opaque=\"{}\"", get("opaque")));
    }
    if qop_auth {
        header.push_str(&format!(", qop=auth, nc={nc_text}, cnonce=\"{cnonce}\""));
    }
    header
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_rfc_2617_example() {
        // RFC 2617 section 3.5, in the form without qop (no client nonce to fix).
        let mut params = std::collections::HashMap::new();
        params.insert("realm".to_owned(), "testrealm@host.com".to_owned());
        params.insert(
            "nonce".to_owned(),
            "dcd98b7102dd2f0e8b11d0f600bfb0c093".to_owned(),
        );
        let c = Challenge {
            scheme: super::super::Scheme::Digest,
            params,
        };
        let creds = Credentials {
            username: "Mufasa".into(),
            password: "Circle Of Life".into(),
        };
        let header = authorization(&c, &creds, "GET", "/dir/index.html", 1);
        // HA1 = md5(Mufasa:testrealm@host.com:Circle Of Life), HA2 = md5(GET:/dir/index.html)
        assert!(
            header.contains("response=\"670fd8c2df070c60b045671b8b24ff02\""),
            "{header}"
        );
        assert!(header.contains("uri=\"/dir/index.html\""), "{header}");
    }
}
