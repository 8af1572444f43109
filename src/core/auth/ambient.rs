//! Credentials a handshake may use without asking (Chromium's "default credentials"): which
//! servers may be sent them (`allowNTLMCredentialsForDomains`, Chromium's
//! HttpAuthFilterAllowlist: bypass-rule patterns without the implicit loopback rule;
//! proxies are always allowed), and where they come from. Without a Windows logon session
//! or a Kerberos ticket cache, that is the NTLM credential file named by `NTLM_USER_FILE`
//! (`DOMAIN:USER:PASSWORD` lines, the form Heimdal and gss-ntlmssp read, which is where
//! Chromium's GSSAPI library finds NTLM credentials on Linux). The file is read when a
//! handshake needs it, so a changed file applies to the next handshake.

use std::sync::RwLock;

use url::Url;

use super::Credentials;
use crate::core::bypass::BypassRules;

/// The servers a session sends default credentials to.
#[derive(Default)]
pub struct AllowList {
    rules: RwLock<Option<BypassRules>>,
}

impl AllowList {
    /// Replaces the list (`'*example.com, *foobar.com, *baz'`); a rule that does not parse
    /// is an error and the list in force stays.
    pub fn set(&self, domains: &str) -> Result<(), String> {
        let rules = if domains.trim().is_empty() {
            None
        } else {
            // Chromium parses the list as bypass rules after `<-loopback>`.
            let rules = BypassRules::parse(&format!("<-loopback>;{domains}"))
                .map_err(|e| e.replacen("bypass rule", "domain rule", 1))?;
            Some(rules)
        };
        *self.rules.write().unwrap_or_else(|p| p.into_inner()) = rules;
        Ok(())
    }

    /// Whether a server at `url` may be sent default credentials.
    pub fn allows(&self, url: &Url) -> bool {
        self.rules
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .is_some_and(|rules| rules.bypasses(url))
    }
}

/// The default credentials, if the environment names a credential file holding any: its
/// first `DOMAIN:USER:PASSWORD` entry (`#` starts a comment line; lines with more fields are
/// smbpasswd's hash form, which is not read).
pub fn default_credentials() -> Option<Credentials> {
    let path = std::env::var_os("NTLM_USER_FILE")?;
    let text = std::fs::read_to_string(path).ok()?;
    parse_user_file(&text)
}

fn parse_user_file(text: &str) -> Option<Credentials> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .find_map(|line| {
            let line = line.trim_end_matches('\r');
            let mut fields = line.split(':');
            let (domain, user, password) = (fields.next()?, fields.next()?, fields.next()?);
            if user.is_empty() || fields.next().is_some() {
                return None;
            }
            let username = if domain.is_empty() {
                user.to_owned()
            } else {
                format!("{domain}\\{user}")
            };
            Some(Credentials {
                username,
                password: password.to_owned(),
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowlist_matches_as_chromium() {
        let list = AllowList::default();
        let url = |s: &str| Url::parse(s).unwrap();
        assert!(!list.allows(&url("http://intranet.example.com/")));
        list.set("*example.com, *foobar.com, *baz").unwrap();
        assert!(list.allows(&url("http://intranet.example.com/")));
        assert!(list.allows(&url("https://example.com:8443/x")));
        assert!(list.allows(&url("http://a.b.foobar.com/")));
        assert!(list.allows(&url("http://qux.baz/")));
        assert!(!list.allows(&url("http://example.org/")));
        // No implicit loopback entry.
        assert!(!list.allows(&url("http://localhost/")));
        assert!(!list.allows(&url("http://127.0.0.1/")));
        list.set("127.0.0.1, localhost").unwrap();
        assert!(list.allows(&url("http://127.0.0.1:9/")));
        assert!(list.set("10.0.0.0/99").is_err());
        assert!(
            list.allows(&url("http://localhost/")),
            "a bad list changes nothing"
        );
        list.set("").unwrap();
        assert!(!list.allows(&url("http://localhost/")));
    }

    #[test]
    fn user_file_lines() {
        let c = parse_user_file("# c\nbob:1000:AAD3:8846:[U]:LCT-1\nCORP:alice:p w\r\nX:b:q\n");
        let c = c.unwrap();
        assert_eq!(c.username, "CORP\\alice");
        assert_eq!(c.password, "p w");
        assert_eq!(parse_user_file(":carol:pw\n").unwrap().username, "carol");
        assert!(parse_user_file("no colons\nDOM::pw\n").is_none());
    }
}
