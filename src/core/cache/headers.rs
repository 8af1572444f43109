//! How the cache reads a response's headers. One `Cache-Control` parser (quoted strings
//! kept whole, names case-insensitive) for every rule; the headers handed to the policy
//! (http-cache-semantics) in the form RFC 9111 means them, because its own parsing is
//! stricter or looser than Chromium's in places: `max-age` to its leading digits (a value
//! that starts with none is stale), `Age` lists or junk as stale, the apparent age from
//! `Date` folded into `Age`, `Expires` in any of the formats browsers accept, response
//! `Pragma` ignored, `no-cache="field"` as a rule about fields rather than the response.
//! And which headers a stored head leaves out.

use std::time::SystemTime;

pub use super::http_date::{imf_fixdate, parse_date_leniently};

/// One `Cache-Control` directive, borrowed from the field value: its name (compare with
/// `is`), its value without quotes, and whether it is well-formed (no space around `=`, a
/// closed quote).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Directive<'a> {
    /// The name as sent.
    pub name: &'a str,
    /// The value, without its quotes.
    pub value: Option<&'a str>,
    /// Whether the value was a quoted string.
    pub quoted: bool,
    /// Whether the directive follows the grammar.
    pub well_formed: bool,
}

impl Directive<'_> {
    /// Whether this is the directive `name` (lower case; names are case-insensitive).
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }
}

/// The directives of every `Cache-Control` field line in `headers`, in order.
pub fn cache_control(headers: &[(String, String)]) -> Vec<Directive<'_>> {
    let mut found = Vec::new();
    for (name, value) in headers {
        if name.eq_ignore_ascii_case("cache-control") {
            directives(value, &mut found);
        }
    }
    found
}

/// Splits one field value into directives (commas inside quoted strings do not split).
fn directives<'a>(value: &'a str, found: &mut Vec<Directive<'a>>) {
    let (mut start, mut in_quotes, mut escaped) = (0, false, false);
    let mut push = |part: &'a str| {
        let part = part.trim();
        if !part.is_empty() {
            found.push(directive(part));
        }
    };
    for (i, c) in value.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_quotes => escaped = true,
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => {
                push(&value[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    push(&value[start..]);
}

fn directive(part: &str) -> Directive<'_> {
    let Some((name, value)) = part.split_once('=') else {
        return Directive {
            name: part,
            value: None,
            quoted: false,
            well_formed: true,
        };
    };
    let spaced = name.ends_with([' ', '\t']) || value.starts_with([' ', '\t']);
    let (value, quoted, closed) = match value.strip_prefix('"') {
        Some(rest) => match rest.strip_suffix('"') {
            Some(inner) => (inner, true, true),
            None => (rest, true, false),
        },
        None => (value, false, true),
    };
    Directive {
        name: name.trim(),
        value: Some(value),
        quoted,
        well_formed: !spaced && closed,
    }
}

/// The seconds of a delta-seconds directive value, as Chromium reads them: its leading
/// digits (`3600a` and `3600.5` are 3600), saturating at 2^31 (RFC 9111 section 1.2.2);
/// `None` when it starts with no digit.
pub fn delta_seconds(value: &str) -> Option<u64> {
    let digits = value.len() - value.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    (digits > 0).then(|| {
        value[..digits]
            .parse::<u64>()
            .unwrap_or(u64::MAX)
            .min(1 << 31)
    })
}

/// The first `name` directive's seconds (`None` when absent or malformed).
pub fn directive_seconds(directives: &[Directive], name: &str) -> Option<u64> {
    let found = directives.iter().find(|d| d.is(name))?;
    delta_seconds(found.value?).filter(|_| found.well_formed)
}

/// The request headers the policy keeps of a request whose response has `response_headers`:
/// those `Vary` names and those it reads itself (`Host`, `Authorization`, `Cache-Control`,
/// `Pragma`).
pub fn request_for_policy(
    request_headers: &[(String, String)],
    response_headers: &[(String, String)],
) -> Vec<(String, String)> {
    const READ: [&str; 4] = ["host", "authorization", "cache-control", "pragma"];
    let varied: Vec<&str> = response_headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("vary"))
        .flat_map(|(_, value)| value.split(','))
        .map(str::trim)
        .collect();
    request_headers
        .iter()
        .filter(|(name, _)| {
            READ.iter().any(|r| r.eq_ignore_ascii_case(name))
                || varied.iter().any(|v| v.eq_ignore_ascii_case(name))
        })
        .cloned()
        .collect()
}

/// Whether a directive named `name` is present (any value).
pub fn has_directive(directives: &[Directive], name: &str) -> bool {
    directives.iter().any(|d| d.is(name))
}

/// The age RFC 9111 section 1.2.2 gives a value no one can trust: the largest.
const UNTRUSTED_AGE: u64 = 1 << 31;

/// The `Age` a response arrived with, as RFC 9111 section 4.2.3's corrected initial age:
/// the larger of its `Age` and its apparent age (`received` − `Date`). An `Age` that is not
/// one plain number (a list, two lines, a sign, a fraction, a parameter) is not trusted and
/// makes the response stale, as RFC 9111 section 4.2.1 allows.
fn corrected_age(headers: &[(String, String)], received: SystemTime) -> Option<u64> {
    let mut ages = headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("age"))
        .map(|(_, value)| value.trim());
    let stated = match (ages.next(), ages.next()) {
        (None, _) => None,
        (Some(value), None) if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
            delta_seconds(value)
        }
        _ => Some(UNTRUSTED_AGE),
    };
    let date = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("date"))
        .and_then(|(_, value)| parse_date_leniently(value));
    let apparent = date
        .and_then(|date| received.duration_since(date).ok())
        .map(|age| age.as_secs())
        .filter(|age| *age > 0);
    match (stated, apparent) {
        (None, None) => None,
        (stated, apparent) => Some(stated.unwrap_or(0).max(apparent.unwrap_or(0))),
    }
}

/// The response headers as the policy is to read them (see the module's note), for a
/// response received at `received`: only those it reads (freshness, validators, `Vary`).
pub fn for_policy(headers: &[(String, String)], received: SystemTime) -> Vec<(String, String)> {
    let directives = cache_control(headers);
    let mut out: Vec<(String, String)> = Vec::with_capacity(8);
    let (mut expires_seen, mut date_seen) = (false, false);
    for (name, value) in headers {
        let lower = name.to_ascii_lowercase();
        let seen = match lower.as_str() {
            "cache-control" | "age" | "pragma" => continue,
            "expires" => &mut expires_seen,
            "date" => &mut date_seen,
            // The other fields the policy reads; the rest would only be copied and stored.
            "etag" | "last-modified" | "vary" => {
                out.push((lower, value.clone()));
                continue;
            }
            _ => continue,
        };
        // The first line counts, rewritten in the one form the policy parses.
        if !std::mem::replace(seen, true) {
            let parsed = parse_date_leniently(value).map(imf_fixdate);
            out.push((lower, parsed.unwrap_or_else(|| value.clone())));
        }
    }
    let mut normalized = String::new();
    let mut max_age_seen = false;
    for d in &directives {
        let next = if normalized.is_empty() { "" } else { ", " };
        let name = d.name.to_ascii_lowercase();
        match name.as_str() {
            // The first max-age counts; one that is not a number makes the response stale.
            "max-age" if max_age_seen => {}
            "max-age" => {
                max_age_seen = true;
                let seconds = d.value.and_then(delta_seconds);
                let seconds = seconds.filter(|_| d.well_formed && !d.value_is_signed());
                normalized += &format!("{next}max-age={}", seconds.unwrap_or(0));
            }
            // With field names, no-cache is about those fields (left out of the stored head).
            "no-cache" if d.value.is_some() => {}
            _ => match d.value {
                None => normalized += &format!("{next}{name}"),
                Some(value) if d.quoted => {
                    normalized += &format!("{next}{name}=\"{}\"", value.replace('"', ""))
                }
                Some(value) => normalized += &format!("{next}{name}={value}"),
            },
        }
    }
    if !normalized.is_empty() {
        out.push(("cache-control".to_owned(), normalized));
    }
    if let Some(age) = corrected_age(headers, received) {
        out.push(("age".to_owned(), age.to_string()));
    }
    out
}

impl Directive<'_> {
    fn value_is_signed(&self) -> bool {
        self.value.is_some_and(|v| v.starts_with(['-', '+']))
    }
}

/// Headers a stored head leaves out: cookies (Chromium persists responses without them),
/// hop-by-hop fields and those `Connection` names (RFC 9111 section 3.1), and those a
/// `no-cache="…"` directive names (RFC 9111 section 5.2.2.4).
pub struct LeftOut {
    /// Named by `Connection` or `no-cache="…"` (lower case); usually none.
    listed: Vec<String>,
}

impl LeftOut {
    const ALWAYS: [&'static str; 8] = [
        "set-cookie",
        "set-cookie2",
        "connection",
        "proxy-connection",
        "keep-alive",
        "trailer",
        "upgrade",
        "te",
    ];

    /// What the response with `headers` leaves out.
    pub fn of(headers: &[(String, String)]) -> Self {
        let mut listed = Vec::new();
        let mut list = |field: &str| {
            listed.extend(
                field
                    .split(',')
                    .map(|n| n.trim().to_ascii_lowercase())
                    .filter(|n| !n.is_empty()),
            )
        };
        for (name, value) in headers {
            if name.eq_ignore_ascii_case("connection") {
                list(value);
            } else if name.eq_ignore_ascii_case("cache-control")
                && value.to_ascii_lowercase().contains("no-cache=")
            {
                let mut found = Vec::new();
                directives(value, &mut found);
                for d in found {
                    if let (true, Some(fields)) = (d.is("no-cache"), d.value) {
                        list(fields);
                    }
                }
            }
        }
        Self { listed }
    }

    /// Whether the header `name` is left out.
    pub fn contains(&self, name: &str) -> bool {
        Self::ALWAYS.iter().any(|n| n.eq_ignore_ascii_case(name))
            || self.listed.iter().any(|n| n.eq_ignore_ascii_case(name))
    }
}

/// Headers a 304 does not replace in the stored head: what RFC 9111 section 3.2 keeps
/// (`Content-Length`, what is left out of storage, what the stored body depends on: its
/// coding and range), and, as Chromium and the httpwg tests require, the stored validators
/// and `Content-MD5`. Chromium keeps a few more (`Content-Type`, `X-Frame-Options`…); RFC
/// 9111 and the tests say those are updated.
pub fn kept_on_update(name: &str) -> bool {
    const KEPT: [&str; 15] = [
        "content-length",
        "content-encoding",
        "content-range",
        "transfer-encoding",
        "etag",
        "content-md5",
        "connection",
        "proxy-connection",
        "keep-alive",
        "te",
        "trailer",
        "upgrade",
        "www-authenticate",
        "proxy-authenticate",
        "proxy-authorization",
    ];
    KEPT.iter().any(|kept| kept.eq_ignore_ascii_case(name))
}

#[cfg(test)]
#[path = "headers_tests.rs"]
mod tests;
