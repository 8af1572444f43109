//! Electron's `WebRequestFilter`: `urls` (any may match; none given matches all),
//! `excludeUrls` (any match excludes, and wins over `urls`) and `types` (resource types),
//! validated when registered and evaluated before anything crosses to JS.

use url::Url;

use super::pattern::UrlPattern;

/// A validated filter.
#[derive(Debug, Clone, Default)]
pub struct RequestFilter {
    urls: Vec<UrlPattern>,
    exclude_urls: Vec<UrlPattern>,
    types: Vec<String>,
}

impl RequestFilter {
    /// Parses the patterns; `Err` is Electron's TypeError message for the first bad one.
    pub fn new(
        urls: &[String],
        exclude_urls: &[String],
        types: &[String],
        custom_standard: &[String],
    ) -> Result<Self, String> {
        let parse = |list: &[String]| -> Result<Vec<UrlPattern>, String> {
            list.iter()
                .map(|s| {
                    UrlPattern::parse(s, custom_standard)
                        .map_err(|e| format!("Invalid url pattern {s}: {}", e.message()))
                })
                .collect()
        };
        Ok(Self {
            urls: parse(urls)?,
            exclude_urls: parse(exclude_urls)?,
            types: types.to_vec(),
        })
    }

    /// True when a request of `resource_type` to `url` passes.
    pub fn matches(&self, url: &Url, resource_type: &str) -> bool {
        if !self.types.is_empty() && !self.types.iter().any(|t| t == resource_type) {
            return false;
        }
        if self.exclude_urls.iter().any(|p| p.matches(url)) {
            return false;
        }
        self.urls.is_empty() || self.urls.iter().any(|p| p.matches(url))
    }
}
