//! What listeners see and what they answer, as Rust types: everything known about a
//! request (each event reports its own subset; the binding turns it into Electron's details
//! object) and the decision a blocking listener returns (`cancel`, `redirectURL`,
//! `requestHeaders`, `responseHeaders`, `statusLine`).

use bytes::Bytes;
use url::Url;

use crate::core::resource_type::ResourceType;

/// Everything known about a request so far; each event reports its own subset.
#[derive(Debug, Clone)]
pub struct Details {
    /// Per-session request id.
    pub id: u64,
    /// The URL, parsed (for filters).
    pub parsed_url: Url,
    /// Method.
    pub method: String,
    /// Electron's resource type (`other` for requests made from Node).
    pub resource_type: ResourceType,
    /// The webContents the request loads for, if any (`webContentsId`).
    pub web_contents_id: Option<u32>,
    /// The Referer, or empty.
    pub referrer: String,
    /// Milliseconds since the epoch when the event fired.
    pub timestamp: f64,
    /// The request body, when there is one in memory.
    pub upload_data: Option<Bytes>,
    /// Request headers as they will go out.
    pub request_headers: Vec<(String, String)>,
    /// `HTTP/1.1 200 OK`.
    pub status_line: String,
    /// Status code (0 before a response).
    pub status_code: u16,
    /// Response headers as received.
    pub response_headers: Vec<(String, String)>,
    /// The server's IP address, when connected.
    pub ip: Option<String>,
    /// Where a redirect goes.
    pub redirect_url: Option<String>,
    /// `net::OK` on completion, the error string on failure.
    pub error: Option<String>,
    /// The response came from the HTTP cache.
    pub from_cache: bool,
}

impl Details {
    /// Details of a new request.
    pub fn new(id: u64, url: Url, method: &str, referrer: &str) -> Self {
        Self {
            id,
            parsed_url: url,
            method: method.to_owned(),
            resource_type: ResourceType::Other,
            web_contents_id: None,
            referrer: referrer.to_owned(),
            timestamp: 0.0,
            upload_data: None,
            request_headers: Vec::new(),
            status_line: String::new(),
            status_code: 0,
            response_headers: Vec::new(),
            ip: None,
            redirect_url: None,
            error: None,
            from_cache: false,
        }
    }

    /// These details, for a request loading `resource_type` for webContents
    /// `web_contents_id`.
    pub fn loading(mut self, resource_type: ResourceType, web_contents_id: Option<u32>) -> Self {
        self.resource_type = resource_type;
        self.web_contents_id = web_contents_id;
        self
    }

    /// Stamps the time of the event about to fire.
    pub fn stamp(&mut self) {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        self.timestamp = now.as_secs_f64() * 1000.0;
    }
}

/// What the listeners of a blocking event decided, merged along the chain by the JS side.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Decision {
    /// Stop the request with `net::ERR_BLOCKED_BY_CLIENT`.
    pub cancel: bool,
    /// Go here instead (an internal 307).
    pub redirect_url: Option<String>,
    /// Replace the request headers with these.
    pub request_headers: Option<Vec<(String, String)>>,
    /// Replace the response headers with these.
    pub response_headers: Option<Vec<(String, String)>>,
    /// Replace the status line.
    pub status_line: Option<String>,
    /// A listener threw: fail the request with this message.
    pub error: Option<String>,
}

/// Whether a listener's header may be used: a token name and a value without NUL, CR or LF
/// (Electron drops the others).
pub fn is_valid_header(name: &str, value: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
        && !value.contains(['\0', '\r', '\n'])
}

impl Decision {
    /// The decision, or `None` when it changes nothing.
    pub fn if_changing(self) -> Option<Self> {
        (self != Self::default()).then_some(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_validity_and_unchanging_decisions() {
        assert!(is_valid_header("X-A", "1"));
        assert!(!is_valid_header("Bad Name", "x"));
        assert!(!is_valid_header("X-C", "a\nb"));
        assert!(!is_valid_header("", "x"));
        assert_eq!(Decision::default().if_changing(), None);
        let cancel = Decision {
            cancel: true,
            ..Decision::default()
        };
        assert!(cancel.if_changing().unwrap().cancel);
    }
}
