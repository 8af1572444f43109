//! Getting a session's PAC script: the URL its mode names (`pacScript`, or WPAD's
//! `http://wpad/wpad.dat` for auto_detect), fetched through a `PacFetcher` the layer above
//! hands down (the session's own request stack: the proxy layer never reaches up into the
//! client), loaded into the engine, and what a failure says. Until a script loads, and after
//! one fails, requests go direct, as in Chromium.

use std::future::Future;
use std::pin::Pin;

use url::Url;

use super::{ProxyMode, ProxyService};
use crate::core::redact;

/// Where auto_detect looks for a script (WPAD by DNS, as Chromium does on Linux).
pub const WPAD_URL: &str = "http://wpad/wpad.dat";

/// Fetches a PAC script's text: `Err` says why it could not, in words.
pub trait PacFetcher: Send + Sync {
    /// The text at `url` (a 2xx response's body).
    fn fetch(&self, url: Url) -> Pin<Box<dyn Future<Output = Result<String, String>> + Send + '_>>;
}

impl ProxyService {
    /// The PAC script to fetch for the mode in force: `pacScript` for pac_script, WPAD's for
    /// auto_detect, none otherwise.
    pub fn pac_url(&self) -> Option<String> {
        let config = self.config();
        match config.mode {
            ProxyMode::PacScript => Some(config.pac_url.clone()),
            ProxyMode::AutoDetect => Some(WPAD_URL.to_owned()),
            _ => None,
        }
    }

    /// Fetches and loads the PAC script of the mode in force. Returns the warning to give
    /// when it could not be loaded (none for auto_detect without a WPAD server, the common
    /// case); the URL in it is named without its credentials.
    pub async fn load_pac(&self, fetcher: &dyn PacFetcher) -> Option<String> {
        let location = self.pac_url()?;
        let outcome = match Url::parse(&location) {
            Ok(url) => fetcher.fetch(url).await,
            Err(_) => Err("Invalid URL".to_owned()),
        }
        .and_then(|source| self.set_pac_script(&source));
        let reason = outcome.err()?;
        if self.config().mode == ProxyMode::AutoDetect {
            return None;
        }
        let location = if location.starts_with("data:") {
            "data:".to_owned()
        } else {
            location
        };
        Some(
            redact::userinfo(&format!(
                "the PAC script at {location} was not loaded ({reason}); requests go direct"
            ))
            .into_owned(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::proxy::{pac_string, ProxyConfig};

    struct Answer(Result<String, String>);

    impl PacFetcher for Answer {
        fn fetch(
            &self,
            _url: Url,
        ) -> Pin<Box<dyn Future<Output = Result<String, String>> + Send + '_>> {
            Box::pin(async move { self.0.clone() })
        }
    }

    #[tokio::test]
    async fn loads_the_script_or_says_why_not() {
        let service = ProxyService::default();
        let url = Url::parse("http://a.test/").unwrap();
        service.set(ProxyConfig::from_electron(None, "http://u:p@pac.test/x.pac", "", "").unwrap());
        let script = "function FindProxyForURL(u, h) { return 'PROXY p:1'; }";
        assert_eq!(service.load_pac(&Answer(Ok(script.into()))).await, None);
        assert_eq!(pac_string(&service.resolve(&url).await.0), "PROXY p:1");
        let warning = service.load_pac(&Answer(Err("HTTP 404".into()))).await;
        assert_eq!(
            warning.as_deref(),
            Some("the PAC script at http://***@pac.test/x.pac was not loaded (HTTP 404); requests go direct")
        );
        service.set(ProxyConfig::from_electron(Some("auto_detect"), "", "", "").unwrap());
        assert_eq!(service.pac_url().as_deref(), Some(WPAD_URL));
        assert_eq!(service.load_pac(&Answer(Err("gone".into()))).await, None);
        assert_eq!(pac_string(&service.resolve(&url).await.0), "DIRECT");
    }
}
