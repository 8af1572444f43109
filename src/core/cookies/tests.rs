//! Jar behaviour tests: Chromium's set/get/remove semantics, change causes, limits and
//! persistence through a store tree.

use std::sync::{Arc, Mutex};

use super::*;
use crate::core::store::{KvStore, MemoryStore};
use crate::core::time;

#[derive(Default)]
struct Recorder(Mutex<Vec<(String, String, &'static str, bool)>>);

impl ChangeListener for Recorder {
    fn cookie_changed(&self, change: &CookieChange) {
        self.0.lock().unwrap().push((
            change.cookie.name.clone(),
            change.cookie.value.clone(),
            change.cause.as_str(),
            change.cause.is_removal(),
        ));
    }
}

fn jar_with_recorder() -> (CookieJar, Arc<Recorder>) {
    let sink = Arc::new(ChangeSink::default());
    let recorder = Arc::new(Recorder::default());
    sink.set_listener(Some(recorder.clone()));
    (CookieJar::in_memory(sink), recorder)
}

fn set(jar: &CookieJar, url: &str, name: &str, value: &str) -> crate::core::Result<()> {
    jar.set(&SetDetails {
        url: Some(url.into()),
        name: Some(name.into()),
        value: Some(value.into()),
        ..Default::default()
    })
}

fn names(cookies: &[CanonicalCookie]) -> Vec<&str> {
    cookies.iter().map(|c| c.name.as_str()).collect()
}

fn for_url(url: &str) -> CookieFilter {
    CookieFilter {
        url: Some(url.into()),
        ..Default::default()
    }
}

#[test]
fn get_by_url_follows_domain_path_and_secure_rules_in_chromium_order() {
    let (jar, _) = jar_with_recorder();
    set(&jar, "http://example.com/", "root", "1").unwrap();
    jar.set(&SetDetails {
        url: Some("https://a.example.com/x/y".into()),
        name: Some("deep".into()),
        value: Some("2".into()),
        domain: Some("example.com".into()),
        path: Some("/x".into()),
        secure: Some(true),
        ..Default::default()
    })
    .unwrap();
    set(&jar, "http://other.com/", "other", "3").unwrap();
    assert_eq!(
        names(&jar.get(&for_url("https://a.example.com/x/z")).unwrap()),
        ["deep"]
    );
    assert_eq!(
        names(&jar.get(&for_url("https://example.com/x/z")).unwrap()),
        ["deep", "root"]
    );
    assert_eq!(
        names(&jar.get(&for_url("http://example.com/x/z")).unwrap()),
        ["root"]
    );
    assert_eq!(
        names(&jar.get(&for_url("https://example.com/xy")).unwrap()),
        ["root"]
    );
    assert_eq!(
        names(&jar.get(&CookieFilter::default()).unwrap()),
        ["deep", "root", "other"]
    );
    let json = jar
        .with_matching(
            &CookieFilter {
                name: Some("deep".into()),
                ..Default::default()
            },
            |cookies| {
                serde_json::to_string(&cookies.iter().map(|c| c.to_electron()).collect::<Vec<_>>())
                    .unwrap()
            },
        )
        .unwrap();
    assert_eq!(
        json,
        r#"[{"name":"deep","value":"2","domain":".example.com","hostOnly":false,"path":"/x","secure":true,"httpOnly":false,"session":true,"sameSite":"lax"}]"#
    );
}

#[test]
fn overwrites_report_chromium_causes_in_order() {
    let (jar, rec) = jar_with_recorder();
    set(&jar, "https://example.com/", "a", "1").unwrap();
    set(&jar, "https://example.com/", "a", "2").unwrap();
    set(&jar, "https://example.com/", "a", "2").unwrap();
    jar.set(&SetDetails {
        url: Some("https://example.com/".into()),
        name: Some("a".into()),
        value: Some("2".into()),
        http_only: Some(true),
        ..Default::default()
    })
    .unwrap();
    jar.set(&SetDetails {
        url: Some("https://example.com/".into()),
        name: Some("a".into()),
        value: Some("3".into()),
        http_only: Some(true),
        expiration_date: Some(1.0),
        ..Default::default()
    })
    .unwrap();
    set(&jar, "https://example.com/", "b", "1").unwrap();
    assert_eq!(jar.remove("https://example.com/", "b").unwrap(), 1);
    let events = rec.0.lock().unwrap().clone();
    let expected: Vec<(String, String, &str, bool)> = vec![
        ("a".into(), "1".into(), "inserted", false),
        ("a".into(), "1".into(), "overwrite", true),
        ("a".into(), "2".into(), "inserted", false),
        ("a".into(), "2".into(), "overwrite", true),
        (
            "a".into(),
            "2".into(),
            "inserted-no-change-overwrite",
            false,
        ),
        ("a".into(), "2".into(), "overwrite", true),
        (
            "a".into(),
            "2".into(),
            "inserted-no-value-change-overwrite",
            false,
        ),
        ("a".into(), "2".into(), "expired-overwrite", true),
        ("b".into(), "1".into(), "inserted", false),
        ("b".into(), "1".into(), "explicit", true),
    ];
    assert_eq!(events, expected);
    assert!(jar.is_empty());
}

#[test]
fn insecure_and_non_http_writes_cannot_clobber_protected_cookies() {
    let (jar, _) = jar_with_recorder();
    jar.set(&SetDetails {
        url: Some("https://example.com/".into()),
        name: Some("s".into()),
        value: Some("1".into()),
        secure: Some(true),
        ..Default::default()
    })
    .unwrap();
    let err = set(&jar, "http://example.com/", "s", "2")
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "Failed to set cookie - The cookie would have overwritten a Secure cookie, and was not allowed to do so.\
         EXCLUDE_OVERWRITE_SECURE, DO_NOT_WARN, NO_EXEMPTION"
    );
    jar.set(&SetDetails {
        url: Some("https://example.com/".into()),
        name: Some("h".into()),
        value: Some("1".into()),
        http_only: Some(true),
        ..Default::default()
    })
    .unwrap();
    let err = set(&jar, "https://example.com/", "h", "2")
        .unwrap_err()
        .to_string();
    assert!(err.contains("EXCLUDE_OVERWRITE_HTTP_ONLY"), "{err}");
    let err = set(&jar, "foo://example.com/", "x", "1")
        .unwrap_err()
        .to_string();
    assert!(err.contains("EXCLUDE_NONCOOKIEABLE_SCHEME"), "{err}");
    let err = jar
        .set(&SetDetails {
            url: Some("https://example.com/".into()),
            name: Some("n".into()),
            same_site: Some("no_restriction".into()),
            secure: Some(false),
            ..Default::default()
        })
        .unwrap_err()
        .to_string();
    assert!(err.contains("EXCLUDE_SAMESITE_NONE_INSECURE"), "{err}");
    assert_eq!(jar.get(&CookieFilter::default()).unwrap()[0].value, "1");
}

#[test]
fn a_site_over_180_cookies_is_evicted_to_150() {
    let (jar, rec) = jar_with_recorder();
    for i in 0..181 {
        set(&jar, "https://example.com/", &format!("c{i}"), "v").unwrap();
    }
    assert_eq!(jar.len(), 150);
    let events = rec.0.lock().unwrap();
    let evicted: Vec<_> = events.iter().filter(|e| e.2 == "evicted").collect();
    assert_eq!(evicted.len(), 31);
    assert_eq!(evicted[0].0, "c0");
    assert!(evicted.iter().all(|e| e.3));
}

#[test]
fn a_jar_over_3300_cookies_evicts_old_ones_to_3000() {
    let (jar, _) = jar_with_recorder();
    let old = time::to_seconds(time::now() - 60 * time::DAY);
    for site in 0..20 {
        for i in 0..170 {
            jar.set(&SetDetails {
                url: Some(format!("https://s{site}.example{site}.com/").into()),
                name: Some(format!("c{i}").into()),
                value: Some("v".into()),
                creation_date: Some(old + (site * 1000 + i) as f64),
                last_access_date: Some(old + (site * 1000 + i) as f64),
                ..Default::default()
            })
            .unwrap();
        }
    }
    // 3400 cookies were set; the purge ran at 3301 down to 3000, then 99 more came.
    assert_eq!(jar.len(), 3099);
    // The least recently used site lost its cookies first.
    assert!(jar
        .get(&for_url("https://s0.example0.com/"))
        .unwrap()
        .is_empty());
}

#[test]
fn expired_cookies_are_removed_when_read() {
    let (jar, rec) = jar_with_recorder();
    jar.set(&SetDetails {
        url: Some("https://example.com/".into()),
        name: Some("soon".into()),
        value: Some("v".into()),
        expiration_date: Some(time::to_seconds(time::now()) + 0.05),
        ..Default::default()
    })
    .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(80));
    assert!(jar
        .get(&for_url("https://example.com/"))
        .unwrap()
        .is_empty());
    assert_eq!(rec.0.lock().unwrap().last().unwrap().2, "expired");
    assert!(jar.is_empty());
}

#[test]
fn reopening_restores_persistent_cookies_only() {
    let store = MemoryStore::new();
    let tree = store.tree(persist::TREE).unwrap();
    let far = time::to_seconds(time::now()) + 3600.0;
    {
        let jar = CookieJar::open(tree.clone(), false, Arc::default()).unwrap();
        jar.set(&SetDetails {
            url: Some("https://example.com/".into()),
            name: Some("keep".into()),
            value: Some("1".into()),
            expiration_date: Some(far),
            ..Default::default()
        })
        .unwrap();
        set(&jar, "https://example.com/", "session", "1").unwrap();
        assert_eq!(tree.len(), 1);
    }
    let jar = CookieJar::open(tree.clone(), false, Arc::default()).unwrap();
    let restored = jar.get(&CookieFilter::default()).unwrap();
    assert_eq!(names(&restored), ["keep"]);
    assert_eq!(restored[0].expiry, Some(time::from_seconds(far)));

    let with_sessions = CookieJar::open(tree.clone(), true, Arc::default()).unwrap();
    set(&with_sessions, "https://example.com/", "session", "1").unwrap();
    drop(with_sessions);
    let jar = CookieJar::open(tree, true, Arc::default()).unwrap();
    assert_eq!(
        names(&jar.get(&CookieFilter::default()).unwrap()),
        ["keep", "session"]
    );
}

#[test]
fn opening_drops_expired_entries_and_leaves_unreadable_ones() {
    let store = MemoryStore::new();
    let tree = store.tree(persist::TREE).unwrap();
    let jar = CookieJar::open(tree.clone(), false, Arc::default()).unwrap();
    jar.set(&SetDetails {
        url: Some("https://example.com/".into()),
        name: Some("old".into()),
        value: Some("1".into()),
        expiration_date: Some(time::to_seconds(time::now()) + 3600.0),
        ..Default::default()
    })
    .unwrap();
    drop(jar);
    // Age the stored cookie past its expiry, and add bytes this version cannot read.
    let mut stored = Vec::new();
    tree.for_each(&mut |k, v| stored.push((k.to_vec(), v.to_vec())))
        .unwrap();
    let mut cookie = persist::decode(&stored[0].1).unwrap();
    cookie.expiry = Some(time::now() - 1);
    tree.insert(&stored[0].0, &persist::encode(&cookie))
        .unwrap();
    tree.insert(b"garbage", &[0xff, 0xff, 0xff]).unwrap();

    let jar = CookieJar::open(tree.clone(), false, Arc::default()).unwrap();
    assert!(jar.is_empty());
    let mut keys = Vec::new();
    tree.for_each(&mut |k, _| keys.push(k.to_vec())).unwrap();
    assert_eq!(keys, vec![b"garbage".to_vec()]);
}
