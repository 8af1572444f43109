//! A window's document read as its bytes arrive (lol_html's streaming parser, as a
//! browser's preload scanner reads ahead): the subresources a browser requests for it, each
//! an absolute URL with its resource type, in document order and once each, and its title.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use lol_html::send::{HtmlRewriter, Settings};
use lol_html::{element, text};
use url::Url;

use crate::core::resource_type::ResourceType;

/// A resource the document asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subresource {
    /// Absolute, resolved against the document's base URL.
    pub url: Url,
    /// What it loads as.
    pub resource_type: ResourceType,
}

/// What the parser found so far.
#[derive(Default)]
struct Found {
    /// The first `<base href>`, once seen (URLs after it resolve against it).
    base: Option<Url>,
    /// The first `<title>`'s text so far, and whether it ended.
    title: Option<String>,
    title_ended: bool,
    /// Subresources found since the caller last took them.
    fresh: Vec<Subresource>,
    seen: HashSet<(String, ResourceType)>,
}

impl Found {
    /// Records `reference` (an attribute's value as written) as a `resource_type` load.
    fn request(&mut self, document: &Url, reference: &str, resource_type: ResourceType) {
        let reference = html_escape::decode_html_entities(reference.trim());
        if reference.is_empty() {
            return;
        }
        let Ok(url) = self.base.as_ref().unwrap_or(document).join(&reference) else {
            return;
        };
        // What a browser does not fetch over the network stack.
        if matches!(
            url.scheme(),
            "data" | "javascript" | "about" | "blob" | "mailto" | "tel"
        ) {
            return;
        }
        if self.seen.insert((url.as_str().to_owned(), resource_type)) {
            self.fresh.push(Subresource { url, resource_type });
        }
    }
}

/// Elements that load one attribute's URL: selector, attribute, what it loads (in the
/// order handlers run for one element: a video's source before its poster).
const ONE_ATTRIBUTE_LOADS: [(&str, &str, ResourceType); 6] = [
    ("iframe[src], frame[src]", "src", ResourceType::SubFrame),
    (
        "video[src], audio[src], source[src], track[src]",
        "src",
        ResourceType::Media,
    ),
    ("video[poster]", "poster", ResourceType::Image),
    ("embed[src]", "src", ResourceType::Object),
    ("object[data]", "data", ResourceType::Object),
    ("input[type=image][src]", "src", ResourceType::Image),
];

/// The parser; its output (the document again) is not wanted.
type Parser = HtmlRewriter<'static, fn(&[u8])>;

/// Reads one document.
pub struct DocumentReader {
    /// `None` once ended, or given up on.
    rewriter: Option<Parser>,
    found: Arc<Mutex<Found>>,
}

/// The first URL of a `srcset` (what a 1x display picks when `src` is absent).
fn first_candidate(srcset: &str) -> &str {
    srcset
        .trim_start()
        .split(|c: char| c.is_ascii_whitespace() || c == ',')
        .next()
        .unwrap_or("")
}

/// Whether a `<script type>` is one a browser runs (and so fetches).
fn runs_as_script(kind: Option<String>) -> bool {
    let Some(kind) = kind else { return true };
    let kind = kind.trim().to_ascii_lowercase();
    kind.is_empty()
        || kind == "module"
        || kind.ends_with("/javascript")
        || kind.ends_with("/ecmascript")
        || kind == "text/jscript"
}

/// The resource type of a `<link>` by its `rel` (and `as`), when a browser loads it.
fn link_type(rel: &str, destination: Option<String>) -> Option<ResourceType> {
    let rels: Vec<String> = rel
        .split_ascii_whitespace()
        .map(|r| r.to_ascii_lowercase())
        .collect();
    let has = |name: &str| rels.iter().any(|r| r == name);
    if has("stylesheet") && !has("alternate") {
        return Some(ResourceType::Stylesheet);
    }
    if has("icon") {
        return Some(ResourceType::Image);
    }
    if has("modulepreload") {
        return Some(ResourceType::Script);
    }
    if has("preload") {
        return match destination?.to_ascii_lowercase().as_str() {
            "script" => Some(ResourceType::Script),
            "style" => Some(ResourceType::Stylesheet),
            "image" => Some(ResourceType::Image),
            "font" => Some(ResourceType::Font),
            "audio" | "video" | "track" => Some(ResourceType::Media),
            "fetch" => Some(ResourceType::Xhr),
            _ => None,
        };
    }
    None
}

impl DocumentReader {
    /// A reader for the document at `document_url`.
    pub fn new(document_url: Url) -> Self {
        let found = Arc::new(Mutex::new(Found::default()));
        // Records a reference (an attribute's value) as a load of some type.
        let recorder = || {
            let (found, document) = (found.clone(), document_url.clone());
            move |reference: &str, resource_type: ResourceType| {
                lock(&found).request(&document, reference, resource_type)
            }
        };
        let (img, script, link) = (recorder(), recorder(), recorder());
        let (base_found, base_document) = (found.clone(), document_url.clone());
        let title_found = found.clone();
        let mut handlers = vec![
            element!("base[href]", move |el| {
                let mut found = lock(&base_found);
                if found.base.is_none() {
                    let href = el.get_attribute("href").unwrap_or_default();
                    let href = html_escape::decode_html_entities(href.trim()).into_owned();
                    found.base = Some(base_document.join(&href).unwrap_or(base_document.clone()));
                }
                Ok(())
            }),
            element!("img", move |el| {
                let src = el.get_attribute("src");
                let srcset = el.get_attribute("srcset");
                let reference = src.as_deref().or(srcset.as_deref().map(first_candidate));
                if let Some(reference) = reference {
                    img(reference, ResourceType::Image);
                }
                Ok(())
            }),
            element!("script[src]", move |el| {
                if runs_as_script(el.get_attribute("type")) {
                    script(
                        &el.get_attribute("src").unwrap_or_default(),
                        ResourceType::Script,
                    );
                }
                Ok(())
            }),
            element!("link[rel][href]", move |el| {
                let rel = el.get_attribute("rel").unwrap_or_default();
                if let Some(kind) = link_type(&rel, el.get_attribute("as")) {
                    link(&el.get_attribute("href").unwrap_or_default(), kind);
                }
                Ok(())
            }),
        ];
        for (selector, attribute, resource_type) in ONE_ATTRIBUTE_LOADS {
            let record = recorder();
            handlers.push(element!(selector, move |el| {
                if let Some(reference) = el.get_attribute(attribute) {
                    record(&reference, resource_type);
                }
                Ok(())
            }));
        }
        handlers.push(text!("title", move |chunk| {
            let mut found = lock(&title_found);
            if !found.title_ended {
                found
                    .title
                    .get_or_insert_with(String::new)
                    .push_str(chunk.as_str());
                found.title_ended = chunk.last_in_text_node();
            }
            Ok(())
        }));
        let settings = Settings {
            element_content_handlers: handlers,
            ..Settings::new_send()
        };
        let discard: fn(&[u8]) = |_| {};
        Self {
            rewriter: Some(HtmlRewriter::new(settings, discard)),
            found,
        }
    }

    /// Reads the next bytes of the document; returns the subresources they revealed.
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<Subresource> {
        if let Some(rewriter) = &mut self.rewriter {
            // A document the parser gives up on (its memory limit) loads what it found so far.
            if rewriter.write(chunk).is_err() {
                self.rewriter = None;
            }
        }
        std::mem::take(&mut lock(&self.found).fresh)
    }

    /// The document ended; returns the last subresources found.
    pub fn end(&mut self) -> Vec<Subresource> {
        if let Some(rewriter) = self.rewriter.take() {
            let _ = rewriter.end();
        }
        std::mem::take(&mut lock(&self.found).fresh)
    }

    /// The document's title so far (`document.title`: entities decoded, ASCII whitespace
    /// stripped and collapsed); `None` without a `<title>`.
    pub fn title(&self) -> Option<String> {
        let found = lock(&self.found);
        let raw = found.title.as_deref()?;
        let decoded = html_escape::decode_html_entities(raw);
        Some(
            decoded
                .split_ascii_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        )
    }
}

fn lock(found: &Mutex<Found>) -> std::sync::MutexGuard<'_, Found> {
    found.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
#[path = "document_tests.rs"]
mod tests;
