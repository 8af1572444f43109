//! The `system` mode on GNOME-like desktops (GNOME, Unity, Cinnamon, Pantheon): GSettings'
//! `org.gnome.system.proxy` read as Chromium's SettingGetterImplGSettings reads it (mode,
//! autoconfig-url, ignore-hosts, and host/port per kind of proxy; like Chromium, the
//! `use-same-proxy` and `http.enabled` keys are ignored, GNOME's own dialog never sets
//! them), interpreted by `desktop`. The settings come from the `gsettings` tool every GNOME
//! desktop has; without it the environment is read instead.

use std::collections::HashMap;

use super::desktop::DesktopSettings;
use super::ProxyConfig;

/// Whether the desktop is one whose proxy settings live in GSettings (Chromium's
/// base::nix::GetDesktopEnvironment for these).
pub fn is_gnome_like(get: impl Fn(&str) -> Option<String>) -> bool {
    let current = get("XDG_CURRENT_DESKTOP").unwrap_or_default();
    current.split(':').any(|d| {
        matches!(
            d,
            "GNOME" | "Unity" | "X-Cinnamon" | "Cinnamon" | "Pantheon"
        )
    }) || get("DESKTOP_SESSION").is_some_and(|s| s == "gnome")
}

/// How long `gsettings` may take before the environment is read instead.
const GSETTINGS_DEADLINE: std::time::Duration = std::time::Duration::from_secs(2);

/// The configuration GSettings holds, when this is a GNOME-like desktop with `gsettings`.
pub fn read(get: impl Fn(&str) -> Option<String>) -> Option<ProxyConfig> {
    if !is_gnome_like(get) {
        return None;
    }
    // gsettings answers from dconf's database in milliseconds; a backend that hangs must
    // not hold the JS thread, so it gets a deadline and the environment is read instead.
    let mut child = std::process::Command::new("gsettings")
        .args(["list-recursively", "org.gnome.system.proxy"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    let deadline = std::time::Instant::now() + GSETTINGS_DEADLINE;
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => break,
            Ok(None) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(2))
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
    let output = child.wait_with_output().ok()?;
    from_listing(&String::from_utf8_lossy(&output.stdout))
}

/// One GVariant value as `gsettings` prints it.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Text(String),
    Number(i64),
    Flag(bool),
    List(Vec<String>),
}

/// Reads a quoted GVariant string at the start of `s`: the text and what follows.
fn quoted(s: &str) -> Option<(String, &str)> {
    let quote = s.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let mut out = String::new();
    let mut chars = s[1..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => out.push(chars.next()?.1),
            c if c == quote => return Some((out, &s[1 + i + 1..])),
            c => out.push(c),
        }
    }
    None
}

fn parse_value(text: &str) -> Option<Value> {
    let text = text.trim();
    if let Some((s, _)) = quoted(text) {
        return Some(Value::Text(s));
    }
    match text {
        "true" => return Some(Value::Flag(true)),
        "false" => return Some(Value::Flag(false)),
        _ => {}
    }
    if let Ok(n) = text.parse() {
        return Some(Value::Number(n));
    }
    let list = text.strip_prefix("@as ").unwrap_or(text);
    let mut rest = list.strip_prefix('[')?.trim_start();
    let mut items = Vec::new();
    while !rest.starts_with(']') {
        let (item, after) = quoted(rest)?;
        items.push(item);
        rest = after.trim_start().trim_start_matches(',').trim_start();
    }
    Some(Value::List(items))
}

/// The configuration in `gsettings list-recursively org.gnome.system.proxy` output, or
/// `None` when it says nothing usable (Chromium then reads the environment).
pub fn from_listing(listing: &str) -> Option<ProxyConfig> {
    let mut keys: HashMap<String, Value> = HashMap::new();
    for line in listing.lines() {
        let mut parts = line.splitn(3, ' ');
        let (Some(schema), Some(key), Some(value)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let child = schema
            .strip_prefix("org.gnome.system.proxy")
            .unwrap_or(schema);
        if let Some(value) = parse_value(value) {
            keys.insert(format!("{}/{key}", child.trim_start_matches('.')), value);
        }
    }
    let text = |k: &str| match keys.get(k) {
        Some(Value::Text(s)) => s.clone(),
        _ => String::new(),
    };
    // `host` with its port when one is set (0 means none).
    let proxy = |child: &str| -> String {
        let host = text(&format!("{child}/host"));
        match keys.get(&format!("{child}/port")) {
            Some(Value::Number(port)) if *port != 0 && !host.is_empty() => {
                format!("{host}:{port}")
            }
            _ => host,
        }
    };
    let ignore_hosts = match keys.get("/ignore-hosts") {
        Some(Value::List(hosts)) => hosts.clone(),
        _ => Vec::new(),
    };
    DesktopSettings {
        mode: text("/mode"),
        autoconfig_url: text("/autoconfig-url"),
        http: proxy("http"),
        https: proxy("https"),
        ftp: proxy("ftp"),
        socks: proxy("socks"),
        ignore_hosts,
        suffix_matching: false,
        reversed: false,
    }
    .into_config()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::proxy::{pac_string, ProxyMode, ProxyService};
    use url::Url;

    const MANUAL: &str = "org.gnome.system.proxy autoconfig-url ''
org.gnome.system.proxy ignore-hosts ['localhost', '*.internal', '10.0.0.0/8', \"it's\"]
org.gnome.system.proxy mode 'manual'
org.gnome.system.proxy use-same-proxy true
org.gnome.system.proxy.ftp host ''
org.gnome.system.proxy.ftp port 0
org.gnome.system.proxy.http enabled false
org.gnome.system.proxy.http host 'proxy.corp'
org.gnome.system.proxy.http port 3128
org.gnome.system.proxy.https host 'secure.corp'
org.gnome.system.proxy.https port 0
org.gnome.system.proxy.socks host 'socks.corp'
org.gnome.system.proxy.socks port 1080
";

    fn resolve(config: ProxyConfig, url: &str) -> String {
        let service = ProxyService::default();
        service.set(config);
        pac_string(&service.resolve_fixed(&Url::parse(url).unwrap()))
    }

    #[test]
    fn manual_mode_per_scheme_with_socks_fallback_and_ignore_hosts() {
        let config = from_listing(MANUAL).unwrap();
        assert_eq!(config.mode, ProxyMode::System);
        assert_eq!(
            resolve(config.clone(), "http://a.test/"),
            "PROXY proxy.corp:3128"
        );
        // https's proxy is an HTTP proxy, port 0 means its default.
        assert_eq!(
            resolve(config.clone(), "https://a.test/"),
            "PROXY secure.corp:80"
        );
        assert_eq!(
            resolve(config.clone(), "ftp://a.test/"),
            "SOCKS5 socks.corp:1080"
        );
        assert_eq!(resolve(config.clone(), "http://x.internal/"), "DIRECT");
        assert_eq!(resolve(config, "http://10.1.2.3/"), "DIRECT");
    }

    #[test]
    fn socks_alone_serves_every_scheme_and_other_modes() {
        let only_socks = MANUAL
            .replace("'proxy.corp'", "''")
            .replace("'secure.corp'", "''");
        let config = from_listing(&only_socks).unwrap();
        assert_eq!(
            resolve(config.clone(), "http://a.test/"),
            "SOCKS5 socks.corp:1080"
        );
        assert_eq!(resolve(config, "https://a.test/"), "SOCKS5 socks.corp:1080");
        let none = from_listing("org.gnome.system.proxy mode 'none'\n").unwrap();
        assert_eq!(none.mode, ProxyMode::Direct);
        let auto = from_listing(
            "org.gnome.system.proxy mode 'auto'\norg.gnome.system.proxy autoconfig-url '/etc/proxy.pac'\n",
        )
        .unwrap();
        assert_eq!(auto.mode, ProxyMode::PacScript);
        assert_eq!(auto.pac_url, "file:///etc/proxy.pac");
        let wpad = from_listing("org.gnome.system.proxy mode 'auto'\n").unwrap();
        assert_eq!(wpad.mode, ProxyMode::AutoDetect);
        // Manual without any proxy, or no mode at all: nothing usable.
        assert!(from_listing(
            &MANUAL
                .replace("'socks.corp'", "''")
                .replace("'proxy.corp'", "''")
                .replace("'secure.corp'", "''")
        )
        .is_none());
        assert!(from_listing("").is_none());
    }

    #[test]
    fn desktops_and_values() {
        let env = crate::core::proxy::desktop::fake_env;
        assert!(is_gnome_like(env(&[(
            "XDG_CURRENT_DESKTOP",
            "ubuntu:GNOME"
        )])));
        assert!(is_gnome_like(env(&[("XDG_CURRENT_DESKTOP", "X-Cinnamon")])));
        assert!(!is_gnome_like(env(&[("XDG_CURRENT_DESKTOP", "KDE")])));
        assert!(!is_gnome_like(env(&[])));
        assert_eq!(
            parse_value("['a', \"b'c\", 'd\\'e']"),
            Some(Value::List(vec!["a".into(), "b'c".into(), "d'e".into()]))
        );
        assert_eq!(parse_value("@as []"), Some(Value::List(vec![])));
        assert_eq!(parse_value("8080"), Some(Value::Number(8080)));
    }
}
