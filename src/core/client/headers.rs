//! The headers the stack adds when the caller did not: User-Agent (`ses.setUserAgent`),
//! Accept, Accept-Encoding, Accept-Language and the sec-fetch-* trio a browser-process
//! request carries in Electron.

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

/// The codings we decode, offered on every request without its own Accept-Encoding.
pub const ACCEPT_ENCODING: &str = "gzip, deflate, br, zstd";

/// Headers added, in this order, unless the caller set them (case-insensitive).
pub fn defaults(identity: &Identity) -> Vec<(&'static str, String)> {
    let mut out = vec![
        ("Accept", "*/*".to_owned()),
        ("User-Agent", identity.user_agent.clone()),
        ("Accept-Encoding", ACCEPT_ENCODING.to_owned()),
    ];
    if let Some(languages) = &identity.accept_languages {
        out.push(("Accept-Language", languages.clone()));
    }
    out.push(("Sec-Fetch-Site", "none".to_owned()));
    out.push(("Sec-Fetch-Mode", "no-cors".to_owned()));
    out.push(("Sec-Fetch-Dest", "empty".to_owned()));
    out
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
