//! Tests of the header readings: each case is one of the httpwg cache tests' inputs.

use super::*;

fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect()
}

fn value(headers: &[(String, String)], name: &str) -> Option<String> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
}

fn at(imf: &str) -> SystemTime {
    parse_date_leniently(imf).unwrap()
}

#[test]
fn splits_directives_outside_quotes_and_lowercases_names() {
    let headers = h(&[(
        "Cache-Control",
        r#"extension="max-age=3600, x", MaX-aGe=1, No-CaChE, max-age =5"#,
    )]);
    let parsed = cache_control(&headers);
    let names: Vec<&str> = parsed.iter().map(|d| d.name).collect();
    assert_eq!(names, ["extension", "MaX-aGe", "No-CaChE", "max-age"]);
    assert!(parsed[1].is("max-age") && parsed[2].is("no-cache"));
    assert_eq!(parsed[0].value, Some("max-age=3600, x"));
    assert!(parsed[0].quoted && parsed[0].well_formed);
    assert!(!parsed[3].well_formed);
    assert_eq!(directive_seconds(&parsed, "max-age"), Some(1));
}

#[test]
fn max_age_takes_leading_digits_and_is_stale_when_malformed() {
    let now = SystemTime::now();
    let cc = |v: &str| {
        value(
            &for_policy(&h(&[("Cache-Control", v)]), now),
            "cache-control",
        )
    };
    assert_eq!(cc("max-age=3600a").as_deref(), Some("max-age=3600"));
    assert_eq!(cc("max-age=3600.5").as_deref(), Some("max-age=3600"));
    assert_eq!(cc("max-age=\"3600\"").as_deref(), Some("max-age=3600"));
    assert_eq!(cc("max-age='3600'").as_deref(), Some("max-age=0"));
    assert_eq!(cc("max-age =3600").as_deref(), Some("max-age=0"));
    assert_eq!(cc("max-age= 3600").as_deref(), Some("max-age=0"));
    assert_eq!(cc("max-age=-3600").as_deref(), Some("max-age=0"));
    assert_eq!(
        cc("max-age=99999999999").as_deref(),
        Some("max-age=2147483648")
    );
    assert_eq!(
        cc("max-age=1800, max-age=1, No-CaChE").as_deref(),
        Some("max-age=1800, no-cache")
    );
    assert_eq!(
        cc(r#"no-cache="a, b", max-age=5"#).as_deref(),
        Some("max-age=5")
    );
}

#[test]
fn age_lists_and_junk_are_stale_and_date_gives_an_apparent_age() {
    let received = at("Sun, 06 Nov 2050 08:49:37 GMT");
    let age = |pairs: &[(&str, &str)]| value(&for_policy(&h(pairs), received), "age");
    assert_eq!(age(&[("Age", "7200")]).as_deref(), Some("7200"));
    for junk in ["abc", "-7200", "7200.0", "0, 0", "7200;foo=1", "0,7200"] {
        assert_eq!(
            age(&[("Age", junk)]).as_deref(),
            Some("2147483648"),
            "{junk}"
        );
    }
    assert_eq!(
        age(&[("Age", "0"), ("Age", "0")]).as_deref(),
        Some("2147483648")
    );
    // Date two hours before arrival: an apparent age of 7200 beats a stated 10.
    let date = "Sun, 06 Nov 2050 06:49:37 GMT";
    assert_eq!(
        age(&[("Date", date), ("Age", "10")]).as_deref(),
        Some("7200")
    );
    assert_eq!(age(&[("Date", date)]).as_deref(), Some("7200"));
    assert_eq!(age(&[]), None);
}

#[test]
fn expires_in_the_forms_browsers_accept() {
    let expect = "Thu, 18 Aug 2050 02:01:18 GMT";
    for form in [
        "Thu, 18 Aug 2050 02:01:18 GMT",
        "Thu 18 Aug 2050 02:01:18 GMT",
        "Thursday, 18-Aug-50 02:01:18 GMT",
        "Thu, 18 Aug 50 02:01:18 GMT",
        "Thu, 18-Aug-2050 02:01:18 GMT",
        "Thu, 18 Aug 2050 02.01.18 GMT",
        "Thu, 18 Aug 2050 02:01:18 UTC",
        "Thu, 18 Aug 2050 02:01:18 AEST",
        "Thu Aug 18 02:01:18 2050",
    ] {
        assert_eq!(
            parse_date_leniently(form).map(imf_fixdate).as_deref(),
            Some(expect),
            "{form}"
        );
    }
    assert_eq!(
        parse_date_leniently("Thu, 18 Aug 2050 2:01:18 GMT")
            .map(imf_fixdate)
            .as_deref(),
        Some("Thu, 18 Aug 2050 02:01:18 GMT")
    );
    assert_eq!(
        parse_date_leniently("Sun 21 Nov 2286 04:46:39 GMT")
            .map(imf_fixdate)
            .as_deref(),
        Some("Sun, 21 Nov 2286 04:46:39 GMT")
    );
    assert_eq!(
        parse_date_leniently("Tue 19 Jan 2038 14:14:08 GMT")
            .map(imf_fixdate)
            .as_deref(),
        Some("Tue, 19 Jan 2038 14:14:08 GMT")
    );
    for invalid in ["0", "", "-1", "Thu, 18 Aug 02:01:18 GMT", "tomorrow"] {
        assert_eq!(parse_date_leniently(invalid), None, "{invalid}");
    }
    // Only the first Expires line counts.
    let policy = for_policy(
        &h(&[
            ("Expires", "Thu, 18 Aug 2050 2:01:18 GMT"),
            ("Expires", "x"),
        ]),
        SystemTime::now(),
    );
    let lines: Vec<_> = policy.iter().filter(|(n, _)| n == "expires").collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].1, "Thu, 18 Aug 2050 02:01:18 GMT");
}

#[test]
fn stored_heads_leave_out_cookies_hop_by_hop_and_listed_fields() {
    let out = LeftOut::of(&h(&[
        ("Connection", "a, B"),
        ("Cache-Control", r#"no-cache="c, d", max-age=60"#),
    ]));
    for name in ["Set-Cookie", "connection", "keep-alive", "a", "b", "C", "d"] {
        assert!(out.contains(name), "{name}");
    }
    assert!(!out.contains("max-age") && !out.contains("cache-control"));
    assert!(kept_on_update("ETag") && kept_on_update("Content-MD5"));
    assert!(kept_on_update("content-length") && kept_on_update("Content-Encoding"));
    for updated in [
        "Cache-Control",
        "X-Custom",
        "Content-Type",
        "X-Frame-Options",
    ] {
        assert!(!kept_on_update(updated), "{updated}");
    }
}

#[test]
fn hands_the_policy_only_the_fields_it_reads() {
    let response = h(&[
        ("Content-Type", "text/plain"),
        ("ETag", "\"e\""),
        ("Vary", "Accept-Language, X-Mode"),
        ("Server", "x"),
        ("Last-Modified", "Thu, 18 Aug 2050 02:01:18 GMT"),
    ]);
    let names: Vec<String> = for_policy(&response, SystemTime::now())
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(names, ["etag", "vary", "last-modified"]);
    let request = h(&[
        ("User-Agent", "u"),
        ("accept-language", "fr"),
        ("Host", "h"),
        ("X-Mode", "m"),
        ("Accept", "*/*"),
        ("Cache-Control", "no-cache"),
    ]);
    let kept: Vec<String> = request_for_policy(&request, &response)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(kept, ["accept-language", "Host", "X-Mode", "Cache-Control"]);
}
