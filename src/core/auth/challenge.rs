//! `WWW-Authenticate` / `Proxy-Authenticate` parsing: one header value may hold several
//! challenges; the strongest one we can answer is picked, as Chromium's
//! HttpAuth::ChooseBestChallenge does.

use std::collections::HashMap;

use super::Scheme;
use crate::core::quoted::read_quoted;

/// One parsed challenge.
#[derive(Debug, Clone)]
pub struct Challenge {
    /// Its scheme.
    pub scheme: Scheme,
    /// Its parameters, names lower-cased (a connection-based scheme's token is `token`).
    pub params: HashMap<String, String>,
}

impl Challenge {
    /// The realm (empty when none).
    pub fn realm(&self) -> &str {
        self.params.get("realm").map_or("", String::as_str)
    }

    /// The decoded token of a connection-based challenge's later leg.
    pub fn token(&self) -> Option<Vec<u8>> {
        use base64::Engine;
        let text = self.params.get("token")?;
        base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .ok()
    }
}

/// The best challenge we can answer among the header values, `None` if none.
pub fn pick_challenge<'a>(values: impl Iterator<Item = &'a str>) -> Option<Challenge> {
    values.flat_map(parse_challenges).min_by_key(|c| c.scheme)
}

/// Parses one header value, which may hold several challenges.
fn parse_challenges(value: &str) -> Vec<Challenge> {
    let mut out = Vec::new();
    let mut rest = value.trim();
    while !rest.is_empty() {
        let (scheme_word, mut after) = rest.split_once(' ').unwrap_or((rest, ""));
        // `NTLM, Basic realm=...`: a scheme word followed by a comma has nothing of its own.
        let bare = scheme_word.ends_with(',');
        let scheme_word = scheme_word.trim_end_matches(',');
        if bare {
            let next = after;
            after = "";
            rest = next;
        }
        let scheme = match scheme_word.to_ascii_lowercase().as_str() {
            "basic" => Some(Scheme::Basic),
            "digest" => Some(Scheme::Digest),
            "ntlm" => Some(Scheme::Ntlm),
            "negotiate" => Some(Scheme::Negotiate),
            _ => None,
        };
        if let Some(scheme) = scheme.filter(|s| s.is_connection_based()) {
            // NTLM and Negotiate carry a bare base64 token, not parameters.
            let (token, remaining) = if bare {
                ("", rest)
            } else {
                after.split_once(',').unwrap_or((after, ""))
            };
            let mut params = HashMap::new();
            if !token.trim().is_empty() {
                params.insert("token".to_owned(), token.trim().to_owned());
            }
            out.push(Challenge { scheme, params });
            rest = remaining.trim_start_matches([',', ' ']);
            continue;
        }
        let (params, remaining) = if bare {
            (HashMap::new(), rest)
        } else {
            parse_params(after)
        };
        if let Some(scheme) = scheme {
            out.push(Challenge { scheme, params });
        }
        rest = remaining.trim_start_matches([',', ' ']);
    }
    out
}

/// Parses `k=v, k="v"` pairs until a token that starts a new challenge.
fn parse_params(mut s: &str) -> (HashMap<String, String>, &str) {
    let mut params = HashMap::new();
    loop {
        s = s.trim_start_matches([',', ' ', '\t']);
        let Some(eq) = s.find('=') else {
            return (params, s);
        };
        let key = &s[..eq];
        if key.contains(' ') || key.is_empty() {
            return (params, s);
        }
        let after = &s[eq + 1..];
        let (value, rest) = if let Some(quoted) = after.strip_prefix('"') {
            read_quoted(quoted)
        } else {
            let end = after.find(',').unwrap_or(after.len());
            (after[..end].trim().to_owned(), &after[end..])
        };
        params.insert(key.to_ascii_lowercase(), value);
        s = rest;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_strongest_and_parses_params() {
        let c = pick_challenge(
            [
                "Basic realm=\"b\"",
                "Digest realm=\"r, x\", nonce=\"n\", qop=\"auth,auth-int\"",
            ]
            .into_iter(),
        )
        .unwrap();
        assert_eq!(c.scheme, Scheme::Digest);
        assert_eq!(c.realm(), "r, x");
        assert_eq!(c.params["qop"], "auth,auth-int");
        let c = pick_challenge(["Basic realm=\"b\", NTLM, Negotiate"].into_iter()).unwrap();
        assert_eq!(c.scheme, Scheme::Negotiate);
        assert!(c.token().is_none());
        let c = pick_challenge(["NTLM TlRMTVNTUAAC"].into_iter()).unwrap();
        assert_eq!(c.token().unwrap()[..8], *b"NTLMSSP\0");
        assert!(pick_challenge(["Bearer x", "Kerberos"].into_iter()).is_none());
    }
}
