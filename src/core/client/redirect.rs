//! Chromium's redirect rules (RedirectInfo::ComputeRedirectInfo and URLRequest): which
//! responses redirect, the new method, the new URL and the schemes it may not lead to, the
//! headers dropped on the way, and the limit.

use url::Url;

use super::request::{RequestBody, RequestSpec};
use super::response::ResponseHead;
use crate::core::net_error::NetError;

/// Chromium's `kMaxRedirects`: the 21st redirect fails.
pub const MAX_REDIRECTS: usize = 20;

/// One redirect, as Electron's `redirect` event reports it.
#[derive(Debug, Clone)]
pub struct RedirectInfo {
    /// The 3xx status.
    pub status_code: u16,
    /// The method of the next request.
    pub new_method: String,
    /// The URL of the next request.
    pub new_url: Url,
    /// The redirect response's head.
    pub head: ResponseHead,
}

/// True for the statuses that redirect when a Location comes with them.
pub fn is_redirect_status(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// The redirect a response asks for, `Ok(None)` when it is not one (no Location).
/// `may_follow_to(scheme)` says which schemes besides http and https may be redirected to
/// (those a protocol handler serves).
pub fn redirect_for(
    head: &ResponseHead,
    method: &str,
    may_follow_to: impl Fn(&str) -> bool,
) -> Result<Option<RedirectInfo>, NetError> {
    if !is_redirect_status(head.status) {
        return Ok(None);
    }
    let mut locations = head.values("location");
    let Some(location) = locations.next() else {
        return Ok(None);
    };
    if locations.any(|other| other != location) {
        return Err(NetError::ResponseHeadersMultipleLocation);
    }
    let mut new_url = head
        .url
        .join(location.trim())
        .map_err(|_| NetError::InvalidRedirect)?;
    if !matches!(new_url.scheme(), "http" | "https") && !may_follow_to(new_url.scheme()) {
        return Err(NetError::UnsafeRedirect);
    }
    // A Location without a fragment keeps the original one (RFC 7231 section 7.1.2).
    if new_url.fragment().is_none() {
        if let Some(fragment) = head.url.fragment() {
            new_url.set_fragment(Some(fragment));
        }
    }
    let new_method = match head.status {
        303 if method != "HEAD" => "GET",
        301 | 302 if method == "POST" => "GET",
        _ => method,
    }
    .to_owned();
    Ok(Some(RedirectInfo {
        status_code: head.status,
        new_method,
        new_url,
        head: head.clone(),
    }))
}

/// Turns the request into the next hop's: new method and URL; the body and its headers go
/// when the method changes; credentials go when the origin changes.
pub fn apply(spec: &mut RequestSpec, redirect: &RedirectInfo) -> Result<(), NetError> {
    if redirect.new_method != spec.method {
        spec.body = RequestBody::Empty;
        for name in [
            "content-type",
            "content-length",
            "content-encoding",
            "content-language",
            "content-location",
        ] {
            spec.remove_header(name);
        }
    } else if matches!(spec.body, RequestBody::Stream(_)) {
        // A streamed upload cannot be sent again (Chromium fails such redirects too).
        return Err(NetError::InvalidArgument);
    }
    if redirect.new_url.origin() != spec.url.origin() {
        spec.remove_header("authorization");
    }
    spec.method.clone_from(&redirect.new_method);
    spec.url = redirect.new_url.clone();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(status: u16, locations: &[&str]) -> ResponseHead {
        ResponseHead {
            status,
            status_message: String::new(),
            version: (1, 1),
            headers: locations
                .iter()
                .map(|l| ("location".to_owned(), (*l).to_owned()))
                .collect(),
            url: Url::parse("http://a.test/dir/page#frag").unwrap(),
            ip: None,
        }
    }

    #[test]
    fn methods_change_as_chromium_does() {
        let cases = [
            (301, "POST", "GET"),
            (302, "POST", "GET"),
            (303, "POST", "GET"),
            (303, "HEAD", "HEAD"),
            (303, "PUT", "GET"),
            (301, "PUT", "PUT"),
            (307, "POST", "POST"),
            (308, "POST", "POST"),
        ];
        for (status, method, expected) in cases {
            let info = redirect_for(&head(status, &["/next"]), method, |_| false)
                .unwrap()
                .unwrap();
            assert_eq!(info.new_method, expected, "{status} {method}");
            assert_eq!(info.new_url.as_str(), "http://a.test/next#frag");
        }
    }

    #[test]
    fn refuses_unsafe_schemes_and_conflicting_locations() {
        for target in [
            "file:///etc/passwd",
            "data:text/plain,x",
            "about:blank",
            "javascript:x",
        ] {
            assert_eq!(
                redirect_for(&head(302, &[target]), "GET", |_| false).unwrap_err(),
                NetError::UnsafeRedirect
            );
        }
        assert_eq!(
            redirect_for(&head(302, &["/a", "/b"]), "GET", |_| false).unwrap_err(),
            NetError::ResponseHeadersMultipleLocation
        );
        assert!(redirect_for(&head(302, &["/a", "/a"]), "GET", |_| false)
            .unwrap()
            .is_some());
        assert!(redirect_for(&head(302, &[]), "GET", |_| false)
            .unwrap()
            .is_none());
        assert!(redirect_for(&head(200, &["/a"]), "GET", |_| false)
            .unwrap()
            .is_none());
    }
}
