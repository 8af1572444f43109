//! The `system` mode on Linux (and wherever the environment is the system's setting), as
//! Chromium's Linux config service reads it: GSettings on GNOME-like desktops (`gnome`),
//! kioslaverc on KDE (`kde`), else the environment: a PAC script in `auto_proxy` (WPAD when it is empty), else the
//! proxies in HTTP_PROXY, HTTPS_PROXY and ALL_PROXY (lower-case names too) and the
//! exceptions in NO_PROXY.

use super::rules::ProxyRules;
use super::server;
use super::{ProxyConfig, ProxyMode};
use crate::core::bypass::BypassRules;

/// The system's configuration now.
pub fn config() -> ProxyConfig {
    let env = |name: &str| std::env::var(name).ok();
    super::gnome::read(env)
        .or_else(|| super::kde::read(env))
        .unwrap_or_else(|| from_env(env))
}

/// The configuration the environment describes (`get` reads one variable).
pub fn from_env(get: impl Fn(&str) -> Option<String>) -> ProxyConfig {
    if let Some(pac) = get("auto_proxy") {
        let (mode, pac_url) = if pac.trim().is_empty() {
            (ProxyMode::AutoDetect, String::new())
        } else {
            (ProxyMode::PacScript, pac.trim().to_owned())
        };
        return ProxyConfig {
            mode,
            rules: ProxyRules::default(),
            bypass: BypassRules::default(),
            pac_url,
            from_system: false,
        };
    }
    let var = |upper: &str| {
        get(&upper.to_ascii_lowercase())
            .or_else(|| get(upper))
            .filter(|v| !v.trim().is_empty())
    };
    let mut rules = Vec::new();
    if let Some(all) = var("ALL_PROXY") {
        rules.push(format!("socks={}", server::with_scheme(&all, "socks5")));
    }
    if let Some(http) = var("HTTP_PROXY") {
        rules.push(format!("http={http}"));
    }
    if let Some(https) = var("HTTPS_PROXY") {
        rules.push(format!("https={https}"));
    }
    let rules = ProxyRules::parse(&rules.join(";")).unwrap_or_default();
    // NO_PROXY entries match host-name suffixes (`example.com` also covers `a.example.com`).
    let bypass = var("NO_PROXY")
        .map(|list| BypassRules::parse_hostname_suffixes(&list))
        .unwrap_or_default();
    ProxyConfig {
        mode: ProxyMode::System,
        rules,
        bypass,
        pac_url: String::new(),
        from_system: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::proxy::{pac_string, ProxyService};
    use url::Url;

    #[test]
    fn environment() {
        let env = |name: &str| match name {
            "http_proxy" => Some("http://h:3128".to_owned()),
            "HTTPS_PROXY" => Some("s:443".to_owned()),
            "no_proxy" => Some("internal.test,.corp".to_owned()),
            _ => None,
        };
        let service = ProxyService::default();
        service.set(from_env(env));
        let pac = |u: &str| pac_string(&service.resolve_fixed(&Url::parse(u).unwrap()));
        assert_eq!(pac("http://a.test/"), "PROXY h:3128");
        assert_eq!(pac("https://a.test/"), "PROXY s:443");
        assert_eq!(pac("http://x.internal.test/"), "DIRECT");
        assert_eq!(pac("http://y.corp/"), "DIRECT");
        // `.corp` is a suffix of names below `corp` only (Chromium's hostname-suffix format).
        assert_eq!(pac("http://notcorp/"), "PROXY h:3128");
        let pac_env =
            |name: &str| (name == "auto_proxy").then(|| "http://wpad.test/p.pac".to_owned());
        let config = from_env(pac_env);
        assert_eq!(config.mode, ProxyMode::PacScript);
        assert_eq!(config.pac_url, "http://wpad.test/p.pac");
        let wpad = from_env(|name: &str| (name == "auto_proxy").then(String::new));
        assert_eq!(wpad.mode, ProxyMode::AutoDetect);
    }
}
