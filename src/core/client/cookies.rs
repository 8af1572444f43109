//! The cookie stage: a request carries the session's cookies for its URL, and a response's
//! `Set-Cookie` lines go into the session's jar, on every hop (redirects included).

use std::sync::Arc;

use url::Url;

use super::response::ResponseHead;
use crate::core::cookies::{CookieJar, JarSource};
use crate::core::net_error::NetError;

/// The session's jar, opening storage off the async workers if it is not open yet.
pub async fn jar(source: &Arc<dyn JarSource>) -> Result<Arc<CookieJar>, NetError> {
    if source.is_open() {
        return source.jar().map_err(|_| NetError::Failed);
    }
    let source = source.clone();
    tokio::task::spawn_blocking(move || source.jar())
        .await
        .map_err(|_| NetError::Failed)?
        .map_err(|_| NetError::Failed)
}

/// The `Cookie` header for `url`, if any cookie applies.
pub fn request_header(jar: &CookieJar, url: &Url) -> Option<String> {
    jar.request_header(url).ok().flatten()
}

/// Stores the response's `Set-Cookie` lines.
pub fn store(jar: &CookieJar, head: &ResponseHead) {
    jar.store_response_cookies(head.url.as_str(), head.values("set-cookie"));
}
