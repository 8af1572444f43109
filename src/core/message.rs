//! HTTP messages as every layer of the core passes them, below the request stack and the
//! protocol handlers that both make them: the head of a response.

use url::Url;

/// Status line and headers of a response.
#[derive(Debug, Clone)]
pub struct ResponseHead {
    /// Status code.
    pub status: u16,
    /// Reason phrase as sent (HTTP/1), or the canonical one (HTTP/2).
    pub status_message: String,
    /// (major, minor) HTTP version.
    pub version: (u8, u8),
    /// Header names as the server spelled them (HTTP/1; lower case for HTTP/2) and values,
    /// in the order sent.
    pub headers: Vec<(String, String)>,
    /// The URL this response came from.
    pub url: Url,
    /// The server's address, when it came over the network.
    pub ip: Option<std::net::IpAddr>,
}

impl ResponseHead {
    /// Every value of a header, in order.
    pub fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first value of a header.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}
