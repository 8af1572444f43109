//! `Sec-Fetch-Site` as Chromium computes it (services/network/sec_header_helpers.cc): `none`
//! for a request no origin initiated, else how the initiator relates to every URL of the
//! redirect chain so far, the least trusting relation winning.

use url::{Origin, Url};

use crate::core::cookies::domain::registrable_domain;

/// How an initiator relates to a request's URLs, from most to least trusting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FetchSite {
    /// No initiator (a browser-process request without `origin`).
    None,
    /// The same origin.
    SameOrigin,
    /// The same scheme and site (registrable domain, else host).
    SameSite,
    /// Anything else.
    CrossSite,
}

impl FetchSite {
    /// The header value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::SameOrigin => "same-origin",
            Self::SameSite => "same-site",
            Self::CrossSite => "cross-site",
        }
    }

    /// The relation after the chain reaches `url` (it never grows more trusting).
    pub fn then(self, initiator: Option<&Origin>, url: &Url) -> Self {
        self.max(relation(initiator, url))
    }
}

/// How `initiator` relates to `url` alone.
fn relation(initiator: Option<&Origin>, url: &Url) -> FetchSite {
    let Some(initiator) = initiator else {
        return FetchSite::None;
    };
    let target = url.origin();
    if &target == initiator {
        return FetchSite::SameOrigin;
    }
    // Chromium's SchemefulSite: the scheme and the registrable domain (or the host).
    let site = |origin: &Origin| match origin {
        Origin::Tuple(scheme, host, _) => {
            let host = host.to_string();
            let domain = registrable_domain(&host).map(str::to_owned).unwrap_or(host);
            Some((scheme.clone(), domain))
        }
        Origin::Opaque(_) => None,
    };
    match (site(initiator), site(&target)) {
        (Some(a), Some(b)) if a == b => FetchSite::SameSite,
        _ => FetchSite::CrossSite,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(initiator: &str, urls: &[&str]) -> &'static str {
        let initiator = Url::parse(initiator).unwrap().origin();
        urls.iter()
            .fold(FetchSite::None, |site, url| {
                site.then(Some(&initiator), &Url::parse(url).unwrap())
            })
            .as_str()
    }

    #[test]
    fn relates_the_initiator_to_the_whole_chain() {
        assert_eq!(
            site("https://a.example.com", &["https://a.example.com/x"]),
            "same-origin"
        );
        assert_eq!(
            site("https://a.example.com", &["https://b.example.com/"]),
            "same-site"
        );
        assert_eq!(
            site("http://a.example.com", &["https://a.example.com/"]),
            "cross-site"
        );
        assert_eq!(site("https://x.test", &["https://y.test/"]), "cross-site");
        assert_eq!(
            site("http://127.0.0.1:1", &["http://127.0.0.1:2/"]),
            "same-site"
        );
        assert_eq!(
            site("https://a.test", &["https://b.test/", "https://a.test/"]),
            "cross-site"
        );
        assert_eq!(
            FetchSite::None.then(None, &Url::parse("https://a.test").unwrap()),
            FetchSite::None
        );
    }
}
