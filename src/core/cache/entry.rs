//! What the cache keeps of a response besides its body: the policy (with the request it
//! answered, for Vary) and the head as the server wrote it (order and case kept), encoded
//! for the store; and the head a stored entry is served with.

use bytes::Bytes;
use http_cache_semantics::CachePolicy;
use serde::{Deserialize, Serialize};
use url::Url;

use super::headers::{kept_on_update, LeftOut};
use crate::core::message::ResponseHead;

/// A stored response's metadata.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EntryMeta {
    /// The freshness rules and the request the response answered.
    pub policy: CachePolicy,
    /// Status code.
    pub status: u16,
    /// Reason phrase.
    pub status_message: String,
    /// HTTP version.
    pub version: (u8, u8),
    /// Headers as the server wrote them, cookies left out.
    pub headers: Vec<(String, String)>,
}

impl EntryMeta {
    /// The metadata of `head` under `policy`.
    pub fn new(policy: CachePolicy, head: &ResponseHead) -> Self {
        Self {
            policy,
            status: head.status,
            status_message: head.status_message.clone(),
            version: head.version,
            headers: {
                let left_out = LeftOut::of(&head.headers);
                head.headers
                    .iter()
                    .filter(|(n, _)| !left_out.contains(n))
                    .cloned()
                    .collect()
            },
        }
    }

    /// Encoded for the store.
    pub fn encode(&self) -> Bytes {
        postcard::to_stdvec(self)
            .map(Bytes::from)
            .unwrap_or_default()
    }

    /// Decoded from the store; `None` for an entry that does not decode (it is dropped).
    pub fn decode(bytes: &[u8]) -> Option<Self> {
        postcard::from_bytes(bytes).ok()
    }

    /// The head to serve for `url`, with `Age` set to `age` seconds.
    pub fn head(&self, url: &Url, age: u64) -> ResponseHead {
        let mut headers: Vec<(String, String)> = self
            .headers
            .iter()
            .filter(|(n, _)| !n.eq_ignore_ascii_case("age"))
            .cloned()
            .collect();
        headers.push(("Age".to_owned(), age.to_string()));
        ResponseHead {
            status: self.status,
            status_message: self.status_message.clone(),
            version: self.version,
            headers,
            url: url.clone(),
            ip: None,
        }
    }

    /// The head after a 304 with `fresh` headers: each stored header the 304 also sends is
    /// replaced by its values, except those Chromium keeps (validators, the body's own).
    pub fn refreshed(&self, policy: CachePolicy, fresh: &[(String, String)]) -> Self {
        let mut headers: Vec<(String, String)> = Vec::with_capacity(self.headers.len());
        for (name, value) in &self.headers {
            let replaced =
                !kept_on_update(name) && fresh.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
            if !replaced {
                headers.push((name.clone(), value.clone()));
            } else if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
                headers.extend(
                    fresh
                        .iter()
                        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                        .cloned(),
                );
            }
        }
        Self {
            policy,
            headers,
            ..self.clone()
        }
    }
}
