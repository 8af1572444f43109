//! Chromium's host resolver rules (`--host-resolver-rules`, HostMappingRules): `MAP pattern
//! replacement[:port]`, `EXCLUDE pattern`, `MAP pattern ~NOTFOUND`, comma separated. They
//! change where a host's connections go, never the name TLS and `Host` use, so real names can
//! be tested on loopback.

use std::sync::{Arc, RwLock};

use crate::core::wildcard;

/// Where a host's connections go after the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mapping {
    /// No rule applies: resolve the host itself.
    Unchanged,
    /// Connect to this host (name or IP literal) and port instead.
    To(String, u16),
    /// `~NOTFOUND`: the name does not resolve.
    NotFound,
}

#[derive(Debug, Clone)]
enum Rule {
    Map {
        pattern: String,
        host: String,
        port: Option<u16>,
    },
    NotFound {
        pattern: String,
    },
    Exclude {
        pattern: String,
    },
}

/// A parsed rule list.
#[derive(Debug, Clone, Default)]
pub struct HostRules {
    rules: Vec<Rule>,
}

impl HostRules {
    /// Parses Chromium's syntax. Malformed rules are skipped, as Chromium skips them.
    pub fn parse(text: &str) -> Self {
        let mut rules = Vec::new();
        for part in text.split([',', ';']) {
            let words: Vec<&str> = part.split_whitespace().collect();
            match words.as_slice() {
                [kind, pattern, "~NOTFOUND"] if kind.eq_ignore_ascii_case("map") => {
                    rules.push(Rule::NotFound {
                        pattern: pattern.to_ascii_lowercase(),
                    })
                }
                [kind, pattern, replacement] if kind.eq_ignore_ascii_case("map") => {
                    if let Some((host, port)) = split_host_port(replacement) {
                        rules.push(Rule::Map {
                            pattern: pattern.to_ascii_lowercase(),
                            host,
                            port,
                        });
                    }
                }
                [kind, pattern] if kind.eq_ignore_ascii_case("exclude") => {
                    rules.push(Rule::Exclude {
                        pattern: pattern.to_ascii_lowercase(),
                    })
                }
                _ => {}
            }
        }
        Self { rules }
    }

    /// Applies the rules to a host and port: an EXCLUDE that matches wins over any MAP,
    /// otherwise the first MAP that matches.
    pub fn map(&self, host: &str, port: u16) -> Mapping {
        if self.rules.is_empty() {
            return Mapping::Unchanged;
        }
        let host = host.to_ascii_lowercase();
        let host_port = format!("{host}:{port}");
        let matches =
            |p: &str| wildcard::matches(p, &host, true) || wildcard::matches(p, &host_port, true);
        if self
            .rules
            .iter()
            .any(|r| matches!(r, Rule::Exclude { pattern } if matches(pattern)))
        {
            return Mapping::Unchanged;
        }
        for rule in &self.rules {
            match rule {
                Rule::Map {
                    pattern,
                    host: to,
                    port: to_port,
                } if matches(pattern) => return Mapping::To(to.clone(), to_port.unwrap_or(port)),
                Rule::NotFound { pattern } if matches(pattern) => return Mapping::NotFound,
                _ => {}
            }
        }
        Mapping::Unchanged
    }
}

fn split_host_port(text: &str) -> Option<(String, Option<u16>)> {
    if let Some(rest) = text.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p.parse().ok()?),
            None if after.is_empty() => None,
            None => return None,
        };
        return Some((host.to_owned(), port));
    }
    match text.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') => {
            Some((host.to_owned(), Some(port.parse().ok()?)))
        }
        _ => Some((text.to_owned(), None)),
    }
}

static GLOBAL: RwLock<Option<Arc<HostRules>>> = RwLock::new(None);

/// Sets the process-wide rules (Chromium reads the switch once for the whole process).
pub fn set_global(text: &str) {
    let rules = Arc::new(HostRules::parse(text));
    *GLOBAL.write().unwrap_or_else(|p| p.into_inner()) = Some(rules);
}

/// The process-wide rules (empty until set).
pub fn global() -> Arc<HostRules> {
    GLOBAL
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_exclude_and_notfound() {
        let rules = HostRules::parse(
            "MAP * 127.0.0.1, EXCLUDE keep.example, MAP gone.test ~NOTFOUND, MAP x:81 [::1]:9",
        );
        assert_eq!(
            rules.map("a.example", 443),
            Mapping::To("127.0.0.1".into(), 443)
        );
        assert_eq!(rules.map("keep.example", 80), Mapping::Unchanged);
        // The first matching MAP wins: `*` comes first.
        assert_eq!(
            rules.map("gone.test", 80),
            Mapping::To("127.0.0.1".into(), 80)
        );
        let rules = HostRules::parse("MAP gone.test ~NOTFOUND; MAP x:81 [::1]:9; MAP *.a.test b:7");
        assert_eq!(rules.map("gone.test", 80), Mapping::NotFound);
        assert_eq!(rules.map("x", 81), Mapping::To("::1".into(), 9));
        assert_eq!(rules.map("x", 80), Mapping::Unchanged);
        assert_eq!(rules.map("w.a.test", 1), Mapping::To("b".into(), 7));
        assert_eq!(rules.map("a.test", 1), Mapping::Unchanged);
    }
}
