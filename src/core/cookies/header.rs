//! The HTTP side of cookies: the `Cookie` header a request carries, and `Set-Cookie` lines
//! parsed as Chromium's ParsedCookie does (RFC 6265bis section 5.6) into the details
//! `cookies.set` takes, with the cookie-date algorithm of RFC 6265 section 5.1.1.

use url::Url;

use super::access::RequestScope;
use super::create::SetDetails;
use super::filter::CookieFilter;
use super::jar::CookieJar;
use crate::core::time;
use crate::core::Result;

/// Parses one `Set-Cookie` header value received from `url` into the details `cookies.set`
/// takes. `None` when the line has no usable name/value pair, or names a `__Host-` cookie
/// without a `Path=/` attribute (Chromium's IsCookiePrefixValid for a parsed cookie wants
/// the attribute itself, not a default path of `/`): Chromium ignores such lines.
pub fn parse_set_cookie<'a>(
    url: &'a str,
    line: &'a str,
    now_seconds: f64,
) -> Option<SetDetails<'a>> {
    let mut parts = line.split(';');
    let pair = parts.next()?.trim_matches([' ', '\t']);
    let (name, value) = match pair.split_once('=') {
        Some((n, v)) => (n.trim_matches([' ', '\t']), v.trim_matches([' ', '\t'])),
        // RFC 6265bis: a pair without '=' is a value with an empty name.
        None => ("", pair),
    };
    if name.is_empty() && value.is_empty() {
        return None;
    }
    // Chromium keeps surrounding quotes as part of the value; so do we.
    let mut details = SetDetails {
        url: Some(url.into()),
        name: Some(name.into()),
        value: Some(value.into()),
        secure: Some(false),
        http_only: Some(false),
        same_site: Some("unspecified".into()),
        ..SetDetails::default()
    };
    let mut max_age: Option<f64> = None;
    let mut expires: Option<f64> = None;
    let mut path_attribute: Option<&str> = None;
    for attribute in parts {
        let attribute = attribute.trim_matches([' ', '\t']);
        let (key, val) = match attribute.split_once('=') {
            Some((k, v)) => (k.trim_matches([' ', '\t']), v.trim_matches([' ', '\t'])),
            None => (attribute, ""),
        };
        match key.to_ascii_lowercase().as_str() {
            "secure" => details.secure = Some(true),
            "httponly" => details.http_only = Some(true),
            "domain" => details.domain = Some(val.into()),
            "path" => {
                path_attribute = Some(val);
                details.path = (val.starts_with('/')).then(|| val.into());
            }
            "max-age" => max_age = parse_max_age(val).or(max_age),
            "expires" => expires = parse_cookie_date(val).or(expires),
            "samesite" => {
                details.same_site = Some(
                    match val.to_ascii_lowercase().as_str() {
                        "none" => "no_restriction",
                        "lax" => "lax",
                        "strict" => "strict",
                        _ => "unspecified",
                    }
                    .into(),
                )
            }
            _ => {}
        }
    }
    // Max-Age wins over Expires; a non-positive Max-Age expires the cookie at once.
    details.expiration_date = match max_age {
        Some(age) if age <= 0.0 => Some(0.0),
        Some(age) => Some(now_seconds + age),
        None => expires.map(|e| if e <= 0.0 { 0.0 } else { e }),
    };
    let host_prefixed = name.len() >= 7 && name.as_bytes()[..7].eq_ignore_ascii_case(b"__Host-");
    if host_prefixed && path_attribute != Some("/") {
        return None;
    }
    Some(details)
}

/// `Max-Age`: an optional `-` then digits; anything else ignores the attribute.
fn parse_max_age(value: &str) -> Option<f64> {
    let digits = value.strip_prefix('-').unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let magnitude: f64 = digits.parse().ok()?;
    Some(if value.starts_with('-') {
        -magnitude
    } else {
        magnitude
    })
}

/// RFC 6265 section 5.1.1 cookie-date, to seconds since the epoch.
pub fn parse_cookie_date(value: &str) -> Option<f64> {
    let is_delimiter = |c: char| matches!(c, '\x09' | '\x20'..='\x2f' | '\x3b'..='\x40' | '\x5b'..='\x60' | '\x7b'..='\x7e');
    let (mut hms, mut day, mut month, mut year) = (None, None, None, None);
    for token in value.split(is_delimiter).filter(|t| !t.is_empty()) {
        if hms.is_none() {
            if let Some(t) = parse_time(token) {
                hms = Some(t);
                continue;
            }
        }
        if day.is_none() {
            if let Some(d) = leading_digits(token, 1, 2) {
                day = Some(d);
                continue;
            }
        }
        if month.is_none() && token.len() >= 3 {
            const MONTHS: [&str; 12] = [
                "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
            ];
            let prefix = token[..3].to_ascii_lowercase();
            if let Some(i) = MONTHS.iter().position(|m| *m == prefix) {
                month = Some(i as u32 + 1);
                continue;
            }
        }
        if year.is_none() {
            if let Some(y) = leading_digits(token, 2, 4) {
                year = Some(y);
                continue;
            }
        }
    }
    let (h, mi, s) = hms?;
    let (day, month, mut year) = (day?, month?, year?);
    if (70..=99).contains(&year) {
        year += 1900;
    } else if year <= 69 {
        year += 2000;
    }
    if !(1..=31).contains(&day) || year < 1601 || h > 23 || mi > 59 || s > 59 {
        return None;
    }
    let days = days_from_civil(year as i64, month, day);
    Some((days * 86_400 + (h * 3600 + mi * 60 + s) as i64) as f64)
}

fn leading_digits(token: &str, min: usize, max: usize) -> Option<u32> {
    let n = token.bytes().take_while(u8::is_ascii_digit).count();
    if n < min || n > max {
        return None;
    }
    token[..n].parse().ok()
}

fn parse_time(token: &str) -> Option<(u32, u32, u32)> {
    let mut it = token.split(':');
    let h = leading_digits(it.next()?, 1, 2)?;
    let m = leading_digits(it.next()?, 1, 2)?;
    let s = leading_digits(it.next()?, 1, 2)?;
    Some((h, m, s))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Seconds since the epoch now, for `parse_set_cookie`.
pub fn now_seconds() -> f64 {
    time::to_seconds(time::now())
}

/// The jar as the network stack uses it: request headers out, `Set-Cookie` in.
impl CookieJar {
    /// Stores the `Set-Cookie` lines of a response from `url`, as the network stack does:
    /// each line on its own, a refused one (bad domain, Secure from http, ...) skipped.
    pub fn store_response_cookies<'a>(&self, url: &str, lines: impl Iterator<Item = &'a str>) {
        let now = now_seconds();
        for line in lines {
            if let Some(details) = parse_set_cookie(url, line, now) {
                // A refusal is not an error for the response, as in Chromium.
                let _ = self.set(&details);
            }
        }
    }

    /// The `Cookie` header a request to `url` carries (every cookie its host, path and
    /// scheme may read, in Chromium's order), or `None` when there is none.
    pub fn request_header(&self, url: &Url) -> Result<Option<String>> {
        let filter = CookieFilter::default();
        self.with_scope(RequestScope::of(url), &filter, |cookies| {
            if cookies.is_empty() {
                return None;
            }
            let mut header = String::new();
            for (i, c) in cookies.iter().enumerate() {
                if i > 0 {
                    header.push_str("; ");
                }
                if !c.name.is_empty() {
                    header.push_str(&c.name);
                    header.push('=');
                }
                header.push_str(&c.value);
            }
            Some(header)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_attributes() {
        let p = parse_set_cookie(
            "https://a.example/x/y",
            "sid=abc; Path=/x; Domain=a.example; Secure; HttpOnly; SameSite=Strict; Max-Age=60",
            1000.0,
        )
        .unwrap();
        let d = p;
        assert_eq!(d.name.as_deref(), Some("sid"));
        assert_eq!(d.value.as_deref(), Some("abc"));
        assert_eq!(d.path.as_deref(), Some("/x"));
        assert_eq!(d.domain.as_deref(), Some("a.example"));
        assert_eq!(d.secure, Some(true));
        assert_eq!(d.http_only, Some(true));
        assert_eq!(d.same_site.as_deref(), Some("strict"));
        assert_eq!(d.expiration_date, Some(1060.0));
    }

    #[test]
    fn max_age_beats_expires_and_bad_path_is_default() {
        let d = parse_set_cookie(
            "http://h/",
            "a=b; Expires=Wed, 21 Oct 2015 07:28:00 GMT; Max-Age=-1; Path=rel",
            5.0,
        )
        .unwrap();
        assert_eq!(d.expiration_date, Some(0.0));
        assert_eq!(d.path, None);
        assert_eq!(d.same_site.as_deref(), Some("unspecified"));
    }

    #[test]
    fn host_prefix_needs_the_path_attribute() {
        let parsed = |line| parse_set_cookie("https://h/", line, 0.0).is_some();
        assert!(!parsed("__Host-a=1; Secure"));
        assert!(!parsed("__host-a=1; Secure; Path=/x"));
        assert!(parsed("__Host-a=1; Secure; Path=/"));
        assert!(parsed("__Secure-a=1; Secure"));
    }

    #[test]
    fn cookie_dates() {
        assert_eq!(
            parse_cookie_date("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(1_445_412_480.0)
        );
        assert_eq!(
            parse_cookie_date("Sunday, 06-Nov-94 08:49:37 GMT"),
            Some(784_111_777.0)
        );
        assert_eq!(parse_cookie_date("garbage"), None);
        assert!(parse_set_cookie("http://h/", "", 0.0).is_none());
        let nameless = parse_set_cookie("http://h/", "justvalue", 0.0).unwrap();
        assert_eq!(
            (nameless.name.as_deref(), nameless.value.as_deref()),
            (Some(""), Some("justvalue"))
        );
    }
}
