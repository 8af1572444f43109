//! Headless windows' documents (`core::window::document`): a reader JS feeds a document's
//! bytes as they arrive, answering with the subresources they reveal and the title.

use napi::bindgen_prelude::Buffer;
use napi_derive::napi;

use crate::core::window::document::{DocumentReader, Subresource};

/// One document being read.
#[napi]
pub struct NativeDocumentReader {
    reader: DocumentReader,
}

/// `url\0type\0url\0type…` (Electron's resource type names); `''` for none.
fn pack(found: Vec<Subresource>) -> String {
    let mut packed = String::new();
    for subresource in found {
        if !packed.is_empty() {
            packed.push('\0');
        }
        packed.push_str(subresource.url.as_str());
        packed.push('\0');
        packed.push_str(subresource.resource_type.name());
    }
    packed
}

#[napi]
impl NativeDocumentReader {
    /// A reader for the document at `url` (its base for relative references); a URL that
    /// does not parse reads as `about:blank`.
    #[napi(constructor)]
    pub fn new(url: String) -> Self {
        let url = url::Url::parse(&url)
            .unwrap_or_else(|_| url::Url::parse("about:blank").expect("a URL"));
        Self {
            reader: DocumentReader::new(url),
        }
    }

    /// Reads the next bytes; the subresources they revealed, packed.
    #[napi]
    pub fn feed(&mut self, chunk: Buffer) -> String {
        pack(self.reader.feed(&chunk))
    }

    /// The document ended; the last subresources, packed.
    #[napi]
    pub fn end(&mut self) -> String {
        pack(self.reader.end())
    }

    /// The title so far (`null` without a `<title>`).
    #[napi]
    pub fn title(&self) -> Option<String> {
        self.reader.title()
    }
}
