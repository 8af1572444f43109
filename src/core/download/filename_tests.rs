//! Tests of download file naming: RFC 6266 cases (greenbytes' test suite names them) and
//! Chromium's fallbacks, sanitising and unique suffixes.

use super::*;

fn cd(value: &str) -> Option<String> {
    from_content_disposition(value)
}

#[test]
fn reads_content_disposition_as_rfc_6266_and_chromium_do() {
    // attwithasciifilename, attwithasciifilenamenq, attwithasciifilenameucase
    assert_eq!(
        cd(r#"attachment; filename="foo.html""#).as_deref(),
        Some("foo.html")
    );
    assert_eq!(
        cd("attachment; filename=foo.html").as_deref(),
        Some("foo.html")
    );
    assert_eq!(
        cd(r#"attachment; FILENAME="foo.html""#).as_deref(),
        Some("foo.html")
    );
    // attwithquotedsemicolon, attwithfnescapedquote
    assert_eq!(
        cd(r#"attachment; filename="Here's a semicolon;.html""#).as_deref(),
        Some("Here's a semicolon;.html")
    );
    assert_eq!(
        cd(r#"attachment; filename="\"quoting\" tested.html""#).as_deref(),
        Some(r#""quoting" tested.html"#)
    );
    // inlwithasciifilename
    assert_eq!(
        cd(r#"inline; filename="foo.pdf""#).as_deref(),
        Some("foo.pdf")
    );
    // attwithfn2231utf8, attwithfn2231iso8859-1 (RFC 8187 ext-values)
    assert_eq!(
        cd("attachment; filename*=UTF-8''foo-%c3%a4-%e2%82%ac.html").as_deref(),
        Some("foo-ä-€.html")
    );
    assert_eq!(
        cd("attachment; filename*=iso-8859-1''foo-%E4.html").as_deref(),
        Some("foo-ä.html")
    );
    // attfncontqs… filename* wins whatever the order (attwithfn2231plain-and-ext)
    assert_eq!(
        cd(r#"attachment; filename="foo-ae.html"; filename*=UTF-8''foo-%c3%a4.html"#).as_deref(),
        Some("foo-ä.html")
    );
    assert_eq!(
        cd(r#"attachment; filename*=UTF-8''foo-%c3%a4.html; filename="foo-ae.html""#).as_deref(),
        Some("foo-ä.html")
    );
    // An ext-value in a charset we cannot read falls back to filename.
    assert_eq!(
        cd(r#"attachment; filename*=x-unknown''foo; filename="bar.txt""#).as_deref(),
        Some("bar.txt")
    );
    // Chromium decodes a percent-encoded filename that is UTF-8 (attwithfnrawpctenca).
    assert_eq!(
        cd(r#"attachment; filename="foo-%41.html""#).as_deref(),
        Some("foo-A.html")
    );
    assert_eq!(
        cd(r#"attachment; filename="na%C3%AFve.txt""#).as_deref(),
        Some("naïve.txt")
    );
    // No usable filename (attonly, attemptyfilename).
    assert_eq!(cd("attachment"), None);
    assert_eq!(cd(r#"attachment; filename="""#), None);
}

#[test]
fn falls_back_to_the_url_then_download_with_an_extension_from_the_mime_type() {
    let url = |u: &str| Url::parse(u).unwrap();
    assert_eq!(
        suggested(
            &url("http://h/files/report%20final.pdf?x=1"),
            None,
            "application/pdf"
        ),
        "report final.pdf"
    );
    assert_eq!(
        suggested(
            &url("http://h/files/notes"),
            None,
            "text/plain; charset=utf-8"
        ),
        "notes.txt"
    );
    assert_eq!(
        suggested(&url("http://h/"), None, "application/pdf"),
        "download.pdf"
    );
    assert_eq!(
        suggested(&url("http://h/"), None, "application/x-unknown"),
        "download"
    );
    assert_eq!(
        suggested(&url("data:text/plain,hi"), None, "text/plain"),
        "download.txt"
    );
    assert_eq!(
        suggested(
            &url("http://h/ignored.bin"),
            Some("attachment; filename=\"/etc/passwd\""),
            "text/plain"
        ),
        "_etc_passwd.txt"
    );
    assert_eq!(
        suggested(
            &url("http://h/a.zip"),
            Some("attachment"),
            "application/zip"
        ),
        "a.zip"
    );
}

#[test]
fn makes_names_safe_for_every_file_system() {
    assert_eq!(sanitize("..hidden.."), "hidden");
    assert_eq!(sanitize("a\u{7}b<c>d:e|f?g*h"), "a_b_c_d_e_f_g_h");
    assert_eq!(sanitize("..\\..\\boot.ini"), "_.._boot.ini");
    assert_eq!(sanitize("CON.txt"), "_CON.txt");
    assert_eq!(sanitize("lpt1"), "_lpt1");
    assert_eq!(sanitize("   "), "download");
    let long = format!("{}.pdf", "é".repeat(200));
    let cut = sanitize(&long);
    assert!(
        cut.len() <= 255 && cut.ends_with(".pdf"),
        "{} bytes",
        cut.len()
    );
}

#[test]
fn picks_chromiums_unique_suffix_when_the_name_is_taken() {
    let dir = Path::new("/downloads");
    let taken = [
        "/downloads/report.pdf",
        "/downloads/report (1).pdf",
        "/downloads/notes",
    ];
    let exists = |p: &Path| taken.iter().any(|t| Path::new(t) == p);
    assert_eq!(unique(dir, "free.pdf", exists), Some(dir.join("free.pdf")));
    assert_eq!(
        unique(dir, "report.pdf", exists),
        Some(dir.join("report (2).pdf"))
    );
    assert_eq!(unique(dir, "notes", exists), Some(dir.join("notes (1)")));
    assert_eq!(unique(dir, "x", |_| true), None);
}
