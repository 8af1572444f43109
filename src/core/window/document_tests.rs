//! Tests of the document reader: each element a browser loads from, resolution against the
//! document and `<base href>`, entities, duplicates, chunked input, and the title.

use super::*;

fn read(url: &str, chunks: &[&str]) -> (Vec<(String, &'static str)>, Option<String>) {
    let mut reader = DocumentReader::new(Url::parse(url).unwrap());
    let mut found = Vec::new();
    for chunk in chunks {
        found.extend(reader.feed(chunk.as_bytes()));
    }
    found.extend(reader.end());
    let named = found
        .into_iter()
        .map(|s| (s.url.to_string(), s.resource_type.name()))
        .collect();
    (named, reader.title())
}

#[test]
fn finds_what_a_browser_loads_with_its_resource_type_in_document_order() {
    let page = r#"<!doctype html><html><head>
        <title>A   page
        title</title>
        <link rel="stylesheet" href="/css/site.css">
        <link rel="alternate stylesheet" href="/css/alt.css">
        <link rel="icon" href="favicon.ico">
        <link rel="preload" as="font" href="/f.woff2">
        <link rel="canonical" href="/elsewhere">
        <script src="app.js"></script>
        <script type="text/template" src="not-run.html"></script>
        <script type="module" src="mod.js"></script>
        </head><body>
        <img src="a.png"><img srcset="b-1x.png 1x, b-2x.png 2x">
        <iframe src="frame.html"></iframe>
        <video src="v.mp4" poster="poster.jpg"><track src="subs.vtt"></video>
        <audio><source src="a.ogg"></audio>
        <embed src="e.swf"><object data="o.pdf"></object>
        <input type="image" src="button.png">
        <img src="data:image/png;base64,AAAA"><img src="a.png">
        <a href="/not-loaded">link</a>
        </body></html>"#;
    let (found, title) = read("http://127.0.0.1:8080/dir/page.html", &[page]);
    let base = "http://127.0.0.1:8080";
    let expected: Vec<(String, &str)> = [
        ("/css/site.css", "stylesheet"),
        ("/dir/favicon.ico", "image"),
        ("/f.woff2", "font"),
        ("/dir/app.js", "script"),
        ("/dir/mod.js", "script"),
        ("/dir/a.png", "image"),
        ("/dir/b-1x.png", "image"),
        ("/dir/frame.html", "subFrame"),
        ("/dir/v.mp4", "media"),
        ("/dir/poster.jpg", "image"),
        ("/dir/subs.vtt", "media"),
        ("/dir/a.ogg", "media"),
        ("/dir/e.swf", "object"),
        ("/dir/o.pdf", "object"),
        ("/dir/button.png", "image"),
    ]
    .into_iter()
    .map(|(path, kind)| (format!("{base}{path}"), kind))
    .collect();
    assert_eq!(found, expected);
    assert_eq!(title.as_deref(), Some("A page title"));
}

#[test]
fn base_href_entities_and_chunk_boundaries() {
    let (found, title) = read(
        "https://example.test/a/b.html",
        &[
            "<head><title>Fish &amp; Chips</ti",
            "tle><base href=\"https://cdn.test/assets/\"><img sr",
            "c=\"x.png?a=1&amp;b=2\"></head>",
        ],
    );
    assert_eq!(
        found,
        vec![("https://cdn.test/assets/x.png?a=1&b=2".to_owned(), "image")]
    );
    assert_eq!(title.as_deref(), Some("Fish & Chips"));
}

#[test]
fn a_document_without_title_or_subresources() {
    let (found, title) = read("http://h.test/", &["<p>plain</p>"]);
    assert!(found.is_empty());
    assert_eq!(title, None);
}
