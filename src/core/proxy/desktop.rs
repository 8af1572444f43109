//! Proxy settings as Linux desktops keep them (GNOME's GSettings in `gnome`, KDE's
//! kioslaverc in `kde`), turned into a configuration the way Chromium's
//! ProxyConfigServiceLinux::GetConfigFromSettings does: mode `none` is direct, `auto` is
//! the PAC URL (a path becomes a file: URL) or WPAD without one, `manual` is a proxy per
//! scheme (SOCKS as SOCKS5, and for every scheme when it is the only one) with the ignore
//! list as bypass rules. A desktop whose settings say nothing usable gives `None`, and the
//! environment is read instead.

use super::rules::ProxyRules;
use super::{ProxyConfig, ProxyMode};
use crate::core::bypass::BypassRules;

/// What a desktop's settings say, before interpretation.
#[derive(Default)]
pub struct DesktopSettings {
    /// `none`, `auto` or `manual` (anything else is unusable).
    pub mode: String,
    /// The PAC URL of `auto` mode.
    pub autoconfig_url: String,
    /// `host[:port]` (a scheme may be written) per kind of proxy; empty when unset.
    pub http: String,
    /// As `http`, for https URLs (an HTTP proxy unless a scheme says otherwise).
    pub https: String,
    /// As `http`, for ftp URLs.
    pub ftp: String,
    /// As `http`, SOCKS5 unless a scheme says otherwise.
    pub socks: String,
    /// Hosts that go direct.
    pub ignore_hosts: Vec<String>,
    /// Ignore entries are host-name suffixes (`example.com` covers `a.example.com`): KDE.
    pub suffix_matching: bool,
    /// Only the ignore entries go through the proxy (KDE's `ReversedException`).
    pub reversed: bool,
}

impl std::fmt::Debug for DesktopSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Proxy settings may hold `user:password@`: never printed.
        let masked = |s: &str| crate::core::redact::userinfo(s).into_owned();
        f.debug_struct("DesktopSettings")
            .field("mode", &self.mode)
            .field("autoconfig_url", &masked(&self.autoconfig_url))
            .field("http", &masked(&self.http))
            .field("https", &masked(&self.https))
            .field("ftp", &masked(&self.ftp))
            .field("socks", &masked(&self.socks))
            .field("ignore_hosts", &self.ignore_hosts)
            .field("suffix_matching", &self.suffix_matching)
            .field("reversed", &self.reversed)
            .finish()
    }
}

/// A proxy setting with its scheme, `None` when unset (KDE writes `//:` for none).
fn proxy(host: &str, scheme: &str) -> Option<String> {
    let host = host.trim();
    (!host.is_empty() && !host.starts_with("//:")).then(|| super::server::with_scheme(host, scheme))
}

impl DesktopSettings {
    /// The configuration the settings describe, or `None` when they say nothing usable.
    pub fn into_config(self) -> Option<ProxyConfig> {
        let direct = ProxyConfig::default();
        match self.mode.as_str() {
            "none" => return Some(direct),
            "auto" if self.autoconfig_url.is_empty() => {
                return Some(ProxyConfig {
                    mode: ProxyMode::AutoDetect,
                    ..direct
                })
            }
            "auto" => {
                let url = if self.autoconfig_url.starts_with('/') {
                    format!("file://{}", self.autoconfig_url)
                } else {
                    self.autoconfig_url.clone()
                };
                url::Url::parse(&url).ok()?;
                return Some(ProxyConfig {
                    mode: ProxyMode::PacScript,
                    pac_url: url,
                    ..direct
                });
            }
            "manual" => {}
            _ => return None,
        }
        let http = proxy(&self.http, "http");
        let https = proxy(&self.https, "http");
        let ftp = proxy(&self.ftp, "http");
        let socks = proxy(&self.socks, "socks5");
        let specified = [&http, &https, &ftp, &socks]
            .iter()
            .filter(|p| p.is_some())
            .count();
        let rules = match (&socks, specified) {
            (_, 0) => return None,
            (Some(socks), 1) => socks.clone(),
            _ => {
                let per_scheme = [("http", &http), ("https", &https), ("ftp", &ftp)];
                let mut parts: Vec<String> = per_scheme
                    .iter()
                    .filter_map(|(scheme, p)| p.as_ref().map(|p| format!("{scheme}={p}")))
                    .collect();
                if let Some(socks) = &socks {
                    parts.push(format!("socks={socks}"));
                }
                parts.join(";")
            }
        };
        // A rule Chromium cannot parse is skipped there too; the others still apply.
        let ignore = self.ignore_hosts.join(",");
        let bypass = if self.suffix_matching {
            BypassRules::parse_hostname_suffixes(&ignore)
        } else {
            BypassRules::parse_lenient(&ignore)
        };
        Some(ProxyConfig {
            mode: ProxyMode::System,
            rules: ProxyRules::parse(&rules).ok()?,
            bypass: if self.reversed {
                bypass.reversed()
            } else {
                bypass
            },
            pac_url: String::new(),
            from_system: false,
        })
    }
}

/// An environment of fixed variables, for tests of the desktop readers.
#[cfg(test)]
pub fn fake_env(
    pairs: &'static [(&'static str, &'static str)],
) -> impl Fn(&str) -> Option<String> + Copy {
    move |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.to_string())
    }
}
