//! The headers the stack adds when the caller did not: User-Agent (`ses.setUserAgent`),
//! Accept, Accept-Encoding, Accept-Language and the sec-fetch-* trio a browser-process
//! request carries in Electron, as the request's resource type has them (a window's
//! navigation sends what a browser's does).

use crate::core::identity::Identity;
use crate::core::resource_type::ResourceType;

/// The codings we decode, offered on every request without its own Accept-Encoding.
pub const ACCEPT_ENCODING: &str = "gzip, deflate, br, zstd";

/// Headers added, in this order, unless the caller set them (case-insensitive);
/// `fetch_site` is the request's `Sec-Fetch-Site` (`fetch_site`).
pub fn defaults(
    identity: &Identity,
    fetch_site: &'static str,
    resource_type: ResourceType,
) -> Vec<(&'static str, String)> {
    let mut out = Vec::with_capacity(8);
    if resource_type.is_frame() {
        out.push(("Upgrade-Insecure-Requests", "1".to_owned()));
    }
    out.push(("Accept", resource_type.accept().to_owned()));
    out.push(("User-Agent", identity.user_agent.clone()));
    out.push(("Accept-Encoding", ACCEPT_ENCODING.to_owned()));
    if let Some(languages) = &identity.accept_languages {
        out.push(("Accept-Language", languages.clone()));
    }
    out.push(("Sec-Fetch-Site", fetch_site.to_owned()));
    out.push(("Sec-Fetch-Mode", resource_type.fetch_mode().to_owned()));
    out.push(("Sec-Fetch-Dest", resource_type.fetch_dest().to_owned()));
    out
}
