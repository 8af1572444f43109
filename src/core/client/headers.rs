//! The headers the stack adds when the caller did not: User-Agent (`ses.setUserAgent`),
//! Accept, Accept-Encoding, Accept-Language and the sec-fetch-* trio a browser-process
//! request carries in Electron.

use crate::core::identity::Identity;

/// The codings we decode, offered on every request without its own Accept-Encoding.
pub const ACCEPT_ENCODING: &str = "gzip, deflate, br, zstd";

/// Headers added, in this order, unless the caller set them (case-insensitive);
/// `fetch_site` is the request's `Sec-Fetch-Site` (`fetch_site`).
pub fn defaults(identity: &Identity, fetch_site: &'static str) -> Vec<(&'static str, String)> {
    let mut out = vec![
        ("Accept", "*/*".to_owned()),
        ("User-Agent", identity.user_agent.clone()),
        ("Accept-Encoding", ACCEPT_ENCODING.to_owned()),
    ];
    if let Some(languages) = &identity.accept_languages {
        out.push(("Accept-Language", languages.clone()));
    }
    out.push(("Sec-Fetch-Site", fetch_site.to_owned()));
    out.push(("Sec-Fetch-Mode", "no-cors".to_owned()));
    out.push(("Sec-Fetch-Dest", "empty".to_owned()));
    out
}
