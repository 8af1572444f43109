//! The `system` mode on KDE: the `[Proxy Settings]` of kioslaverc read as Chromium's
//! SettingGetterImplKDE reads it. `ProxyType` 0 is none, 1 manual, 2 the PAC at `Proxy Config
//! Script`, 3 WPAD, 4 manual with the values naming environment variables; `httpProxy`,
//! `httpsProxy`, `ftpProxy`, `socksProxy` (a space may stand for the port's colon),
//! `NoProxyFor` (host-name suffixes) and `ReversedException`. The file is
//! `$KDEHOME/share/config/kioslaverc`, else `~/.config/kioslaverc` (KDE 5 and later) or
//! `~/.kde4`/`~/.kde` for KDE 3 and 4. `desktop` turns it into a configuration.

use std::path::PathBuf;

use super::desktop::DesktopSettings;
use super::ProxyConfig;

/// Whether the desktop is KDE (Chromium's base::nix::GetDesktopEnvironment).
pub fn is_kde(get: impl Fn(&str) -> Option<String>) -> bool {
    let current = get("XDG_CURRENT_DESKTOP").unwrap_or_default();
    current.split(':').any(|d| d == "KDE")
        || get("KDE_FULL_SESSION").is_some()
        || get("DESKTOP_SESSION").is_some_and(|s| s.starts_with("kde") || s == "plasma")
}

/// Where kioslaverc is.
fn kioslaverc(get: impl Fn(&str) -> Option<String>) -> Option<PathBuf> {
    if let Some(kde_home) = get("KDEHOME").filter(|h| !h.is_empty()) {
        return Some(PathBuf::from(kde_home).join("share/config/kioslaverc"));
    }
    let home = PathBuf::from(get("HOME")?);
    let version = get("KDE_SESSION_VERSION").and_then(|v| v.parse::<u32>().ok());
    if version.is_some_and(|v| v < 5) {
        let kde4 = home.join(".kde4/share/config/kioslaverc");
        let kde3 = home.join(".kde/share/config/kioslaverc");
        let modified = |p: &PathBuf| p.metadata().and_then(|m| m.modified()).ok();
        return Some(match (modified(&kde4), modified(&kde3)) {
            (Some(four), Some(three)) if four >= three => kde4,
            (Some(_), None) => kde4,
            _ => kde3,
        });
    }
    Some(home.join(".config/kioslaverc"))
}

/// The configuration kioslaverc holds, on a KDE desktop that has one.
pub fn read(get: impl Fn(&str) -> Option<String> + Copy) -> Option<ProxyConfig> {
    if !is_kde(get) {
        return None;
    }
    let text = std::fs::read_to_string(kioslaverc(get)?).ok()?;
    from_kioslaverc(&text, get)
}

/// The configuration in a kioslaverc file's text; `get` reads the environment variables
/// that `ProxyType=4` names.
pub fn from_kioslaverc(text: &str, get: impl Fn(&str) -> Option<String>) -> Option<ProxyConfig> {
    let mut settings = DesktopSettings {
        suffix_matching: true,
        ..DesktopSettings::default()
    };
    let mut indirect = false;
    let mut wpad_only = false;
    let mut in_proxy_settings = false;
    for line in text.lines() {
        if line.starts_with('[') {
            in_proxy_settings = line.starts_with("[Proxy Settings]");
            continue;
        }
        let Some((key, value)) = line.split_once('=').filter(|_| in_proxy_settings) else {
            continue;
        };
        // `Key[$e]` and localised `Key[de]` name the same key.
        let key = key.trim();
        let key = match key.rfind('[') {
            Some(i) if key.ends_with(']') => key[..i].trim_end(),
            _ => key,
        };
        let value = value.trim();
        // Newer KDE writes `host port`.
        let proxy = || value.replacen(' ', ":", 1);
        match key {
            "ProxyType" => {
                let kind = value.parse::<i32>().unwrap_or(0);
                indirect = kind == 4;
                wpad_only = kind == 3;
                settings.mode = match kind {
                    1 | 4 => "manual",
                    2 | 3 => "auto",
                    _ => "none",
                }
                .to_owned();
            }
            "Proxy Config Script" => settings.autoconfig_url = value.to_owned(),
            "httpProxy" => settings.http = proxy(),
            "httpsProxy" => settings.https = proxy(),
            "ftpProxy" => settings.ftp = proxy(),
            "socksProxy" => settings.socks = proxy(),
            "ReversedException" => {
                settings.reversed = value == "true" || value.parse::<i32>().is_ok_and(|n| n != 0)
            }
            "NoProxyFor" => settings.ignore_hosts = host_list(value),
            _ => {}
        }
    }
    if indirect {
        // The values name environment variables (SOCKS is not resolved, as in Chromium).
        for slot in [&mut settings.http, &mut settings.https, &mut settings.ftp] {
            *slot = get(slot).unwrap_or_default();
        }
        settings.ignore_hosts = settings
            .ignore_hosts
            .first()
            .and_then(|name| get(name))
            .map(|list| host_list(&list))
            .unwrap_or_default();
    }
    if wpad_only {
        settings.autoconfig_url.clear();
    }
    settings.into_config()
}

fn host_list(value: &str) -> Vec<String> {
    value
        .split([',', ' '])
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::proxy::{pac_string, ProxyMode, ProxyService};
    use url::Url;

    fn resolve(config: &ProxyConfig, url: &str) -> String {
        let service = ProxyService::default();
        service.set(config.clone());
        pac_string(&service.resolve_fixed(&Url::parse(url).unwrap()))
    }

    const NO_ENV: fn(&str) -> Option<String> = |_| None;

    #[test]
    fn manual_settings_with_spaces_suffixes_and_reversal() {
        let text = "[General]\nhttpProxy=http://wrong-section 1\n\n[Proxy Settings]\nProxyType=1\n\
                    httpProxy=http://kde-proxy.test 3128\nhttpsProxy=kde-secure.test:8443\n\
                    socksProxy=socks://kde-socks.test 1080\nNoProxyFor=corp.test,.lan 10.0.0.0/8\n";
        let config = from_kioslaverc(text, NO_ENV).unwrap();
        assert_eq!(
            resolve(&config, "http://a.test/"),
            "PROXY kde-proxy.test:3128"
        );
        assert_eq!(
            resolve(&config, "https://a.test/"),
            "PROXY kde-secure.test:8443"
        );
        assert_eq!(
            resolve(&config, "ftp://a.test/"),
            "SOCKS5 kde-socks.test:1080"
        );
        // Suffixes: `corp.test` covers its subdomains.
        assert_eq!(resolve(&config, "http://www.corp.test/"), "DIRECT");
        assert_eq!(resolve(&config, "http://x.lan/"), "DIRECT");
        assert_eq!(resolve(&config, "http://10.9.8.7/"), "DIRECT");
        let reversed = from_kioslaverc(&format!("{text}ReversedException=true\n"), NO_ENV).unwrap();
        assert_eq!(
            resolve(&reversed, "http://www.corp.test/"),
            "PROXY kde-proxy.test:3128"
        );
        assert_eq!(resolve(&reversed, "http://a.test/"), "DIRECT");
    }

    #[test]
    fn other_types() {
        let pac = from_kioslaverc(
            "[Proxy Settings]\nProxyType=2\nProxy Config Script=http://pac.test/p.pac\n",
            NO_ENV,
        )
        .unwrap();
        assert_eq!(pac.mode, ProxyMode::PacScript);
        assert_eq!(pac.pac_url, "http://pac.test/p.pac");
        let wpad = from_kioslaverc(
            "[Proxy Settings]\nProxy Config Script=http://pac.test/p.pac\nProxyType=3\n",
            NO_ENV,
        )
        .unwrap();
        assert_eq!(wpad.mode, ProxyMode::AutoDetect);
        let none = from_kioslaverc("[Proxy Settings]\nProxyType=0\n", NO_ENV).unwrap();
        assert_eq!(none.mode, ProxyMode::Direct);
        let env = |name: &str| match name {
            "MY_PROXY" => Some("env-proxy.test:8080".to_owned()),
            "MY_NO_PROXY" => Some("skip.test".to_owned()),
            _ => None,
        };
        let indirect = from_kioslaverc(
            "[Proxy Settings]\nProxyType=4\nhttpProxy=MY_PROXY\nNoProxyFor=MY_NO_PROXY\n",
            env,
        )
        .unwrap();
        assert_eq!(
            resolve(&indirect, "http://a.test/"),
            "PROXY env-proxy.test:8080"
        );
        assert_eq!(resolve(&indirect, "http://x.skip.test/"), "DIRECT");
        assert!(from_kioslaverc("[Proxy Settings]\nProxyType=1\n", NO_ENV).is_none());
        assert!(from_kioslaverc("", NO_ENV).is_none());
    }

    #[test]
    fn where_the_file_is() {
        let env = crate::core::proxy::desktop::fake_env;
        assert!(is_kde(env(&[("XDG_CURRENT_DESKTOP", "KDE")])));
        assert!(is_kde(env(&[("KDE_FULL_SESSION", "true")])));
        assert!(!is_kde(env(&[("XDG_CURRENT_DESKTOP", "GNOME")])));
        assert_eq!(
            kioslaverc(env(&[("KDEHOME", "/k"), ("HOME", "/h")])).unwrap(),
            PathBuf::from("/k/share/config/kioslaverc")
        );
        assert_eq!(
            kioslaverc(env(&[("HOME", "/h")])).unwrap(),
            PathBuf::from("/h/.config/kioslaverc")
        );
    }
}
