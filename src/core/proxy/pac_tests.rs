//! Tests of the PAC engine: helpers as Chromium's library has them, results, limits.

use super::*;

fn run(script: &str, url: &str) -> Result<String, String> {
    let engine = PacEngine::load(script.to_owned())?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(engine.find(&Url::parse(url).unwrap()))
        .map(|l| super::super::pac_string(&l))
}

#[test]
fn helpers_and_results() {
    let script = r#"
        function FindProxyForURL(url, host) {
            if (isPlainHostName(host)) return "DIRECT";
            if (dnsDomainIs(host, ".corp.test") && shExpMatch(url, "*://*/api/*")) return "PROXY api:8080";
            if (isInNet("10.1.2.3", "10.0.0.0", "255.0.0.0") && dnsDomainLevels(host) === 2)
                return "SOCKS5 s:1080; PROXY p:3128; DIRECT";
            if (isInNetEx("192.168.1.7", "192.168.0.0/16")) return "HTTPS h:443";
            return "DIRECT";
        }"#;
    assert_eq!(run(script, "http://intranet/").unwrap(), "DIRECT");
    assert_eq!(
        run(script, "http://a.corp.test/api/x").unwrap(),
        "PROXY api:8080"
    );
    assert_eq!(
        run(script, "http://a.b.c/").unwrap(),
        "SOCKS5 s:1080;PROXY p:3128;DIRECT"
    );
    assert_eq!(run(script, "http://x.y/").unwrap(), "HTTPS h:443");
    assert_eq!(parse_pac_result("PROXY a; bogus; SOCKS b:1").len(), 2);
    assert_eq!(
        super::super::pac_string(&parse_pac_result("HTTP foopy:10")),
        "DIRECT"
    );
    assert_eq!(
        super::super::pac_string(&parse_pac_result("nonsense")),
        "DIRECT"
    );
}

#[test]
fn helpers_as_chromiums_library() {
    let check = |expression: &str| {
        let script = format!(
            "function FindProxyForURL(url, host) {{ try {{ return 'PROXY ' + String({expression}) + ':1' }} catch (e) {{ return 'PROXY ' + e.name + '-' + e.message.split(' ').join('-') + ':1' }} }}"
        );
        run(&script, "http://h/").unwrap()
    };
    assert_eq!(check("isPlainHostName('::1')"), "PROXY false:1");
    assert_eq!(check("isPlainHostName('intranet')"), "PROXY true:1");
    assert_eq!(
        check("shExpMatch('a.com', '(*.a.com|a.com)')"),
        "PROXY true:1"
    );
    assert_eq!(check("shExpMatch('xa.com', '*.a.com')"), "PROXY false:1");
    assert_eq!(check("isInNetEx('10.1.2.3', '10.0.0.0')"), "PROXY false:1");
    assert_eq!(check("isInNetEx('10.1.2.3', '10.0.0.0/8')"), "PROXY true:1");
    for helper in [
        "dnsResolve",
        "dnsResolveEx",
        "isResolvable",
        "isResolvableEx",
        "isPlainHostName",
        "dnsDomainLevels",
    ] {
        assert_eq!(
            check(&format!("{helper}()")),
            // Proxy hosts print in lower case.
            "PROXY typeerror-requires-1-string-parameter:1"
        );
    }
}

#[test]
fn https_urls_are_stripped_and_limits_hold() {
    let echo = "function FindProxyForURL(url, host) { return 'PROXY ' + (url.indexOf('secret') >= 0 ? 'leak' : 'clean') + ':1'; }";
    assert_eq!(run(echo, "https://h/secret?q").unwrap(), "PROXY clean:1");
    let looping = "function FindProxyForURL(u, h) { for (;;) {} }";
    let started = Instant::now();
    assert_eq!(
        run(looping, "http://h/").unwrap_err(),
        "FindProxyForURL ran longer than 1000 ms"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    let hungry = "function FindProxyForURL(u, h) { var a = []; for (;;) a.push(new Array(100000).fill(1)); }";
    assert_eq!(
        run(hungry, "http://h/").unwrap_err(),
        "FindProxyForURL used more than 64 MiB"
    );
    assert_eq!(
        PacEngine::load("function nope() {}".into()).err().unwrap(),
        "PAC script does not define FindProxyForURL"
    );
    assert!(PacEngine::load("this is not js".into())
        .err()
        .unwrap()
        .starts_with("PAC script failed to load"));
}
