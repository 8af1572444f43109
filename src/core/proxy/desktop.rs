//! Proxy settings as Linux desktops keep them (GNOME's GSettings in `gnome`, KDE's
//! kioslaverc in `kde`), turned into a configuration the way Chromium's
//! ProxyConfigServiceLinux::GetConfigFromSettings does: mode `none` is direct, `auto` is
//! the PAC URL (a path becomes a file: URL) or WPAD without one, `manual` is a proxy per
//! scheme (SOCKS as SOCKS5, and for every scheme when it is the only one) with the ignore
//! list as bypass rules. A desktop whose settings say nothing usable gives `None`, and the
//! environment is read instead.

use super::bypass::BypassRules;
use super::rules::ProxyRules;
use super::{ProxyConfig, ProxyMode};

/// What a desktop's settings say, before interpretation.
#[derive(Debug, Default)]
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

fn with_scheme(host: &str, scheme: &str) -> Option<String> {
    let host = host.trim();
    if host.is_empty() || host.starts_with("//:") {
        return None;
    }
    Some(if host.contains("://") {
        host.to_owned()
    } else {
        format!("{scheme}://{host}")
    })
}

/// A suffix-matching ignore entry as a bypass rule (`example.com` -> `*example.com`).
fn suffix_rule(entry: &str) -> String {
    let plain_host = !entry.starts_with(['*', '.', '<', '['])
        && !entry.contains('/')
        && entry.parse::<std::net::IpAddr>().is_err();
    if plain_host {
        format!("*{entry}")
    } else {
        entry.to_owned()
    }
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
        let http = with_scheme(&self.http, "http");
        let https = with_scheme(&self.https, "http");
        let ftp = with_scheme(&self.ftp, "http");
        let socks = with_scheme(&self.socks, "socks5");
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
        let entries: Vec<String> = self
            .ignore_hosts
            .iter()
            .map(|e| {
                if self.suffix_matching {
                    suffix_rule(e)
                } else {
                    e.clone()
                }
            })
            .collect();
        // A rule Chromium cannot parse is skipped there too; the others still apply.
        let bypass = BypassRules::parse_lenient(&entries.join(","));
        Some(ProxyConfig {
            mode: ProxyMode::System,
            rules: ProxyRules::parse(&rules).ok()?,
            bypass: if self.reversed {
                bypass.reversed()
            } else {
                bypass
            },
            pac_url: String::new(),
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
