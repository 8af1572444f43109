//! NTLM authentication (NTLMv2, as MS-NLMP describes it): the Type 1 negotiate message, the
//! server's Type 2 challenge, and the Type 3 answer computed from a user name (`DOMAIN\user`
//! or `user@domain` or plain), password and the challenge. The hashes come from RustCrypto
//! (md4, hmac with md-5). Messages are raw bytes: `super` frames them as `NTLM <base64>`,
//! `negotiate` inside SPNEGO. The handshake is bound to one connection, which the pool (or
//! the CONNECT tunnel) keeps for the next leg.

use hmac::{Hmac, Mac};
use md4::{Digest, Md4};
use md5::Md5;

const NEGOTIATE_UNICODE: u32 = 0x0000_0001;
const REQUEST_TARGET: u32 = 0x0000_0004;
const NEGOTIATE_NTLM: u32 = 0x0000_0200;
const NEGOTIATE_ALWAYS_SIGN: u32 = 0x0000_8000;
const NEGOTIATE_EXTENDED_SECURITY: u32 = 0x0008_0000;
const NEGOTIATE_TARGET_INFO: u32 = 0x0080_0000;

const FLAGS: u32 = NEGOTIATE_UNICODE
    | REQUEST_TARGET
    | NEGOTIATE_NTLM
    | NEGOTIATE_ALWAYS_SIGN
    | NEGOTIATE_EXTENDED_SECURITY
    | NEGOTIATE_TARGET_INFO;

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn hmac_md5(key: &[u8], data: &[&[u8]]) -> [u8; 16] {
    let mut mac = <Hmac<Md5> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    for part in data {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// The Type 1 (negotiate) message.
pub fn negotiate() -> Vec<u8> {
    let mut m = Vec::with_capacity(32);
    m.extend_from_slice(b"NTLMSSP\0");
    m.extend_from_slice(&1u32.to_le_bytes());
    m.extend_from_slice(&FLAGS.to_le_bytes());
    // Empty domain and workstation fields.
    for _ in 0..2 {
        m.extend_from_slice(&[0, 0, 0, 0]);
        m.extend_from_slice(&32u32.to_le_bytes());
    }
    m
}

fn field(message: &[u8], offset: usize) -> Option<&[u8]> {
    let len = u16::from_le_bytes(message.get(offset..offset + 2)?.try_into().ok()?) as usize;
    let at = u32::from_le_bytes(message.get(offset + 4..offset + 8)?.try_into().ok()?) as usize;
    message.get(at..at + len)
}

/// Splits `DOMAIN\user` or `user@domain`.
fn split_user(username: &str) -> (&str, &str) {
    if let Some((domain, user)) = username.split_once('\\') {
        return (domain, user);
    }
    if let Some((user, domain)) = username.rsplit_once('@') {
        return (domain, user);
    }
    ("", username)
}

/// The Type 3 (authenticate) message answering a Type 2 challenge; `None` when the
/// challenge is not one.
pub fn authenticate(type2: &[u8], username: &str, password: &str) -> Option<Vec<u8>> {
    if type2.get(0..8)? != b"NTLMSSP\0"
        || u32::from_le_bytes(type2.get(8..12)?.try_into().ok()?) != 2
    {
        return None;
    }
    let server_challenge = type2.get(24..32)?;
    let target_info = field(type2, 40).unwrap_or_default();
    let (domain, user) = split_user(username);

    let nt_hash: [u8; 16] = Md4::digest(utf16(password)).into();
    let identity = utf16(&format!("{}{}", user.to_uppercase(), domain));
    let v2_hash = hmac_md5(&nt_hash, &[&identity]);
    let client_challenge: [u8; 8] = {
        let seed = format!("{:?}{}", std::time::SystemTime::now(), std::process::id());
        let digest = Md4::digest(seed.as_bytes());
        digest[..8].try_into().ok()?
    };
    // Windows FILETIME: 100 ns ticks since 1601.
    let ticks = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos() as u64
        / 100
        + 116_444_736_000_000_000;
    let mut blob = vec![1, 1, 0, 0, 0, 0, 0, 0];
    blob.extend_from_slice(&ticks.to_le_bytes());
    blob.extend_from_slice(&client_challenge);
    blob.extend_from_slice(&[0, 0, 0, 0]);
    blob.extend_from_slice(target_info);
    blob.extend_from_slice(&[0, 0, 0, 0]);
    let nt_proof = hmac_md5(&v2_hash, &[server_challenge, &blob]);
    let mut nt_response = nt_proof.to_vec();
    nt_response.extend_from_slice(&blob);
    let mut lm_response = hmac_md5(&v2_hash, &[server_challenge, &client_challenge]).to_vec();
    lm_response.extend_from_slice(&client_challenge);

    let payloads: [Vec<u8>; 5] = [
        lm_response,
        nt_response,
        utf16(domain),
        utf16(user),
        utf16("HEADLESS"),
    ];
    let mut header = Vec::with_capacity(64);
    header.extend_from_slice(b"NTLMSSP\0");
    header.extend_from_slice(&3u32.to_le_bytes());
    let mut offset = 64u32;
    for payload in &payloads {
        let len = payload.len() as u16;
        header.extend_from_slice(&len.to_le_bytes());
        header.extend_from_slice(&len.to_le_bytes());
        header.extend_from_slice(&offset.to_le_bytes());
        offset += payload.len() as u32;
    }
    // No session key.
    header.extend_from_slice(&[0, 0, 0, 0]);
    header.extend_from_slice(&offset.to_le_bytes());
    header.extend_from_slice(&FLAGS.to_le_bytes());
    for payload in &payloads {
        header.extend_from_slice(payload);
    }
    Some(header)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md4_and_messages() {
        // MS-NLMP 4.2.4.1.1: NTOWFv2 for User / Domain / Password.
        let nt_hash: [u8; 16] = Md4::digest(utf16("Password")).into();
        let v2 = hmac_md5(&nt_hash, &[&utf16("USERDomain")]);
        assert_eq!(
            v2.iter().map(|b| format!("{b:02x}")).collect::<String>(),
            "0c868a403bfd7a93a3001ef22ef02e3f"
        );
        assert_eq!(negotiate()[..12], *b"NTLMSSP\0\x01\0\0\0");
        assert_eq!(split_user("DOM\\bob"), ("DOM", "bob"));
        assert_eq!(split_user("bob@dom.test"), ("dom.test", "bob"));
        assert!(authenticate(b"not ntlm", "u", "p").is_none());
    }
}
