//! How cookies sit in a store tree: the key is the cookie's slot (domain, path, name, which
//! no two cookies share) and the value its postcard encoding.

use super::cookie::CanonicalCookie;

/// The name of the store tree that holds cookies.
pub const TREE: &str = "cookies";

/// The store key of a cookie's slot. NUL cannot occur in a stored domain, path or name
/// (control characters are refused), so the encoding is unambiguous.
pub fn key(cookie: &CanonicalCookie) -> Vec<u8> {
    let mut k = Vec::with_capacity(cookie.domain.len() + cookie.path.len() + cookie.name.len() + 2);
    k.extend_from_slice(cookie.domain.as_bytes());
    k.push(0);
    k.extend_from_slice(cookie.path.as_bytes());
    k.push(0);
    k.extend_from_slice(cookie.name.as_bytes());
    k
}

/// Encodes a cookie for the store.
pub fn encode(cookie: &CanonicalCookie) -> Vec<u8> {
    postcard::to_stdvec(cookie).expect("a cookie always serialises")
}

/// Decodes a stored cookie; `None` for bytes this version cannot read (they are left alone).
pub fn decode(bytes: &[u8]) -> Option<CanonicalCookie> {
    postcard::from_bytes(bytes).ok()
}
