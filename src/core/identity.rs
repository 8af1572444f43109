//! Who a session says it is: the User-Agent and Accept-Language (`ses.setUserAgent`) that
//! its requests and its proxy CONNECTs carry. It sits below both the request and the connect
//! stack, which each get the session's `SessionIdentity` handed down.

use std::sync::{Arc, RwLock};

/// The session's user agent and Accept-Language.
#[derive(Debug, Clone)]
pub struct Identity {
    /// The User-Agent value.
    pub user_agent: String,
    /// The Accept-Language value, when set.
    pub accept_languages: Option<String>,
}

impl Default for Identity {
    fn default() -> Self {
        Self {
            user_agent: default_user_agent(),
            accept_languages: None,
        }
    }
}

/// A Chrome-shaped user agent naming this package.
pub fn default_user_agent() -> String {
    let platform = match std::env::consts::OS {
        "macos" => "Macintosh; Intel Mac OS X 10_15_7",
        "windows" => "Windows NT 10.0; Win64; x64",
        _ => "X11; Linux x86_64",
    };
    format!(
        "Mozilla/5.0 ({platform}) AppleWebKit/537.36 (KHTML, like Gecko) headless-session/{} Safari/537.36",
        env!("CARGO_PKG_VERSION")
    )
}

/// A session's identity, replaced whole by `setUserAgent` (a request takes a snapshot and
/// copies no string).
#[derive(Default)]
pub struct SessionIdentity(RwLock<Arc<Identity>>);

impl SessionIdentity {
    /// The identity in force.
    pub fn get(&self) -> Arc<Identity> {
        self.0.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// `ses.setUserAgent(ua[, acceptLanguages])`: the languages are weighted as Chromium
    /// weighs them; without them the old Accept-Language stays.
    pub fn set_user_agent(&self, user_agent: String, accept_languages: Option<&str>) {
        let mut slot = self.0.write().unwrap_or_else(|p| p.into_inner());
        let mut identity = Identity::clone(&slot);
        identity.user_agent = user_agent;
        if let Some(list) = accept_languages {
            let header = accept_language(list);
            identity.accept_languages = (!header.is_empty()).then_some(header);
        }
        *slot = Arc::new(identity);
    }
}

/// Chromium's Accept-Language from a comma list: each language with a falling q-value
/// (`en-US,fr` -> `en-US,fr;q=0.9`).
pub fn accept_language(list: &str) -> String {
    let mut out = Vec::new();
    let mut q = 10;
    for lang in list.split(',').map(str::trim).filter(|l| !l.is_empty()) {
        if out.is_empty() {
            out.push(lang.to_owned());
        } else {
            out.push(format!("{lang};q=0.{q}"));
        }
        q = (q - 1).max(1);
    }
    out.join(",")
}

#[cfg(test)]
mod tests {
    #[test]
    fn accept_language_weights() {
        assert_eq!(
            super::accept_language("en-US, fr,de"),
            "en-US,fr;q=0.9,de;q=0.8"
        );
        assert_eq!(super::accept_language(""), "");
    }
}
