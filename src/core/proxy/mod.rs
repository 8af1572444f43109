//! The proxy route of the connect stack: a session's proxy configuration (Electron's
//! `setProxy` modes, Chromium's rules and bypass grammars, the environment for `system`), the
//! ordered list of proxies a URL goes through, Chromium's bad-proxy memory for failover, the
//! proxy auth cache (`credentials`), and the PAC-string form `resolveProxy` answers with.

pub mod credentials;
pub mod desktop;
pub mod gnome;
pub mod kde;
pub mod pac;
pub mod pac_load;
pub mod rules;
pub mod server;
pub mod system;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use url::Url;

pub use crate::core::bypass::BypassRules;
pub use rules::ProxyRules;
pub use server::{ProxyScheme, ProxyServer};

/// How long a proxy that failed is tried last (Chromium's default bad-proxy retry delay).
pub const BAD_PROXY_DELAY: Duration = Duration::from_secs(5 * 60);

/// Electron's `mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProxyMode {
    /// No proxy.
    Direct,
    /// WPAD by DNS: the PAC script at `http://wpad/wpad.dat`, direct when there is none.
    AutoDetect,
    /// A PAC script at `pacScript`.
    PacScript,
    /// `proxyRules` and `proxyBypassRules`.
    FixedServers,
    /// The environment (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY).
    System,
}

/// A parsed configuration.
#[derive(Clone, PartialEq, Eq)]
pub struct ProxyConfig {
    /// The mode.
    pub mode: ProxyMode,
    /// Fixed rules (fixed_servers and system).
    pub rules: ProxyRules,
    /// Bypass rules.
    pub bypass: BypassRules,
    /// The PAC script URL (pac_script).
    pub pac_url: String,
    /// Read from the system's settings (mode system): `forceReloadProxyConfig` reads them
    /// again.
    pub from_system: bool,
}

impl Default for ProxyConfig {
    fn default() -> Self {
        Self {
            mode: ProxyMode::Direct,
            rules: ProxyRules::default(),
            bypass: BypassRules::default(),
            pac_url: String::new(),
            from_system: false,
        }
    }
}

impl std::fmt::Debug for ProxyConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProxyConfig")
            .field("mode", &self.mode)
            .field("rules", &self.rules)
            .field("bypass", &self.bypass)
            .field("pac_url", &crate::core::redact::userinfo(&self.pac_url))
            .field("from_system", &self.from_system)
            .finish()
    }
}

impl ProxyConfig {
    /// Electron's `setProxy` config: mode omitted means pac_script when a pacScript is given,
    /// else fixed_servers. `Err` carries Electron's message; nothing is applied then.
    pub fn from_electron(
        mode: Option<&str>,
        pac_script: &str,
        proxy_rules: &str,
        bypass_rules: &str,
    ) -> Result<Self, String> {
        let mode = match mode {
            None if !pac_script.is_empty() => ProxyMode::PacScript,
            None => ProxyMode::FixedServers,
            Some("direct") => ProxyMode::Direct,
            Some("auto_detect") => ProxyMode::AutoDetect,
            Some("pac_script") => ProxyMode::PacScript,
            Some("fixed_servers") => ProxyMode::FixedServers,
            Some("system") => ProxyMode::System,
            Some(_) => {
                return Err(
                    "Invalid mode, must be one of direct, auto_detect, pac_script, \
                            fixed_servers or system"
                        .to_owned(),
                )
            }
        };
        if mode == ProxyMode::System {
            return Ok(Self::system());
        }
        Ok(Self {
            mode,
            rules: ProxyRules::parse(proxy_rules)?,
            bypass: BypassRules::parse(bypass_rules)?,
            pac_url: pac_script.to_owned(),
            from_system: false,
        })
    }

    /// The system's settings as they are now (GNOME, KDE, else the environment).
    pub fn system() -> Self {
        Self {
            from_system: true,
            ..system::config()
        }
    }
}

/// A session's proxy state.
#[derive(Default)]
pub struct ProxyService {
    config: RwLock<Arc<ProxyConfig>>,
    bad: Mutex<HashMap<ProxyServer, Instant>>,
    pac: RwLock<Option<Arc<pac::PacEngine>>>,
    /// Proxy credentials and challenges.
    pub auth: credentials::ProxyCredentials,
}

impl ProxyService {
    /// Applies a configuration (new requests use it at once).
    pub fn set(&self, config: ProxyConfig) {
        *self.config.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(config);
        *self.pac.write().unwrap_or_else(|p| p.into_inner()) = None;
        self.bad.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    /// Loads the PAC script of a pac_script configuration (fetched by the caller); until
    /// one loads, and after a script fails, requests go direct, as in Chromium.
    pub fn set_pac_script(&self, source: &str) -> Result<(), String> {
        let engine = pac::PacEngine::load(source.to_owned())?;
        *self.pac.write().unwrap_or_else(|p| p.into_inner()) = Some(engine);
        Ok(())
    }

    /// The proxies for `url` under any mode (the PAC script's answer in pac_script mode).
    /// A failing script means DIRECT, with the reason.
    pub async fn resolve(&self, url: &Url) -> (Vec<ProxyServer>, Option<String>) {
        let engine = self.pac.read().unwrap_or_else(|p| p.into_inner()).clone();
        let config = self.config();
        match (config.mode, engine) {
            (ProxyMode::PacScript | ProxyMode::AutoDetect, Some(engine)) => {
                if BypassRules::default().bypasses(url) {
                    return (vec![ProxyServer::direct()], None);
                }
                match engine.find(url).await {
                    Ok(list) => (self.deprioritize_bad(list), None),
                    Err(reason) => (vec![ProxyServer::direct()], Some(reason)),
                }
            }
            _ => (self.resolve_fixed(url), None),
        }
    }

    /// The configuration in force.
    pub fn config(&self) -> Arc<ProxyConfig> {
        self.config
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// True when no request of this session can go through a proxy (the fast path).
    pub fn is_direct(&self) -> bool {
        let config = self.config();
        match config.mode {
            ProxyMode::Direct => true,
            ProxyMode::FixedServers | ProxyMode::System => config.rules.is_empty(),
            ProxyMode::PacScript | ProxyMode::AutoDetect => {
                self.pac.read().unwrap_or_else(|p| p.into_inner()).is_none()
            }
        }
    }

    /// The proxies for `url` with fixed rules, in order (DIRECT written out); bad proxies
    /// move to the end, as Chromium's ProxyList::DeprioritizeBadProxies does.
    pub fn resolve_fixed(&self, url: &Url) -> Vec<ProxyServer> {
        let config = self.config();
        let list: Vec<ProxyServer> = match config.mode {
            ProxyMode::FixedServers | ProxyMode::System if !config.bypass.bypasses(url) => {
                config.rules.for_scheme(url.scheme()).to_vec()
            }
            _ => Vec::new(),
        };
        if list.is_empty() {
            return vec![ProxyServer::direct()];
        }
        self.deprioritize_bad(list)
    }

    /// Moves proxies that failed recently to the end (they are still tried last).
    pub fn deprioritize_bad(&self, list: Vec<ProxyServer>) -> Vec<ProxyServer> {
        let mut bad = self.bad.lock().unwrap_or_else(|p| p.into_inner());
        if bad.is_empty() {
            return list;
        }
        let now = Instant::now();
        bad.retain(|_, until| *until > now);
        let (good, failed): (Vec<_>, Vec<_>) = list.into_iter().partition(|p| !bad.contains_key(p));
        good.into_iter().chain(failed).collect()
    }

    /// Remembers that `server` failed.
    pub fn mark_bad(&self, server: &ProxyServer) {
        if !server.is_direct() {
            self.bad
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(server.clone(), Instant::now() + BAD_PROXY_DELAY);
        }
    }
}

/// Chromium's PAC string of a list: elements joined by `;`.
pub fn pac_string(list: &[ProxyServer]) -> String {
    list.iter()
        .map(ProxyServer::pac_element)
        .collect::<Vec<_>>()
        .join(";")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_and_failover_order() {
        let err = ProxyConfig::from_electron(Some("bogus"), "", "", "").unwrap_err();
        assert_eq!(
            err,
            "Invalid mode, must be one of direct, auto_detect, pac_script, fixed_servers or system"
        );
        let pac = ProxyConfig::from_electron(None, "http://pac/", "a:1", "").unwrap();
        assert_eq!(pac.mode, ProxyMode::PacScript);
        let service = ProxyService::default();
        service.set(ProxyConfig::from_electron(None, "", "a:1,b:2,direct://", "").unwrap());
        let url = Url::parse("http://example.test/").unwrap();
        assert_eq!(
            pac_string(&service.resolve_fixed(&url)),
            "PROXY a:1;PROXY b:2;DIRECT"
        );
        service.mark_bad(&service.resolve_fixed(&url)[0]);
        assert_eq!(
            pac_string(&service.resolve_fixed(&url)),
            "PROXY b:2;DIRECT;PROXY a:1"
        );
        let local = Url::parse("http://127.0.0.1/").unwrap();
        assert_eq!(pac_string(&service.resolve_fixed(&local)), "DIRECT");
        assert!(ProxyConfig::from_electron(None, "", "ftp://x", "").is_err());
    }
}
